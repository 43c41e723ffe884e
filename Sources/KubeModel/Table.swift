/// `meta.k8s.io/v1` Table: what the server sends for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`
/// (`kubectl get`). Cells are computed server-side (a `date` column arrives as an age such as `"28s"`;
/// a missing value is `null`).
///
/// In a Table watch only the first event carries `columnDefinitions`; later ones send `null`, which
/// re-encodes as `null` (see ``ExplicitNull``).
public struct Table: Codable, Sendable, Hashable {
    public static let apiVersion = "meta.k8s.io/v1"
    public static let kind = "Table"

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ListMeta?
    @ExplicitNull public var columnDefinitions: [TableColumnDefinition]?
    @ExplicitNull public var rows: [TableRow]?

    public init(metadata: ListMeta? = ListMeta(), columnDefinitions: [TableColumnDefinition]? = nil,
                rows: [TableRow]? = []) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.columnDefinitions = columnDefinitions
        self.rows = rows
    }
}

/// `meta.k8s.io/v1` TableColumnDefinition. Columns with `priority` above 0 show only in `-o wide`.
public struct TableColumnDefinition: Codable, Sendable, Hashable {
    public var name: String
    /// An OpenAPI type: `string`, `integer`, `number`, `boolean` or `date`.
    public var type: String
    /// An OpenAPI format, e.g. `name`; often `""`.
    public var format: String
    public var description: String
    public var priority: Int32

    public init(name: String, type: String, format: String = "", description: String = "", priority: Int32 = 0) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }
}

/// `meta.k8s.io/v1` TableRow: one cell per column and, depending on `includeObject`, the object as
/// PartialObjectMetadata (the default), the full object, or nothing.
public struct TableRow: Codable, Sendable, Hashable {
    public var cells: [JSONValue]
    public var conditions: [TableRowCondition]?
    public var object: JSONValue?

    public init(cells: [JSONValue], conditions: [TableRowCondition]? = nil, object: JSONValue? = nil) {
        self.cells = cells
        self.conditions = conditions
        self.object = object
    }

    /// The row's object as ``PartialObjectMetadata``, when it has that shape.
    public var partialObjectMetadata: PartialObjectMetadata? {
        guard let object else { return nil }
        return try? object.decode(as: PartialObjectMetadata.self)
    }
}

/// `meta.k8s.io/v1` TableRowCondition: `Completed` marks a finished row (a done Job, for example).
public struct TableRowCondition: Codable, Sendable, Hashable {
    public var type: String
    public var status: String
    public var reason: String?
    public var message: String?

    public init(type: String, status: String, reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
    }
}

/// `meta.k8s.io/v1` PartialObjectMetadata: an object reduced to its type and metadata, as in Table rows
/// and metadata-only lists.
public struct PartialObjectMetadata: Codable, Sendable, Hashable {
    public static let apiVersion = "meta.k8s.io/v1"
    public static let kind = "PartialObjectMetadata"

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta?

    public init(apiVersion: String? = Self.apiVersion, kind: String? = Self.kind, metadata: ObjectMeta? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
    }
}
