/// `meta/v1` LabelSelector: `matchLabels` and `matchExpressions`, ANDed together.
public struct LabelSelector: Codable, Sendable, Hashable {
    public var matchLabels: [String: String]?
    public var matchExpressions: [LabelSelectorRequirement]?

    public init(matchLabels: [String: String]? = nil, matchExpressions: [LabelSelectorRequirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    /// The selector in the query-string form of `?labelSelector=`, e.g. `app=web,tier in (a,b),!legacy`.
    /// Labels are sorted by key; values inside `in`/`notin` keep their order.
    public var selectorString: String {
        var parts: [String] = []
        for key in (matchLabels ?? [:]).keys.sorted() {
            parts.append("\(key)=\(matchLabels?[key] ?? "")")
        }
        for requirement in matchExpressions ?? [] {
            parts.append(requirement.selectorString)
        }
        return parts.joined(separator: ",")
    }
}

/// `meta/v1` LabelSelectorRequirement: `operator` is In, NotIn, Exists or DoesNotExist.
public struct LabelSelectorRequirement: Codable, Sendable, Hashable {
    public var key: String
    public var `operator`: String
    public var values: [String]?

    public init(key: String, operator: String, values: [String]? = nil) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }

    /// This requirement in label-selector syntax, e.g. `tier in (a,b)`.
    public var selectorString: String {
        let list = (values ?? []).joined(separator: ",")
        switch `operator` {
        case "In": return "\(key) in (\(list))"
        case "NotIn": return "\(key) notin (\(list))"
        case "Exists": return key
        case "DoesNotExist": return "!\(key)"
        default: return "\(key) \(`operator`) (\(list))"
        }
    }
}
