import KubeModel

/// A field selector: `metadata.name=x`, `metadata.namespace!=y`, comma-separated. Kubernetes
/// supports a few fields per kind; we support metadata.name and metadata.namespace for all, plus
/// the common ones of the built-ins (status.phase, spec.nodeName, type, involvedObject.*).
struct FieldSelector: Sendable, Hashable {
    struct Requirement: Sendable, Hashable {
        var field: String
        var value: String
        var negated: Bool
    }

    var requirements: [Requirement]
    static let everything = FieldSelector(requirements: [])

    init(requirements: [Requirement]) { self.requirements = requirements }

    init(parsing text: String, descriptor: ResourceDescriptor) throws(APIServerError) {
        var requirements: [Requirement] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            let p = String(part).trimming(" ")
            let negated: Bool
            let pieces: [Substring]
            if let r = p.range(of: "!=") {
                negated = true
                pieces = [p[..<r.lowerBound], p[r.upperBound...]]
            } else if let r = p.range(of: "==") {
                negated = false
                pieces = [p[..<r.lowerBound], p[r.upperBound...]]
            } else if let r = p.range(of: "=") {
                negated = false
                pieces = [p[..<r.lowerBound], p[r.upperBound...]]
            } else {
                throw .badRequest("invalid selector: '\(text)'; can't understand '\(p)'")
            }
            let field = String(pieces[0]).trimming(" ")
            guard Self.supported(field, descriptor: descriptor) else {
                throw .badRequest("field label not supported: \(field)")
            }
            requirements.append(Requirement(field: field, value: String(pieces[1]).trimming(" "), negated: negated))
        }
        self.requirements = requirements
    }

    static func supported(_ field: String, descriptor: ResourceDescriptor) -> Bool {
        if field == "metadata.name" || field == "metadata.namespace" { return true }
        switch (descriptor.group, descriptor.plural) {
        case ("", "pods"): return ["status.phase", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.podIP"].contains(field)
        case ("", "secrets"): return field == "type"
        case ("", "events"): return field.hasPrefix("involvedObject.") || ["reason", "type", "source", "reportingComponent"].contains(field)
        case ("", "namespaces"): return field == "status.phase"
        default: return false
        }
    }

    var isEmpty: Bool { requirements.isEmpty }

    func matches(object: JSONValue) -> Bool {
        for r in requirements {
            let path = r.field.split(separator: ".").map(String.init)
            let raw = object[path: path]
            let value: String
            switch raw {
            case .string(let s)?: value = s
            case .int(let i)?: value = String(i)
            case .bool(let b)?: value = b ? "true" : "false"
            default: value = ""
            }
            if (value == r.value) == r.negated { return false }
        }
        return true
    }
}

extension StringProtocol {
    func trimming(_ c: Character) -> String {
        var s = Substring(String(self))
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
