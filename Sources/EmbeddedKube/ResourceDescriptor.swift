import KubeModel

/// Everything the server knows about one resource: names, scope, verbs, subresources, printer
/// columns and (for custom resources) the structural schema.
struct ResourceDescriptor: Sendable, Hashable {
    var group: String
    var version: String
    var kind: String
    var plural: String
    var singular: String
    var shortNames: [String] = []
    var categories: [String] = []
    var namespaced: Bool
    /// Whether `metadata.generation` is kept (and bumped on spec changes).
    var tracksGeneration: Bool = false
    var verbs: [String]
    var hasStatus: Bool = false
    var scale: ScaleSubresource?
    var printerColumns: [PrinterColumn] = []
    /// `openAPIV3Schema` of a custom resource version.
    var schema: JSONValue?
    var isCustom: Bool = false
    /// Patch types beyond merge/json/apply: built-ins accept strategic merge.
    var acceptsStrategicMerge: Bool { !isCustom }
    /// Only `create` (review APIs): nothing is stored.
    var isVirtual: Bool = false
    /// SelfSubjectReview, SelfSubjectAccessReview, SelfSubjectRulesReview: every authenticated user may create them.
    var isSelfReview: Bool { isVirtual && plural.hasPrefix("selfsubject") }

    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// core/v1 Namespaces: deleted through the namespace controller.
    var isNamespace: Bool { group.isEmpty && plural == "namespaces" }
    /// CustomResourceDefinitions: Established, served and cleaned up by the CRD controller.
    var isCustomResourceDefinition: Bool { group == "apiextensions.k8s.io" && plural == "customresourcedefinitions" }
    var listKind: String { kind + "List" }
    var groupResource: GroupResource { GroupResource(group: group, resource: plural) }
    /// Another resource whose storage this one shares, converted (events.k8s.io/v1 Events are core Events).
    var storedAs: String?
    var conversion: Conversion?
    /// The key objects of this resource are stored under; the same for every version of a group.
    var storageKey: String { storedAs ?? "\(group)/\(plural)" }

    struct ScaleSubresource: Sendable, Hashable {
        var specReplicasPath: String
        var statusReplicasPath: String
        var labelSelectorPath: String?
    }

    struct PrinterColumn: Sendable, Hashable {
        var name: String
        var type: String
        var format: String?
        var description: String
        var priority: Int
        var jsonPath: String
    }

    static let standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
    /// The order a real server lists a CRD's verbs in.
    static let customResourceVerbs = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]
}
