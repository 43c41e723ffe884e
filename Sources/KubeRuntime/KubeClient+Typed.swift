import KubeModel

/// Typed access to any `KubernetesResource`.
///
/// For a namespaced kind, `namespace: nil` means the object's `metadata.namespace`, else the client's
/// default namespace — except for `list` and `watch`, where nil means every namespace.
extension KubeClient {
    public func get<T: KubernetesResource>(_ type: T.Type, name: String, namespace: String? = nil) async throws -> T {
        try Self.requireName(name, "get")
        let path = ResourcePath(resource: T.groupVersionResource, namespace: scopedNamespace(T.self, namespace), name: name)
        let bytes = try await perform(KubeRequest(method: .get, path: path.path))
        return try Self.decode(T.self, from: bytes, context: "GET \(path.path)")
    }

    public func list<T: KubernetesResource>(
        _ type: T.Type, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws -> ObjectList<T> {
        try await listPage(
            ObjectList<T>.self, resource: T.groupVersionResource, namespace: T.isNamespaced ? namespace : nil, options: options)
    }

    public func create<T: KubernetesResource>(_ object: T, namespace: String? = nil, options: WriteOptions = WriteOptions()) async throws -> T {
        let ns = scopedNamespace(T.self, namespace ?? object.metadata.namespace)
        let path = ResourcePath(resource: T.groupVersionResource, namespace: ns)
        let body = try Self.encode(object).serialized()
        let bytes = try await perform(KubeRequest(method: .post, path: path.path, query: options.queryItems, body: body))
        return try Self.decode(T.self, from: bytes, context: "POST \(path.path)")
    }

    /// PUT of the whole object; its `metadata.resourceVersion` makes it conditional (409 when stale).
    public func update<T: KubernetesResource>(_ object: T, namespace: String? = nil, options: WriteOptions = WriteOptions()) async throws -> T {
        try await put(object, namespace: namespace, subresource: nil, options: options)
    }

    /// PUT to `/status`: the server ignores everything but `.status` (and metadata's resourceVersion).
    public func updateStatus<T: KubernetesResource>(_ object: T, namespace: String? = nil, options: WriteOptions = WriteOptions()) async throws -> T {
        try await put(object, namespace: namespace, subresource: "status", options: options)
    }

    public func patch<T: KubernetesResource>(
        _ type: T.Type, name: String, namespace: String? = nil, patch: Patch, subresource: String? = nil,
        options: PatchOptions = PatchOptions()
    ) async throws -> T {
        try Self.requireName(name, "patch")
        let path = ResourcePath(
            resource: T.groupVersionResource, namespace: scopedNamespace(T.self, namespace), name: name, subresource: subresource)
        let bytes = try await perform(
            KubeRequest(method: .patch, path: path.path, query: options.queryItems, body: patch.body, contentType: patch.contentType))
        return try Self.decode(T.self, from: bytes, context: "PATCH \(path.path)")
    }

    /// Server-side apply of `object` as `fieldManager` (`force` takes over fields other managers own).
    public func apply<T: KubernetesResource>(
        _ object: T, fieldManager: String, force: Bool = false, namespace: String? = nil, dryRun: Bool = false
    ) async throws -> T {
        guard let name = object.metadata.name, !name.isEmpty else {
            throw KubeClientError.invalidRequest("apply: the object has no metadata.name")
        }
        return try await patch(
            T.self, name: name, namespace: namespace ?? object.metadata.namespace, patch: .apply(try Self.encode(object)),
            options: PatchOptions(dryRun: dryRun, fieldManager: fieldManager, force: force))
    }

    /// DELETE: `.deleted(Status)` when the object is gone, `.pending(object)` while finalizers keep it.
    public func delete<T: KubernetesResource>(
        _ type: T.Type, name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()
    ) async throws -> DeleteResult<T> {
        try Self.requireName(name, "delete")
        let path = ResourcePath(resource: T.groupVersionResource, namespace: scopedNamespace(T.self, namespace), name: name)
        let bytes = try await perform(Self.deleteRequest(path, options))
        return try Self.deleteResult(bytes, as: T.self, context: "DELETE \(path.path)")
    }

    /// GET of a subresource (e.g. `scale`) decoded as `R`.
    public func getSubresource<T: KubernetesResource, R: Decodable & Sendable>(
        _ type: T.Type, name: String, namespace: String? = nil, subresource: String, as: R.Type = JSONValue.self
    ) async throws -> R {
        try Self.requireName(name, "get")
        let path = ResourcePath(
            resource: T.groupVersionResource, namespace: scopedNamespace(T.self, namespace), name: name, subresource: subresource)
        let bytes = try await perform(KubeRequest(method: .get, path: path.path))
        return try Self.decode(R.self, from: bytes, context: "GET \(path.path)")
    }

    /// PUT of a subresource body (e.g. an autoscaling/v1 Scale) decoded back as `R`.
    public func updateSubresource<T: KubernetesResource, R: Codable & Sendable>(
        _ type: T.Type, name: String, namespace: String? = nil, subresource: String, body: R,
        options: WriteOptions = WriteOptions()
    ) async throws -> R {
        try Self.requireName(name, "update")
        let path = ResourcePath(
            resource: T.groupVersionResource, namespace: scopedNamespace(T.self, namespace), name: name, subresource: subresource)
        let encoded: JSONValue
        do {
            encoded = try (body as? JSONValue) ?? JSONValue(encoding: body)
        } catch {
            throw KubeClientError.encoding("cannot encode the \(subresource) body: \(error)")
        }
        let bytes = try await perform(
            KubeRequest(method: .put, path: path.path, query: options.queryItems, body: encoded.serialized()))
        return try Self.decode(R.self, from: bytes, context: "PUT \(path.path)")
    }

    /// The autoscaling/v1 Scale of an object (`GET …/scale`).
    public func getScale<T: KubernetesResource>(_ type: T.Type, name: String, namespace: String? = nil) async throws -> Scale {
        try await getSubresource(T.self, name: name, namespace: namespace, subresource: "scale", as: Scale.self)
    }

    /// Sets `spec.replicas` through the `scale` subresource (a merge patch); returns the Scale.
    public func scale<T: KubernetesResource>(
        _ type: T.Type, name: String, namespace: String? = nil, replicas: Int32, options: PatchOptions = PatchOptions()
    ) async throws -> Scale {
        try Self.requireName(name, "scale")
        let path = ResourcePath(
            resource: T.groupVersionResource, namespace: scopedNamespace(T.self, namespace), name: name, subresource: "scale")
        let patch = Patch.merge(["spec": ["replicas": .int(Int64(replicas))]])
        let bytes = try await perform(
            KubeRequest(method: .patch, path: path.path, query: options.queryItems, body: patch.body, contentType: patch.contentType))
        return try Self.decode(Scale.self, from: bytes, context: "PATCH \(path.path)")
    }

    private func put<T: KubernetesResource>(_ object: T, namespace: String?, subresource: String?, options: WriteOptions) async throws -> T {
        guard let name = object.metadata.name, !name.isEmpty else {
            throw KubeClientError.invalidRequest("update: the object has no metadata.name")
        }
        let ns = scopedNamespace(T.self, namespace ?? object.metadata.namespace)
        let path = ResourcePath(resource: T.groupVersionResource, namespace: ns, name: name, subresource: subresource)
        let body = try Self.encode(object).serialized()
        let bytes = try await perform(KubeRequest(method: .put, path: path.path, query: options.queryItems, body: body))
        return try Self.decode(T.self, from: bytes, context: "PUT \(path.path)")
    }

    /// The namespace of a call on kind `T`: none for cluster-scoped kinds, else the given one or the default.
    func scopedNamespace<T: KubernetesResource>(_ type: T.Type, _ namespace: String?) -> String? {
        guard T.isNamespaced else { return nil }
        if let namespace, !namespace.isEmpty { return namespace }
        return configuration.namespace
    }
}
