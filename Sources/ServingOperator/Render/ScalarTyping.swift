import KubeModel
import Yams

/// YAML typing of plain scalars, as Yams' default resolver reads them: null, bool, int, float,
/// else string. A whole-scalar placeholder takes its value's type this way (`minReplicas: {{…}}`
/// with `"2"` gives the integer 2), exactly as if the value's text had been written there; an
/// empty value gives the empty string rather than null.
enum ScalarTyping {
    static func typedValue(of text: String, at path: String, source: String) throws(RenderError) -> JSONValue {
        if text.isEmpty { return .string("") }
        return try typed(text, at: path, source: source)
    }

    /// A plain scalar's value.
    static func typed(_ text: String, at path: String, source: String) throws(RenderError) -> JSONValue {
        let scalar = Node.Scalar(text)
        switch Resolver.default.resolveTag(of: .scalar(scalar)) {
        case .null:
            return .null
        case .bool:
            guard let b = Bool.construct(from: scalar) else { return .string(text) }
            return .bool(b)
        case .int:
            guard let i = Int64.construct(from: scalar) else {
                throw .invalidValue("\(source) at \(path): \(text.prefix(40)) is not an integer in range", field: path)
            }
            return .int(i)
        case .float:
            guard let d = Double.construct(from: scalar), d.isFinite else {
                throw .invalidValue("\(source) at \(path): only finite numbers are allowed", field: path)
            }
            return .double(d)
        default:
            return .string(text)
        }
    }
}
