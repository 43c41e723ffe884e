import KubeModel

/// A parsed template document before values are known: the shape is fixed, and only scalars
/// hold references. Substitution fills scalars and never adds or removes a node.
indirect enum TemplateNode: Sendable, Hashable {
    /// A scalar with no placeholder, already typed.
    case value(JSONValue)
    /// A string made of literal text and references, each replaced by its value's text.
    case text([TemplateSegment])
    /// A plain scalar that was exactly one placeholder: takes the value with YAML typing.
    case typed(InputReference)
    case array([TemplateNode])
    case object([String: TemplateNode])

    /// Every reference with the path of the scalar it occurs in, in document order (keys sorted).
    func references(at path: String, into result: inout [(reference: InputReference, path: String)]) {
        switch self {
        case .value: break
        case .typed(let reference):
            result.append((reference, path))
        case .text(let segments):
            for case .reference(let reference) in segments {
                result.append((reference, path))
            }
        case .array(let items):
            for (i, item) in items.enumerated() { item.references(at: "\(path)[\(i)]", into: &result) }
        case .object(let members):
            for key in members.keys.sorted() {
                members[key]?.references(at: path.isEmpty ? key : "\(path).\(key)", into: &result)
            }
        }
    }

    /// The document with every reference replaced by its value. `values` holds a checked value
    /// for every reference (see `ValueSafety`).
    func substituted(_ values: [InputReference: String], at path: String) throws(RenderError) -> JSONValue {
        switch self {
        case .value(let value):
            return value
        case .typed(let reference):
            let value = values[reference] ?? ""
            return try ScalarTyping.typedValue(of: value, at: path, source: reference.noun)
        case .text(let segments):
            var out = ""
            for segment in segments {
                switch segment {
                case .text(let text): out += text
                case .reference(let reference): out += values[reference] ?? ""
                }
            }
            return .string(out)
        case .array(let items):
            var result: [JSONValue] = []
            result.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                result.append(try item.substituted(values, at: "\(path)[\(i)]"))
            }
            return .array(result)
        case .object(let members):
            var result: [String: JSONValue] = [:]
            for (key, member) in members {
                result[key] = try member.substituted(values, at: path.isEmpty ? key : "\(path).\(key)")
            }
            return .object(result)
        }
    }

    /// A template given as a structured object (not a YAML string): its strings may hold
    /// placeholders, replaced as text; its keys may not.
    static func structured(_ value: JSONValue, at path: String, stringValues: Bool) throws(RenderError) -> TemplateNode {
        switch value {
        case .string(let text):
            let segments = try PlaceholderScanner.segments(of: text, field: path)
            if segments.allSatisfy({ if case .text = $0 { true } else { false } }) { return .value(.string(text)) }
            return .text(segments)
        case .array(let items):
            if stringValues { throw .invalidTemplate("\(path) must be a map of strings, not a list", field: path) }
            var nodes: [TemplateNode] = []
            for (i, item) in items.enumerated() {
                nodes.append(try structured(item, at: "\(path)[\(i)]", stringValues: false))
            }
            return .array(nodes)
        case .object(let members):
            var nodes: [String: TemplateNode] = [:]
            for key in members.keys.sorted() {
                if key.contains("{{") {
                    throw .placeholderInKey("placeholders are not allowed in keys: \"\(key)\" in \(path)", field: path)
                }
                guard let member = members[key] else { continue }
                let memberPath = path.isEmpty ? key : "\(path).\(key)"
                if stringValues, case .object = member {
                    throw .invalidTemplate("\(memberPath) must be a string", field: memberPath)
                }
                nodes[key] = try structured(member, at: memberPath, stringValues: false)
            }
            return .object(nodes)
        case .int(let i) where stringValues: return .value(.string(String(i)))
        case .bool(let b) where stringValues: return .value(.string(b ? "true" : "false"))
        case .double(let d) where stringValues: return .value(.string(JSONValue.double(d).serializedString()))
        case .null where stringValues: return .value(.string(""))
        default:
            return .value(value)
        }
    }
}
