import KubeModel

/// Dynamic access: any resource, named by its `GroupVersionResource`, as `JSONValue`.
///
/// `namespace: nil` addresses a cluster-scoped resource, or for list/watch every namespace. For
/// create and update a nil namespace falls back to the object's `metadata.namespace`.
extension KubeClient {
    public func get(
        _ resource: GroupVersionResource, name: String, namespace: String? = nil, subresource: String? = nil
    ) async throws -> JSONValue {
        try Self.requireName(name, "get")
        let path = ResourcePath(resource: resource, namespace: namespace, name: name, subresource: subresource)
        let bytes = try await perform(KubeRequest(method: .get, path: path.path))
        return try Self.decode(JSONValue.self, from: bytes, context: "GET \(path.path)")
    }

    /// One page of a list (all of it without `limit`). Items are in `items`, the list's
    /// resourceVersion and continue token in `metadata`.
    public func list(
        _ resource: GroupVersionResource, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws -> ObjectList<JSONValue> {
        try await listPage(ObjectList<JSONValue>.self, resource: resource, namespace: namespace, options: options)
    }

    public func create(
        _ resource: GroupVersionResource, _ object: JSONValue, namespace: String? = nil, options: WriteOptions = WriteOptions()
    ) async throws -> JSONValue {
        let ns = namespace ?? object[path: ["metadata", "namespace"]]?.stringValue
        let path = ResourcePath(resource: resource, namespace: ns)
        let bytes = try await perform(
            KubeRequest(method: .post, path: path.path, query: options.queryItems, body: object.serialized()))
        return try Self.decode(JSONValue.self, from: bytes, context: "POST \(path.path)")
    }

    /// PUT of the whole object (or of `subresource`, e.g. `status` or `scale`). Send the
    /// resourceVersion you read for optimistic concurrency: a stale one gets 409 Conflict.
    public func update(
        _ resource: GroupVersionResource, _ object: JSONValue, namespace: String? = nil, subresource: String? = nil,
        options: WriteOptions = WriteOptions()
    ) async throws -> JSONValue {
        let name = try Self.objectName(object, "update")
        let ns = namespace ?? object[path: ["metadata", "namespace"]]?.stringValue
        let path = ResourcePath(resource: resource, namespace: ns, name: name, subresource: subresource)
        let bytes = try await perform(
            KubeRequest(method: .put, path: path.path, query: options.queryItems, body: object.serialized()))
        return try Self.decode(JSONValue.self, from: bytes, context: "PUT \(path.path)")
    }

    public func updateStatus(
        _ resource: GroupVersionResource, _ object: JSONValue, namespace: String? = nil, options: WriteOptions = WriteOptions()
    ) async throws -> JSONValue {
        try await update(resource, object, namespace: namespace, subresource: "status", options: options)
    }

    public func patch(
        _ resource: GroupVersionResource, name: String, namespace: String? = nil, patch: Patch,
        subresource: String? = nil, options: PatchOptions = PatchOptions()
    ) async throws -> JSONValue {
        try Self.requireName(name, "patch")
        let path = ResourcePath(resource: resource, namespace: namespace, name: name, subresource: subresource)
        let bytes = try await perform(
            KubeRequest(
                method: .patch, path: path.path, query: options.queryItems, body: patch.body, contentType: patch.contentType))
        return try Self.decode(JSONValue.self, from: bytes, context: "PATCH \(path.path)")
    }

    /// DELETE: `.deleted(Status)` when the object is gone, `.pending(object)` while finalizers keep it.
    public func delete(
        _ resource: GroupVersionResource, name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()
    ) async throws -> DeleteResult<JSONValue> {
        try Self.requireName(name, "delete")
        let path = ResourcePath(resource: resource, namespace: namespace, name: name)
        let bytes = try await perform(Self.deleteRequest(path, options))
        return try Self.deleteResult(bytes, as: JSONValue.self, context: "DELETE \(path.path)")
    }

    static func deleteRequest(_ path: ResourcePath, _ options: DeleteOptions) -> KubeRequest {
        KubeRequest(method: .delete, path: path.path, body: options.isEmpty ? nil : options.body)
    }

    func listPage<L: Decodable>(
        _ type: L.Type, resource: GroupVersionResource, namespace: String?, options: ListOptions
    ) async throws -> L {
        let path = ResourcePath(resource: resource, namespace: namespace)
        var list = options
        list.allowWatchBookmarks = nil
        list.sendInitialEvents = nil
        let bytes = try await perform(KubeRequest(method: .get, path: path.path, query: list.queryItems))
        do {
            return try Self.decode(L.self, from: bytes, context: "GET \(path.path)")
        } catch {
            // An empty list may come as `"items": null` (or without items): read it as no items.
            var value = try Self.decode(JSONValue.self, from: bytes, context: "GET \(path.path)")
            guard value["items"] == nil || value["items"] == .null else { throw error }
            value["items"] = .array([])
            return try Self.decode(L.self, from: value.serialized(), context: "GET \(path.path)")
        }
    }
}
