import KubeModel

/// A parsed label selector in Kubernetes' string syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
/// `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma-separated and all required.
struct LabelSelector: Sendable, Hashable {
    enum Operator: Sendable, Hashable {
        case equals, notEquals, `in`, notIn, exists, doesNotExist, greaterThan, lessThan
    }

    struct Requirement: Sendable, Hashable {
        var key: String
        var op: Operator
        var values: [String]
    }

    var requirements: [Requirement]

    var isEmpty: Bool { requirements.isEmpty }

    static let everything = LabelSelector(requirements: [])

    init(requirements: [Requirement]) { self.requirements = requirements }

    /// Parses the selector; errors are 400 BadRequest with Kubernetes' wording.
    init(parsing text: String) throws(APIServerError) {
        var parser = SelectorLexer(text)
        var requirements: [Requirement] = []
        if parser.atEnd {
            self.requirements = []
            return
        }
        while true {
            requirements.append(try parser.requirement())
            if parser.atEnd { break }
            guard parser.consume(",") else {
                throw .badRequest("unable to parse requirement: found '\(parser.peekToken())', expected: ','")
            }
        }
        self.requirements = requirements
    }

    func matches(_ labels: [String: String]) -> Bool {
        for r in requirements {
            let value = labels[r.key]
            switch r.op {
            case .equals: if value != r.values[0] { return false }
            case .notEquals: if value == r.values[0] { return false }
            case .in: guard let value, r.values.contains(value) else { return false }
            case .notIn: if let value, r.values.contains(value) { return false }
            case .exists: if value == nil { return false }
            case .doesNotExist: if value != nil { return false }
            case .greaterThan:
                guard let value, let v = Int64(value), let bound = Int64(r.values[0]), v > bound else { return false }
            case .lessThan:
                guard let value, let v = Int64(value), let bound = Int64(r.values[0]), v < bound else { return false }
            }
        }
        return true
    }

    func matches(object: JSONValue) -> Bool {
        if requirements.isEmpty { return true }
        var labels: [String: String] = [:]
        if case .object(let o)? = object[path: ["metadata", "labels"]] {
            for (k, v) in o { if let s = v.stringValue { labels[k] = s } }
        }
        return matches(labels)
    }

    /// A `metav1.LabelSelector` object (matchLabels + matchExpressions), as Deployments and
    /// Services carry it; nil when it is malformed.
    init?(object: JSONValue) {
        var requirements: [Requirement] = []
        if case .object(let labels)? = object["matchLabels"] {
            for key in labels.keys.sorted() {
                guard let v = labels[key]?.stringValue else { return nil }
                requirements.append(Requirement(key: key, op: .equals, values: [v]))
            }
        }
        for expression in object["matchExpressions"]?.arrayValue ?? [] {
            guard let key = expression["key"]?.stringValue, let op = expression["operator"]?.stringValue else { return nil }
            let values = (expression["values"]?.arrayValue ?? []).compactMap(\.stringValue)
            switch op {
            case "In": requirements.append(Requirement(key: key, op: .in, values: values))
            case "NotIn": requirements.append(Requirement(key: key, op: .notIn, values: values))
            case "Exists": requirements.append(Requirement(key: key, op: .exists, values: []))
            case "DoesNotExist": requirements.append(Requirement(key: key, op: .doesNotExist, values: []))
            default: return nil
            }
        }
        self.requirements = requirements
    }

    /// The string form, as `/scale` reports the selector.
    var description: String {
        requirements.map { r in
            switch r.op {
            case .equals: "\(r.key)=\(r.values[0])"
            case .notEquals: "\(r.key)!=\(r.values[0])"
            case .in: "\(r.key) in (\(r.values.joined(separator: ",")))"
            case .notIn: "\(r.key) notin (\(r.values.joined(separator: ",")))"
            case .exists: r.key
            case .doesNotExist: "!\(r.key)"
            case .greaterThan: "\(r.key)>\(r.values[0])"
            case .lessThan: "\(r.key)<\(r.values[0])"
            }
        }.joined(separator: ",")
    }
}

