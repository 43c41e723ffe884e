import KubeModel

/// CustomResourceDefinition handling: validation, the descriptors a CRD serves, and the status
/// the server gives it once its names are accepted.
enum CRDSupport {
    static let cleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"

    static func validate(_ crd: JSONValue) -> [StatusCause] {
        var causes: [StatusCause] = []
        let name = crd[path: ["metadata", "name"]]?.stringValue ?? ""
        let group = crd[path: ["spec", "group"]]?.stringValue ?? ""
        let plural = crd[path: ["spec", "names", "plural"]]?.stringValue ?? ""
        if group.isEmpty {
            causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.group"))
        } else if !group.contains(".") {
            causes.append(StatusCause(reason: "FieldValueInvalid", message: "Invalid value: \"\(group)\": should be a domain with at least one dot", field: "spec.group"))
        }
        if plural.isEmpty {
            causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.names.plural"))
        }
        if crd[path: ["spec", "names", "kind"]]?.stringValue?.isEmpty ?? true {
            causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.names.kind"))
        }
        if !group.isEmpty, !plural.isEmpty, name != "\(plural).\(group)" {
            causes.append(StatusCause(
                reason: "FieldValueInvalid",
                message: "Invalid value: \"\(name)\": must be spec.names.plural+\".\"+spec.group", field: "metadata.name"))
        }
        let scope = crd[path: ["spec", "scope"]]?.stringValue ?? ""
        if scope != "Namespaced" && scope != "Cluster" {
            causes.append(StatusCause(
                reason: scope.isEmpty ? "FieldValueRequired" : "FieldValueNotSupported",
                message: scope.isEmpty ? "Required value" : "Unsupported value: \"\(scope)\": supported values: \"Cluster\", \"Namespaced\"",
                field: "spec.scope"))
        }
        let versions = crd[path: ["spec", "versions"]]?.arrayValue ?? []
        if versions.isEmpty {
            causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.versions"))
        }
        if versions.filter({ $0["storage"]?.boolValue == true }).count != 1 && !versions.isEmpty {
            causes.append(StatusCause(reason: "FieldValueInvalid", message: "Invalid value: \(versions.filter({ $0["storage"]?.boolValue == true }).count): must have exactly one version marked as storage version", field: "spec.versions"))
        }
        for (i, v) in versions.enumerated() where v[path: ["schema", "openAPIV3Schema"]] == nil {
            causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value: schemas are required", field: "spec.versions[\(i)].schema.openAPIV3Schema"))
        }
        return causes
    }

    /// One descriptor per served version; nil when the CRD is not (or no longer) servable.
    static func descriptors(for crd: JSONValue) -> [ResourceDescriptor]? {
        guard let group = crd[path: ["spec", "group"]]?.stringValue,
              let plural = crd[path: ["spec", "names", "plural"]]?.stringValue,
              let kind = crd[path: ["spec", "names", "kind"]]?.stringValue
        else { return nil }
        let singular = crd[path: ["spec", "names", "singular"]]?.stringValue ?? kind.lowercased()
        let shortNames = (crd[path: ["spec", "names", "shortNames"]]?.arrayValue ?? []).compactMap(\.stringValue)
        let categories = (crd[path: ["spec", "names", "categories"]]?.arrayValue ?? []).compactMap(\.stringValue)
        let namespaced = crd[path: ["spec", "scope"]]?.stringValue != "Cluster"
        var out: [ResourceDescriptor] = []
        for v in crd[path: ["spec", "versions"]]?.arrayValue ?? [] where v["served"]?.boolValue != false {
            guard let version = v["name"]?.stringValue else { continue }
            var d = ResourceDescriptor(
                group: group, version: version, kind: kind, plural: plural, singular: singular,
                shortNames: shortNames, categories: categories, namespaced: namespaced, tracksGeneration: true,
                verbs: ResourceDescriptor.customResourceVerbs)
            d.isCustom = true
            d.schema = v[path: ["schema", "openAPIV3Schema"]]
            d.hasStatus = v[path: ["subresources", "status"]] != nil
            if let scale = v[path: ["subresources", "scale"]] {
                d.scale = .init(
                    specReplicasPath: scale["specReplicasPath"]?.stringValue ?? ".spec.replicas",
                    statusReplicasPath: scale["statusReplicasPath"]?.stringValue ?? ".status.replicas",
                    labelSelectorPath: scale["labelSelectorPath"]?.stringValue)
            }
            d.printerColumns = (v["additionalPrinterColumns"]?.arrayValue ?? []).compactMap { c in
                guard let name = c["name"]?.stringValue, let path = c["jsonPath"]?.stringValue else { return nil }
                return .init(
                    name: name, type: c["type"]?.stringValue ?? "string", format: c["format"]?.stringValue,
                    description: c["description"]?.stringValue ?? "Custom resource definition column (in JSONPath format): \(path)",
                    priority: Int(c["priority"]?.intValue ?? 0), jsonPath: path)
            }
            out.append(d)
        }
        return out.isEmpty ? nil : out
    }

    /// The status of an accepted CRD: NamesAccepted and Established, acceptedNames, storedVersions.
    static func establishedStatus(_ crd: JSONValue, now: KubeTime) -> JSONValue {
        var names = crd[path: ["spec", "names"]] ?? .emptyObject
        if names["singular"] == nil, let kind = names["kind"]?.stringValue { names["singular"] = .string(kind.lowercased()) }
        if names["listKind"] == nil, let kind = names["kind"]?.stringValue { names["listKind"] = .string(kind + "List") }
        let storage = (crd[path: ["spec", "versions"]]?.arrayValue ?? []).first { $0["storage"]?.boolValue == true }?["name"] ?? .null
        let time = JSONValue.string(now.rfc3339)
        return [
            "acceptedNames": names,
            "conditions": [
                ["type": "NamesAccepted", "status": "True", "lastTransitionTime": time, "reason": "NoConflicts", "message": "no conflicts found"],
                ["type": "Established", "status": "True", "lastTransitionTime": time, "reason": "InitialNamesAccepted", "message": "the initial names have been accepted"],
            ],
            "storedVersions": [storage],
        ]
    }
}
