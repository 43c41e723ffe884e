import KubeModel

/// Where an informer gets its objects: a list, a watch from a resourceVersion, and how to read an
/// object's metadata. `resource(_:client:…)` and `dynamic(_:client:…)` build one over a `KubeClient`;
/// tests can pass closures.
public struct InformerSource<Object: Sendable>: Sendable {
    public var list: @Sendable () async throws -> (resourceVersion: String, items: [Object])
    /// Watch from the given resourceVersion with bookmarks, ending after about `timeoutSeconds`.
    public var watch: @Sendable (_ resourceVersion: String, _ timeoutSeconds: Int) async throws
        -> AsyncThrowingStream<InformerWatchEvent<Object>, any Error>
    public var metadata: @Sendable (Object) -> ObjectMeta

    public init(
        list: @escaping @Sendable () async throws -> (resourceVersion: String, items: [Object]),
        watch: @escaping @Sendable (_ resourceVersion: String, _ timeoutSeconds: Int) async throws
            -> AsyncThrowingStream<InformerWatchEvent<Object>, any Error>,
        metadata: @escaping @Sendable (Object) -> ObjectMeta
    ) {
        self.list = list
        self.watch = watch
        self.metadata = metadata
    }
}

extension InformerSource where Object: KubernetesResource {
    /// Objects of kind `Object` in `namespace` (nil: every namespace), optionally filtered by selectors.
    public static func resource(
        _ type: Object.Type = Object.self, client: KubeClient, namespace: String? = nil,
        labelSelector: String? = nil, fieldSelector: String? = nil, pageSize: Int = 500
    ) -> InformerSource<Object> {
        let resource = Object.groupVersionResource
        let ns = Object.isNamespaced ? namespace : nil
        let decode: @Sendable (JSONValue) throws -> Object = { value in
            do {
                return try value.decode(as: Object.self)
            } catch {
                throw KubeClientError.decoding("cannot decode \(Object.self): \(error)")
            }
        }
        return InformerSource(
            list: {
                let list = try await client.listAll(
                    resource, namespace: ns,
                    options: ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector), pageSize: pageSize)
                return (list.metadata.resourceVersion ?? "", try list.items.map(decode))
            },
            watch: { rv, timeout in
                try await client.informerWatch(
                    resource, namespace: ns, labelSelector: labelSelector, fieldSelector: fieldSelector,
                    resourceVersion: rv, timeoutSeconds: timeout
                ) { value in
                    let object = try decode(value)
                    return InformerItem(object: object, metadata: object.metadata)
                }
            },
            metadata: { $0.metadata })
    }
}

extension InformerSource where Object == JSONValue {
    /// Objects of any resource as `JSONValue`, in `namespace` (nil: every namespace or cluster scope).
    public static func dynamic(
        _ resource: GroupVersionResource, client: KubeClient, namespace: String? = nil,
        labelSelector: String? = nil, fieldSelector: String? = nil, pageSize: Int = 500
    ) -> InformerSource<JSONValue> {
        InformerSource(
            list: {
                let list = try await client.listAll(
                    resource, namespace: namespace,
                    options: ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector), pageSize: pageSize)
                return (list.metadata.resourceVersion ?? "", list.items)
            },
            watch: { rv, timeout in
                try await client.informerWatch(
                    resource, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                    resourceVersion: rv, timeoutSeconds: timeout
                ) { value in
                    InformerItem(object: value, metadata: JSONValue.objectMeta(of: value))
                }
            },
            metadata: { JSONValue.objectMeta(of: $0) })
    }
}

extension JSONValue {
    /// The `metadata` of an unstructured object (empty if it has none or it does not decode).
    public static func objectMeta(of value: JSONValue) -> ObjectMeta {
        guard let metadata = value["metadata"] else { return ObjectMeta() }
        return (try? metadata.decode(as: ObjectMeta.self)) ?? ObjectMeta(
            name: metadata["name"]?.stringValue, namespace: metadata["namespace"]?.stringValue,
            resourceVersion: metadata["resourceVersion"]?.stringValue)
    }
}

extension KubeClient {
    /// The watch an informer follows: bookmarks on, their resourceVersion kept even when the bookmark
    /// object would not decode as the informer's type.
    func informerWatch<Object: Sendable>(
        _ resource: GroupVersionResource, namespace: String?, labelSelector: String?, fieldSelector: String?,
        resourceVersion: String, timeoutSeconds: Int,
        item: @escaping @Sendable (JSONValue) throws -> InformerItem<Object>
    ) async throws -> AsyncThrowingStream<InformerWatchEvent<Object>, any Error> {
        let options = ListOptions(
            labelSelector: labelSelector, fieldSelector: fieldSelector, resourceVersion: resourceVersion,
            timeoutSeconds: timeoutSeconds, allowWatchBookmarks: true)
        return try await openWatch(ResourcePath(resource: resource, namespace: namespace), options: options) { type, object in
            switch type {
            case .bookmark:
                return .bookmark(resourceVersion: object[path: ["metadata", "resourceVersion"]]?.stringValue ?? "")
            case .added: return .added(try item(object))
            case .modified: return .modified(try item(object))
            case .deleted: return .deleted(try item(object))
            case .error: return nil  // surfaced as an error by openWatch
            }
        }
    }
}
