/// Kubernetes' name rules (DNS-1123 subdomain and label, qualified names, label values), with
/// the messages the real server gives.
enum NameValidation {
    static func isAlnum(_ c: Character) -> Bool { c.isASCII && (c.isLowercase || c.isNumber) }
    static func isAlnumAnyCase(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    /// nil when valid; otherwise the reason, as for metadata.name of most kinds.
    static func dns1123SubdomainProblem(_ name: String) -> String? {
        if name.count > 253 { return "must be no more than 253 characters" }
        let valid = !name.isEmpty && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, let last = part.last else { return false }
            return isAlnum(first) && isAlnum(last) && part.allSatisfy { isAlnum($0) || $0 == "-" }
        }
        if valid { return nil }
        return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    }

    /// nil when valid; RBAC objects need only be path segments (`system:discovery` is a valid name).
    static func pathSegmentProblem(_ name: String) -> String? {
        if name == "." || name == ".." { return "may not be '\(name)'" }
        if let bad = ["/", "%"].first(where: { name.contains($0) }) { return "may not contain '\(bad)'" }
        return nil
    }

    /// nil when valid; namespaces and services use DNS-1123 labels.
    static func dns1123LabelProblem(_ name: String) -> String? {
        if name.count > 63 { return "must be no more than 63 characters" }
        if let first = name.first, let last = name.last, isAlnum(first), isAlnum(last),
           name.allSatisfy({ isAlnum($0) || $0 == "-" }) {
            return nil
        }
        return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    }

    /// Label and annotation keys: `[prefix/]name`.
    static func qualifiedNameProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        if parts.count == 2 {
            if dns1123SubdomainProblem(String(parts[0])) != nil {
                return "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
            }
            name = parts[1]
        } else if parts.count == 1 {
            name = parts[0]
        } else {
            return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        }
        if name.isEmpty { return "name part must be non-empty" }
        if name.count > 63 { return "name part must be no more than 63 characters" }
        if let f = name.first, let l = name.last, isAlnumAnyCase(f), isAlnumAnyCase(l),
           name.allSatisfy({ isAlnumAnyCase($0) || $0 == "-" || $0 == "_" || $0 == "." }) {
            return nil
        }
        return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    }

    static func labelValueProblem(_ value: String) -> String? {
        if value.isEmpty { return nil }
        if value.count > 63 { return "must be no more than 63 characters" }
        if let f = value.first, let l = value.last, isAlnumAnyCase(f), isAlnumAnyCase(l),
           value.allSatisfy({ isAlnumAnyCase($0) || $0 == "-" || $0 == "_" || $0 == "." }) {
            return nil
        }
        return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    }
}
