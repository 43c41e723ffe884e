import KubeModel
import Yams

/// Parses YAML into a `TemplateNode`. Anchors and aliases, explicit tags, merge keys, complex
/// keys and placeholders in keys are refused. With `standIns`, scalars holding stand-in tokens
/// become references; without, the document is plain data.
struct TemplateYAML {
    var standIns: StandIns?

    /// The single document in `text`; nil for an empty document. `stringValues`: the document is
    /// a map of strings (labels, annotations), whose scalars are kept as written (`1` → `"1"`).
    func parse(_ text: String, field: String, stringValues: Bool = false) throws(RenderError) -> TemplateNode? {
        let parser: Parser
        let root: Node?
        do {
            parser = try Parser(yaml: text)
            root = try parser.singleRoot()
        } catch {
            throw .invalidTemplate("\(field) is not valid YAML: \(error)", field: field)
        }
        // Anchors are weakly held by nodes and strongly by the parser: keep it alive while walking.
        defer { withExtendedLifetime(parser) {} }
        guard let root else { return nil }
        return try node(root, at: field, stringValues: stringValues)
    }

    /// Every document in `text`.
    func parseAll(_ text: String, field: String) throws(RenderError) -> [TemplateNode] {
        let parser: Parser
        do {
            parser = try Parser(yaml: text)
        } catch {
            throw .invalidTemplate("\(field) is not valid YAML: \(error)", field: field)
        }
        defer { withExtendedLifetime(parser) {} }
        var documents: [TemplateNode] = []
        while true {
            let next: Node?
            do {
                next = try parser.nextRoot()
            } catch {
                throw .invalidTemplate("\(field) is not valid YAML: \(error)", field: field)
            }
            guard let next else { break }
            documents.append(try node(next, at: "\(field)[\(documents.count)]", stringValues: false))
        }
        return documents
    }

    private func node(_ node: Node, at path: String, stringValues: Bool) throws(RenderError) -> TemplateNode {
        if let anchor = node.anchor {
            throw .yamlAnchorOrAlias("YAML anchors and aliases are not allowed: \(path) has anchor &\(anchor.rawValue)", field: path)
        }
        switch node {
        case .alias(let alias):
            throw .yamlAnchorOrAlias("YAML anchors and aliases are not allowed: \(path) is alias *\(alias.anchor.rawValue)", field: path)
        case .scalar(let scalar):
            return try self.scalar(scalar, at: path, stringValue: false)
        case .sequence(let sequence):
            if stringValues { throw .invalidTemplate("\(path) must be a map of strings, not a list", field: path) }
            try checkNoTag(sequence.tag, at: path)
            var items: [TemplateNode] = []
            for (i, item) in sequence.enumerated() {
                items.append(try self.node(item, at: "\(path)[\(i)]", stringValues: false))
            }
            return .array(items)
        case .mapping(let mapping):
            try checkNoTag(mapping.tag, at: path)
            var members: [String: TemplateNode] = [:]
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode, keyNode.anchor == nil else {
                    if keyNode.anchor != nil || keyNode.alias != nil {
                        throw .yamlAnchorOrAlias("YAML anchors and aliases are not allowed: a key in \(path)", field: path)
                    }
                    throw .invalidTemplate("\(path) has a key that is not a string", field: path)
                }
                let key = keyScalar.string
                if let standIns, standIns.segments(of: key).contains(where: { if case .reference = $0 { true } else { false } }) {
                    let shown = standIns.segments(of: key).map { segment -> String in
                        switch segment {
                        case .text(let text): return text
                        case .reference(let reference): return reference.placeholder
                        }
                    }.joined()
                    throw .placeholderInKey("placeholders are not allowed in keys: \"\(shown)\" in \(path)", field: path)
                }
                if key == "<<", keyScalar.style == .plain || keyScalar.style == .any {
                    throw .invalidTemplate("YAML merge keys (<<) are not allowed: \(path)", field: path)
                }
                let memberPath = path.isEmpty ? key : "\(path).\(key)"
                if stringValues {
                    guard case .scalar(let valueScalar) = valueNode, valueNode.anchor == nil else {
                        if valueNode.anchor != nil || valueNode.alias != nil {
                            throw .yamlAnchorOrAlias("YAML anchors and aliases are not allowed: \(memberPath)", field: memberPath)
                        }
                        throw .invalidTemplate("\(memberPath) must be a string", field: memberPath)
                    }
                    members[key] = try scalar(valueScalar, at: memberPath, stringValue: true)
                } else {
                    members[key] = try self.node(valueNode, at: memberPath, stringValues: false)
                }
            }
            return .object(members)
        }
    }

    private func scalar(_ scalar: Node.Scalar, at path: String, stringValue: Bool) throws(RenderError) -> TemplateNode {
        let plain = scalar.style == .plain || scalar.style == .any
        let tag = scalar.tag.rawValue
        if !(tag == Tag.Name.implicit.rawValue || (!plain && tag == Tag.Name.str.rawValue)) {
            throw .invalidTemplate("explicit YAML tags are not allowed: \(path) is tagged \(tag)", field: path)
        }
        let segments = standIns?.segments(of: scalar.string) ?? [.text(scalar.string)]
        let hasReference = segments.contains { if case .reference = $0 { true } else { false } }
        if hasReference {
            if plain, !stringValue, segments.count == 1, case .reference(let reference) = segments[0] {
                return .typed(reference)
            }
            return .text(segments)
        }
        if stringValue || !plain { return .value(.string(scalar.string)) }
        return .value(try ScalarTyping.typed(scalar.string, at: path, source: "the template"))
    }

    private func checkNoTag(_ tag: Tag, at path: String) throws(RenderError) {
        if tag.rawValue != Tag.Name.implicit.rawValue {
            throw .invalidTemplate("explicit YAML tags are not allowed: \(path) is tagged \(tag.rawValue)", field: path)
        }
    }
}

