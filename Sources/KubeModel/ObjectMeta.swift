/// `meta/v1` ObjectMeta.
public struct ObjectMeta: Codable, Sendable, Hashable {
    public var name: String?
    public var generateName: String?
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    public var generation: Int64?
    public var creationTimestamp: KubeTime?
    public var deletionTimestamp: KubeTime?
    public var deletionGracePeriodSeconds: Int64?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var ownerReferences: [OwnerReference]?
    public var finalizers: [String]?
    public var managedFields: [ManagedFieldsEntry]?
    public var selfLink: String?

    public init(
        name: String? = nil, namespace: String? = nil, labels: [String: String]? = nil,
        annotations: [String: String]? = nil, ownerReferences: [OwnerReference]? = nil,
        finalizers: [String]? = nil, resourceVersion: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
        self.finalizers = finalizers
        self.resourceVersion = resourceVersion
    }
}

/// `meta/v1` OwnerReference.
public struct OwnerReference: Codable, Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    public var uid: String
    public var controller: Bool?
    public var blockOwnerDeletion: Bool?

    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil, blockOwnerDeletion: Bool? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }
}

/// `meta/v1` ManagedFieldsEntry. `fieldsV1` stays unstructured.
public struct ManagedFieldsEntry: Codable, Sendable, Hashable {
    public var manager: String?
    public var operation: String?
    public var apiVersion: String?
    public var time: KubeTime?
    public var fieldsType: String?
    public var fieldsV1: JSONValue?
    public var subresource: String?

    public init(manager: String? = nil, operation: String? = nil, apiVersion: String? = nil, time: KubeTime? = nil,
                fieldsType: String? = nil, fieldsV1: JSONValue? = nil, subresource: String? = nil) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.fieldsType = fieldsType
        self.fieldsV1 = fieldsV1
        self.subresource = subresource
    }
}

/// `meta/v1` Condition, the shape our own resources use.
public struct Condition: Codable, Sendable, Hashable {
    public var type: String
    /// "True", "False" or "Unknown".
    public var status: String
    public var observedGeneration: Int64?
    public var lastTransitionTime: KubeTime?
    public var reason: String?
    public var message: String?

    public init(type: String, status: String, observedGeneration: Int64? = nil, lastTransitionTime: KubeTime? = nil,
                reason: String? = nil, message: String? = nil) {
        self.type = type
        self.status = status
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}
