import KubeModel

/// Lists in pages: follows `metadata.continue` until the end and returns every item, with the
/// resourceVersion of the (consistent) snapshot the pages came from. If a continue token expires
/// (410), the list starts over without paging, as client-go's pager does.
extension KubeClient {
    public func listAll(
        _ resource: GroupVersionResource, namespace: String? = nil, options: ListOptions = ListOptions(), pageSize: Int = 500
    ) async throws -> ObjectList<JSONValue> {
        try await pages(pageSize: pageSize, options: options) { options in
            try await self.listPage(ObjectList<JSONValue>.self, resource: resource, namespace: namespace, options: options)
        }
    }

    public func listAll<T: KubernetesResource>(
        _ type: T.Type, namespace: String? = nil, options: ListOptions = ListOptions(), pageSize: Int = 500
    ) async throws -> ObjectList<T> {
        try await pages(pageSize: pageSize, options: options) { options in
            try await self.list(T.self, namespace: namespace, options: options)
        }
    }

    private func pages<Item: Codable & Sendable>(
        pageSize: Int, options: ListOptions, fetch: (ListOptions) async throws -> ObjectList<Item>
    ) async throws -> ObjectList<Item> {
        var pageOptions = options
        if pageOptions.limit == nil, pageSize > 0 { pageOptions.limit = pageSize }
        var first = try await fetch(pageOptions)
        var items = first.items
        var metadata = first.metadata
        while let token = metadata.continue, !token.isEmpty {
            var next = pageOptions
            next.continue = token
            // A continued list is served from the first page's snapshot; resourceVersion must not be sent.
            next.resourceVersion = nil
            next.resourceVersionMatch = nil
            do {
                let page = try await fetch(next)
                items.append(contentsOf: page.items)
                metadata = page.metadata
            } catch let error as KubeAPIError where error.isGone {
                logger.debug("continue token expired; listing without pages")
                var full = options
                full.limit = nil
                full.continue = nil
                first = try await fetch(full)
                items = first.items
                metadata = first.metadata
                break
            }
        }
        metadata.continue = nil
        metadata.remainingItemCount = nil
        return ObjectList(apiVersion: first.apiVersion, kind: first.kind, metadata: metadata, items: items)
    }
}