/// YAML in and out for the renderer's callers and tests: parse (anchors, aliases and tags refused)
/// and emit with sorted keys, so the same value always gives the same text.
public enum RenderYAML {
    /// The single document in `text` as JSON (an empty document is null).
    public static func parse(_ text: String) throws(RenderError) -> JSONValue {
        guard let node = try TemplateYAML(standIns: nil).parse(text, field: "document") else { return .null }
        return try node.substituted([:], at: "")
    }

    /// Every document in `text`, empty documents left out.
    public static func parseAll(_ text: String) throws(RenderError) -> [JSONValue] {
        var values: [JSONValue] = []
        for node in try TemplateYAML(standIns: nil).parseAll(text, field: "document") {
            let value = try node.substituted([:], at: "")
            if !value.isNull { values.append(value) }
        }
        return values
    }

    /// Block-style YAML with keys sorted; strings that YAML would read as another type are quoted.
    public static func emit(_ value: JSONValue) -> String {
        (try? Yams.serialize(node: node(value), indent: 2, width: -1, allowUnicode: true)) ?? value.serializedString()
    }

    /// Several documents separated by `---`.
    public static func emitAll(_ values: [JSONValue]) -> String {
        values.map { "---\n" + emit($0) }.joined()
    }

    private static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null: return .scalar(.init("null", Tag(.null)))
        case .bool(let b): return .scalar(.init(b ? "true" : "false", Tag(.bool)))
        case .int(let i): return .scalar(.init(String(i), Tag(.int)))
        case .double: return .scalar(.init(value.serializedString(), Tag(.float)))
        case .string(let s): return .scalar(s.represented())
        case .array(let items): return .sequence(.init(items.map(node), Tag(.seq)))
        case .object(let members):
            let pairs = members.keys.sorted().map { key in (Node.scalar(key.represented()), node(members[key] ?? .null)) }
            return .mapping(.init(pairs, Tag(.map)))
        }
    }
}
