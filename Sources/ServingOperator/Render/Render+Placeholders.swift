/// A reference to a template input: `{{inputs.parameters.NAME}}` or `{{inputs.artifacts.NAME}}`.
struct InputReference: Hashable, Comparable, Sendable {
    enum Kind: String, Sendable, Comparable {
        case parameter = "parameters"
        case artifact = "artifacts"

        static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var kind: Kind
    var name: String

    /// The placeholder as a template writes it.
    var placeholder: String { "{{inputs.\(kind.rawValue).\(name)}}" }
    /// How messages name the input: `parameter "batchSize"`.
    var noun: String { kind == .parameter ? "parameter \"\(name)\"" : "artifact \"\(name)\"" }

    static func < (lhs: InputReference, rhs: InputReference) -> Bool {
        (lhs.kind, lhs.name) < (rhs.kind, rhs.name)
    }
}

/// A piece of template text: literal text or a reference to an input.
enum TemplateSegment: Hashable, Sendable {
    case text(String)
    case reference(InputReference)
}

/// Finds `{{…}}` placeholders in template text. Anything between `{{` and `}}` that is not
/// `inputs.parameters.NAME` or `inputs.artifacts.NAME` (spaces around it allowed) is an error.
enum PlaceholderScanner {
    static func segments(of text: String, field: String) throws(RenderError) -> [TemplateSegment] {
        let bytes = Array(text.utf8)
        var segments: [TemplateSegment] = []
        var literalStart = 0
        var i = 0
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        while i + 1 < bytes.count {
            guard bytes[i] == open, bytes[i + 1] == open else {
                i += 1
                continue
            }
            var j = i + 2
            while j + 1 < bytes.count, !(bytes[j] == close && bytes[j + 1] == close) { j += 1 }
            guard j + 1 < bytes.count else {
                let rest = String(decoding: bytes[i...].prefix(60), as: UTF8.self)
                throw .unknownPlaceholder("unterminated placeholder \"\(rest)\" in \(field): a placeholder is {{inputs.parameters.NAME}} or {{inputs.artifacts.NAME}}", field: field)
            }
            let inner = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
            guard let reference = parse(inner) else {
                throw .unknownPlaceholder("unknown placeholder \"{{\(inner)}}\" in \(field): a placeholder is {{inputs.parameters.NAME}} or {{inputs.artifacts.NAME}}", field: field)
            }
            if literalStart < i {
                segments.append(.text(String(decoding: bytes[literalStart..<i], as: UTF8.self)))
            }
            segments.append(.reference(reference))
            i = j + 2
            literalStart = i
        }
        if literalStart < bytes.count {
            segments.append(.text(String(decoding: bytes[literalStart...], as: UTF8.self)))
        }
        return segments
    }

    private static func parse(_ inner: String) -> InputReference? {
        let trimmed = inner.trimmingSpaces
        for kind in [InputReference.Kind.parameter, .artifact] {
            let prefix = "inputs.\(kind.rawValue)."
            if trimmed.hasPrefix(prefix) {
                let name = String(trimmed.dropFirst(prefix.count))
                return isInputName(name) ? InputReference(kind: kind, name: name) : nil
            }
        }
        return nil
    }

    /// The CRD's pattern for input names: `^[A-Za-z_][A-Za-z0-9_]*$`.
    static func isInputName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "_" }
    }
}

/// Stand-in tokens for placeholders: plain YAML scalars (letters and digits) that occur nowhere in
/// the template, so the template's YAML can be parsed before any value is known. A token is
/// `PREFIX<n>Z`; the `Z` ends the number, so no token is a prefix of another.
struct StandIns: Sendable {
    let prefix: String
    private(set) var tokens: [InputReference: String] = [:]
    private(set) var references: [String: InputReference] = [:]

    init(avoiding texts: [String]) {
        var prefix = "QUIVERSTANDIN"
        while texts.contains(where: { $0.contains(prefix) }) { prefix += "X" }
        self.prefix = prefix
    }

    mutating func token(for reference: InputReference) -> String {
        if let token = tokens[reference] { return token }
        let token = "\(prefix)\(tokens.count)Z"
        tokens[reference] = token
        references[token] = reference
        return token
    }

    /// `segments` as YAML text with each reference replaced by its token.
    mutating func text(_ segments: [TemplateSegment]) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .text(let text): out += text
            case .reference(let reference): out += token(for: reference)
            }
        }
        return out
    }

    /// Splits parsed scalar text back into literal text and references.
    func segments(of text: String) -> [TemplateSegment] {
        guard !tokens.isEmpty, text.contains(prefix) else { return [.text(text)] }
        var segments: [TemplateSegment] = []
        var literal = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: prefix) {
            literal += rest[..<range.lowerBound]
            let afterPrefix = rest[range.upperBound...]
            let digits = afterPrefix.prefix { $0.isASCII && $0.isNumber }
            let afterDigits = afterPrefix.dropFirst(digits.count)
            if !digits.isEmpty, afterDigits.first == "Z", let reference = references["\(prefix)\(digits)Z"] {
                if !literal.isEmpty { segments.append(.text(literal)) }
                literal = ""
                segments.append(.reference(reference))
                rest = afterDigits.dropFirst()
            } else {
                literal += prefix
                rest = afterPrefix
            }
        }
        literal += rest
        if !literal.isEmpty { segments.append(.text(literal)) }
        return segments
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