/// A lexer over selector text shared by label and field selectors.
struct SelectorLexer {
    private let chars: [Character]
    private var i = 0

    init(_ text: String) { chars = Array(text) }

    private static let special: Set<Character> = [",", "(", ")", "=", "!", "<", ">", " "]

    var atEnd: Bool {
        mutating get {
            skipSpaces()
            return i >= chars.count
        }
    }

    mutating func skipSpaces() { while i < chars.count, chars[i] == " " { i += 1 } }

    mutating func consume(_ s: String) -> Bool {
        skipSpaces()
        let target = Array(s)
        guard i + target.count <= chars.count, Array(chars[i..<(i + target.count)]) == target else { return false }
        i += target.count
        return true
    }

    mutating func identifier() -> String {
        skipSpaces()
        let start = i
        while i < chars.count, !Self.special.contains(chars[i]) { i += 1 }
        return String(chars[start..<i])
    }

    mutating func peekToken() -> String {
        skipSpaces()
        guard i < chars.count else { return "" }
        if Self.special.contains(chars[i]) { return String(chars[i]) }
        var j = i
        while j < chars.count, !Self.special.contains(chars[j]) { j += 1 }
        return String(chars[i..<j])
    }

    mutating func requirement() throws(APIServerError) -> LabelSelector.Requirement {
        if consume("!") {
            let key = identifier()
            try validateKey(key)
            return .init(key: key, op: .doesNotExist, values: [])
        }
        let key = identifier()
        if key.isEmpty {
            throw .badRequest("unable to parse requirement: found '\(peekToken())', expected: identifier")
        }
        try validateKey(key)
        skipSpaces()
        if atEnd || peekToken() == "," { return .init(key: key, op: .exists, values: []) }
        if consume("==") || consume("=") {
            let v = identifier()
            try validateValue(v, key: key)
            return .init(key: key, op: .equals, values: [v])
        }
        if consume("!=") {
            let v = identifier()
            try validateValue(v, key: key)
            return .init(key: key, op: .notEquals, values: [v])
        }
        if consume(">") { return .init(key: key, op: .greaterThan, values: [try integer(key)]) }
        if consume("<") { return .init(key: key, op: .lessThan, values: [try integer(key)]) }
        let word = identifier()
        let op: LabelSelector.Operator
        switch word {
        case "in": op = .in
        case "notin": op = .notIn
        default:
            throw .badRequest("unable to parse requirement: found '\(word.isEmpty ? peekToken() : word)', expected: in, notin, =, ==, !=, gt, lt")
        }
        guard consume("(") else {
            throw .badRequest("unable to parse requirement: found '\(peekToken())', expected: '('")
        }
        var values: [String] = []
        while true {
            let v = identifier()
            try validateValue(v, key: key)
            values.append(v)
            if consume(",") { continue }
            if consume(")") { break }
            throw .badRequest("unable to parse requirement: found '\(peekToken())', expected: ',' or ')'")
        }
        return .init(key: key, op: op, values: values)
    }

    private mutating func integer(_ key: String) throws(APIServerError) -> String {
        let v = identifier()
        guard Int64(v) != nil else {
            throw .badRequest("unable to parse requirement: values[0][\(key)]: Invalid value: \"\(v)\": for 'Gt', 'Lt' operators, the value must be an integer")
        }
        return v
    }

    private func validateKey(_ key: String) throws(APIServerError) {
        if let problem = NameValidation.qualifiedNameProblem(key) {
            throw .badRequest("unable to parse requirement: key: Invalid value: \"\(key)\": \(problem)")
        }
    }

    private func validateValue(_ value: String, key: String) throws(APIServerError) {
        if let problem = NameValidation.labelValueProblem(value) {
            throw .badRequest("unable to parse requirement: values[0][\(key)]: Invalid value: \"\(value)\": \(problem)")
        }
    }
}
