import KubeModel

/// A patch body and its media type.
public enum Patch: Sendable, Hashable {
    /// RFC 7386 JSON merge patch, `application/merge-patch+json`.
    case merge(JSONValue)
    /// RFC 6902 JSON patch, `application/json-patch+json`.
    case json([JSONPatchOperation])
    /// Strategic merge patch (built-in kinds only), `application/strategic-merge-patch+json`.
    case strategicMerge(JSONValue)
    /// Server-side apply of a whole object, `application/apply-patch+yaml` (JSON is valid YAML).
    /// Needs `PatchOptions.fieldManager`.
    case apply(JSONValue)
    /// Server-side apply of a YAML document as written.
    case applyYAML(String)

    public var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .json: "application/json-patch+json"
        case .strategicMerge: "application/strategic-merge-patch+json"
        case .apply, .applyYAML: "application/apply-patch+yaml"
        }
    }

    public var body: [UInt8] {
        switch self {
        case .merge(let v), .strategicMerge(let v), .apply(let v): v.serialized()
        case .json(let ops): JSONValue.array(ops.map(\.jsonValue)).serialized()
        case .applyYAML(let yaml): Array(yaml.utf8)
        }
    }

    var isApply: Bool {
        switch self {
        case .apply, .applyYAML: true
        default: false
        }
    }
}

/// One RFC 6902 operation.
public struct JSONPatchOperation: Sendable, Hashable {
    public var op: String
    public var path: String
    public var value: JSONValue?
    public var from: String?

    public init(op: String, path: String, value: JSONValue? = nil, from: String? = nil) {
        self.op = op
        self.path = path
        self.value = value
        self.from = from
    }

    public static func add(_ path: String, _ value: JSONValue) -> Self { Self(op: "add", path: path, value: value) }
    public static func replace(_ path: String, _ value: JSONValue) -> Self { Self(op: "replace", path: path, value: value) }
    public static func remove(_ path: String) -> Self { Self(op: "remove", path: path) }
    public static func test(_ path: String, _ value: JSONValue) -> Self { Self(op: "test", path: path, value: value) }
    public static func move(from: String, to path: String) -> Self { Self(op: "move", path: path, from: from) }
    public static func copy(from: String, to path: String) -> Self { Self(op: "copy", path: path, from: from) }

    /// Escapes one path segment (`~` → `~0`, `/` → `~1`), e.g. for label keys with slashes.
    public static func escape(_ segment: String) -> String {
        segment.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    var jsonValue: JSONValue {
        var o: [String: JSONValue] = ["op": .string(op), "path": .string(path)]
        if let value { o["value"] = value }
        if let from { o["from"] = .string(from) }
        return .object(o)
    }
}
