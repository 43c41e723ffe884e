import KubeModel

/// Turns an informer's object into the requests it should trigger.
public struct RequestMapping<Object: Sendable>: Sendable {
    public var map: @Sendable (Object, ObjectMeta) -> [ReconcileRequest]

    public init(_ map: @escaping @Sendable (Object, ObjectMeta) -> [ReconcileRequest]) {
        self.map = map
    }

    /// The object itself (controller-runtime's `For`).
    public static var object: RequestMapping {
        RequestMapping { _, meta in [ReconcileRequest(metadata: meta)] }
    }

    /// The owner of kind `kind` in API group `group` ("" for core) named in the object's owner
    /// references (controller-runtime's `Owns` / `EnqueueRequestForOwner`): a change to an owned object
    /// enqueues its owner. Owners are in the object's namespace (or cluster-scoped when it has none).
    public static func owner(kind: String, group: String, controllerOnly: Bool = true) -> RequestMapping {
        RequestMapping { _, meta in
            ReconcileRequest.owners(of: meta, kind: kind, group: group, controllerOnly: controllerOnly)
        }
    }

    /// The owner of type `Owner`.
    public static func owner<Owner: KubernetesResource>(_ type: Owner.Type, controllerOnly: Bool = true) -> RequestMapping {
        owner(kind: Owner.kind, group: Owner.groupVersionResource.group, controllerOnly: controllerOnly)
    }
}

extension ReconcileRequest {
    /// Requests for the owners of kind `kind` in group `group` that `metadata` names.
    public static func owners(of metadata: ObjectMeta, kind: String, group: String, controllerOnly: Bool = true) -> [ReconcileRequest] {
        (metadata.ownerReferences ?? []).compactMap { ref in
            guard ref.kind == kind, GroupVersionResource(apiVersion: ref.apiVersion, resource: "").group == group else { return nil }
            if controllerOnly, ref.controller != true { return nil }
            return ReconcileRequest(namespace: metadata.namespace, name: ref.name)
        }
    }
}
