import KubeModel

/// What an informer keeps about one object: the object and its metadata.
public struct InformerItem<Object: Sendable>: Sendable {
    public var object: Object
    public var metadata: ObjectMeta

    public init(object: Object, metadata: ObjectMeta) {
        self.object = object
        self.metadata = metadata
    }

    /// `namespace/name`, or `name` for a cluster-scoped object (client-go's MetaNamespaceKeyFunc).
    public var key: String { InformerStore<Object>.key(for: metadata) }
    public var resourceVersion: String? { metadata.resourceVersion }
}

/// A secondary index of an informer's cache: the values an object is filed under.
public struct Indexer<Object: Sendable>: Sendable {
    public var name: String
    public var function: @Sendable (Object, ObjectMeta) -> [String]

    public init(name: String, function: @escaping @Sendable (Object, ObjectMeta) -> [String]) {
        self.name = name
        self.function = function
    }

    /// Index name of `namespace`.
    public static var namespaceIndexName: String { "namespace" }

    /// By namespace (every informer has it).
    public static var namespace: Indexer {
        Indexer(name: namespaceIndexName) { _, meta in meta.namespace.map { [$0] } ?? [] }
    }

    /// By the value of one label, under the name `label:<key>`.
    public static func label(_ key: String) -> Indexer {
        Indexer(name: "label:\(key)") { _, meta in meta.labels?[key].map { [$0] } ?? [] }
    }

    /// Index name of `ownerUID`.
    public static var ownerUIDIndexName: String { "ownerUID" }

    /// By the uid of each owner reference.
    public static var ownerUID: Indexer {
        Indexer(name: ownerUIDIndexName) { _, meta in meta.ownerReferences?.map(\.uid) ?? [] }
    }
}

/// The informer's cache: objects by key plus secondary indices. A pure value.
public struct InformerStore<Object: Sendable>: Sendable {
    private var items: [String: InformerItem<Object>] = [:]
    private var indexers: [String: Indexer<Object>] = [:]
    /// index name → index value → keys
    private var indices: [String: [String: Set<String>]] = [:]

    public init(indexers: [Indexer<Object>] = []) {
        for indexer in [Indexer<Object>.namespace] + indexers {
            self.indexers[indexer.name] = indexer
            indices[indexer.name] = [:]
        }
    }

    public static func key(for metadata: ObjectMeta) -> String {
        let name = metadata.name ?? ""
        if let namespace = metadata.namespace, !namespace.isEmpty { return "\(namespace)/\(name)" }
        return name
    }

    public var count: Int { items.count }
    public var keys: [String] { Array(items.keys) }
    public var isEmpty: Bool { items.isEmpty }

    public func item(forKey key: String) -> InformerItem<Object>? { items[key] }
    public func get(_ key: String) -> Object? { items[key]?.object }
    public func list() -> [Object] { items.values.map(\.object) }
    public var allItems: [InformerItem<Object>] { Array(items.values) }
    public var indexNames: [String] { Array(indexers.keys) }

    /// Objects filed under `value` in index `name` (empty for an unknown index).
    public func byIndex(_ name: String, _ value: String) -> [Object] {
        guard let keys = indices[name]?[value] else { return [] }
        return keys.compactMap { items[$0]?.object }
    }

    /// Keys filed under `value` in index `name`.
    public func keys(inIndex name: String, value: String) -> Set<String> {
        indices[name]?[value] ?? []
    }

    /// Inserts or replaces; returns the previous item.
    @discardableResult
    public mutating func upsert(_ item: InformerItem<Object>) -> InformerItem<Object>? {
        let key = item.key
        let old = items.updateValue(item, forKey: key)
        if let old { unindex(old, key: key) }
        index(item, key: key)
        return old
    }

    /// Removes; returns the removed item.
    @discardableResult
    public mutating func remove(key: String) -> InformerItem<Object>? {
        guard let old = items.removeValue(forKey: key) else { return nil }
        unindex(old, key: key)
        return old
    }

    private mutating func index(_ item: InformerItem<Object>, key: String) {
        for (name, indexer) in indexers {
            for value in Set(indexer.function(item.object, item.metadata)) {
                indices[name, default: [:]][value, default: []].insert(key)
            }
        }
    }

    private mutating func unindex(_ item: InformerItem<Object>, key: String) {
        for (name, indexer) in indexers {
            for value in Set(indexer.function(item.object, item.metadata)) {
                indices[name]?[value]?.remove(key)
                if indices[name]?[value]?.isEmpty == true { indices[name]?[value] = nil }
            }
        }
    }
}
