import KubeModel
import ServingAPI

/// Labels, annotations and owner references every rendered object carries.
enum RenderMetadata {
    static let managedByLabel = "app.kubernetes.io/managed-by"
    static let managedByValue = "quiver"
    static let deploymentIDLabel = "quiver.dev/deployment-id"
    static let configurationIDLabel = "quiver.dev/configuration-id"
    static let specHashAnnotation = "quiver.dev/spec-hash"
    /// The Configuration an object was rendered from: a Deployment keeps running what it was rendered
    /// with until its `configurationId` changes.
    static let configurationIDAnnotation = "quiver.dev/configuration-id"
    static let resourcePlanLabels = ["quiver.dev/resourcePlan", "ai.sap.com/resourcePlan"]

    /// The labels that select the pods: managed-by and deployment id.
    static func selectorLabels(_ owner: DeploymentOwner) -> [String: String] {
        [managedByLabel: managedByValue, deploymentIDLabel: owner.name]
    }

    static func stamp(specHash: String, configurationID: String) -> [String: String] {
        [specHashAnnotation: specHash, configurationIDAnnotation: configurationID]
    }

    static func ownerReferences(_ owner: DeploymentOwner) -> JSONValue {
        [[
            "apiVersion": .string(V1Alpha1.apiVersion),
            "kind": .string(V1Alpha1.Deployment.kind),
            "name": .string(owner.name),
            "uid": .string(owner.uid),
            "controller": true,
            "blockOwnerDeletion": true,
        ]]
    }

    static func metadata(name: String, namespace: String, labels: [String: String], annotations: [String: String],
                         owner: DeploymentOwner) -> JSONValue {
        var metadata: JSONValue = [
            "name": .string(name),
            "namespace": .string(namespace),
            "ownerReferences": ownerReferences(owner),
        ]
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues(JSONValue.string)) }
        if !annotations.isEmpty { metadata["annotations"] = .object(annotations.mapValues(JSONValue.string)) }
        return metadata
    }
}

/// Kubernetes' name rules, checked before anything is built so a bad name fails with our message.
enum NameRules {
    static func checkOwner(_ owner: DeploymentOwner) throws(RenderError) {
        // The Service takes the deployment's name, so it must be a DNS-1035 label.
        guard isDNS1035Label(owner.name) else {
            throw .invalidName("deployment name \"\(owner.name.prefix(80))\" is not a DNS-1035 label (lower-case letters, digits and '-', starting with a letter, at most 63 characters)", field: "metadata.name")
        }
        guard isDNS1123Label(owner.namespace) else {
            throw .invalidName("namespace \"\(owner.namespace.prefix(80))\" is not a DNS-1123 label", field: "metadata.namespace")
        }
        guard !owner.uid.isEmpty else {
            throw .invalidName("the owning deployment has no uid", field: "metadata.uid")
        }
    }

    static func isDNS1035Label(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return isDNS1123Label(s)
    }

    static func isDNS1123Label(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        guard !scalars.isEmpty, scalars.count <= 63 else { return false }
        func alnum(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("0"..."9").contains(c) }
        guard let first = scalars.first, let last = scalars.last, alnum(first), alnum(last) else { return false }
        return scalars.allSatisfy { alnum($0) || $0 == "-" }
    }

    static func isDNS1123Subdomain(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 253 else { return false }
        return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isDNS1123Label(String($0)) }
    }

    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, at most 63 characters.
    static func isQualifiedNamePart(_ s: String, allowEmpty: Bool) -> Bool {
        let scalars = Array(s.unicodeScalars)
        if scalars.isEmpty { return allowEmpty }
        guard scalars.count <= 63 else { return false }
        func alnum(_ c: Unicode.Scalar) -> Bool { c.isASCIILetter || c.isASCIIDigit }
        guard let first = scalars.first, let last = scalars.last, alnum(first), alnum(last) else { return false }
        return scalars.allSatisfy { alnum($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    static func isLabelKey(_ key: String) -> Bool {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return isQualifiedNamePart(key, allowEmpty: false)
        case 2: return isDNS1123Subdomain(String(parts[0])) && isQualifiedNamePart(String(parts[1]), allowEmpty: false)
        default: return false
        }
    }

    /// Labels must be valid Kubernetes labels; the message names the placeholder a bad value came from.
    static func checkLabels(_ labels: [String: String], documents: TemplateDocuments) throws(RenderError) {
        for key in labels.keys.sorted() {
            let path = "\(TemplateDocuments.labelsField).\(key)"
            let origin = documents.origin(of: path).map { " (from \($0.placeholder))" } ?? ""
            guard isLabelKey(key) else {
                throw .invalidTemplate("label key \"\(key)\" is not a valid Kubernetes label key", field: path)
            }
            guard let value = labels[key], isQualifiedNamePart(value, allowEmpty: true) else {
                throw .invalidValue(
                    "label \"\(key)\"\(origin): the value is not a valid Kubernetes label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)",
                    field: documents.origin(of: path)?.name ?? path)
            }
        }
    }
}
