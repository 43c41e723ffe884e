extension ResourceDescriptor {
    /// The built-in kinds EmbeddedKube serves.
    static let builtins: [ResourceDescriptor] = [
        ResourceDescriptor(
            group: "", version: "v1", kind: "Namespace", plural: "namespaces", singular: "namespace",
            shortNames: ["ns"], namespaced: false, verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
            hasStatus: true,
            printerColumns: [
                .init(name: "Status", type: "string", description: "The status of the namespace", priority: 0, jsonPath: ".status.phase"),
            ]),
        ResourceDescriptor(
            group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", singular: "configmap",
            shortNames: ["cm"], namespaced: true, verbs: standardVerbs,
            printerColumns: [.init(name: "Data", type: "string", description: "Number of data entries", priority: 0, jsonPath: "#data-count")]),
        ResourceDescriptor(
            group: "", version: "v1", kind: "Secret", plural: "secrets", singular: "secret",
            namespaced: true, verbs: standardVerbs,
            printerColumns: [
                .init(name: "Type", type: "string", description: "The type of the secret", priority: 0, jsonPath: ".type"),
                .init(name: "Data", type: "string", description: "Number of data entries", priority: 0, jsonPath: "#data-count"),
            ]),
        ResourceDescriptor(
            group: "", version: "v1", kind: "Service", plural: "services", singular: "service",
            shortNames: ["svc"], categories: ["all"], namespaced: true,
            verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], hasStatus: true,
            printerColumns: [
                .init(name: "Type", type: "string", description: "The type of the service", priority: 0, jsonPath: ".spec.type"),
                .init(name: "Cluster-IP", type: "string", description: "The cluster IP", priority: 0, jsonPath: ".spec.clusterIP"),
                .init(name: "External-IP", type: "string", description: "External IPs", priority: 0, jsonPath: "#external-ip"),
                .init(name: "Port(s)", type: "string", description: "The ports", priority: 0, jsonPath: "#service-ports"),
            ]),
        ResourceDescriptor(
            group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", singular: "serviceaccount",
            shortNames: ["sa"], namespaced: true, verbs: standardVerbs,
            printerColumns: [.init(name: "Secrets", type: "string", description: "Number of secrets", priority: 0, jsonPath: "#secrets-count")]),
        ResourceDescriptor(
            group: "", version: "v1", kind: "Event", plural: "events", singular: "event",
            shortNames: ["ev"], namespaced: true, verbs: standardVerbs,
            printerColumns: [
                .init(name: "Last Seen", type: "string", description: "Last seen", priority: 0, jsonPath: "#event-last-seen"),
                .init(name: "Type", type: "string", description: "Type", priority: 0, jsonPath: ".type"),
                .init(name: "Reason", type: "string", description: "Reason", priority: 0, jsonPath: ".reason"),
                .init(name: "Object", type: "string", description: "Involved object", priority: 0, jsonPath: "#event-object"),
                .init(name: "Message", type: "string", description: "Message", priority: 0, jsonPath: ".message"),
            ]),
        {
            var d = ResourceDescriptor(
                group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", singular: "event",
                shortNames: ["ev"], namespaced: true, verbs: standardVerbs)
            d.storedAs = "/events"
            d.conversion = .eventsV1
            return d
        }(),
        ResourceDescriptor(
            group: "", version: "v1", kind: "Pod", plural: "pods", singular: "pod",
            shortNames: ["po"], categories: ["all"], namespaced: true, tracksGeneration: true, verbs: standardVerbs, hasStatus: true,
            printerColumns: [
                .init(name: "Ready", type: "string", description: "The aggregate readiness state of this pod for accepting traffic.", priority: 0, jsonPath: "#pod-ready"),
                .init(name: "Status", type: "string", description: "The aggregate status of the containers in this pod.", priority: 0, jsonPath: "#pod-status"),
                .init(name: "Restarts", type: "string", description: "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.", priority: 0, jsonPath: "#pod-restarts"),
                .init(name: "IP", type: "string", description: "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", priority: 1, jsonPath: ".status.podIP"),
                .init(name: "Node", type: "string", description: "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename", priority: 1, jsonPath: ".spec.nodeName"),
                .init(name: "Nominated Node", type: "string", description: "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.", priority: 1, jsonPath: ".status.nominatedNodeName"),
                .init(name: "Readiness Gates", type: "string", description: "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates", priority: 1, jsonPath: ".spec.readinessGates"),
            ]),
        ResourceDescriptor(
            group: "apps", version: "v1", kind: "Deployment", plural: "deployments", singular: "deployment",
            shortNames: ["deploy"], categories: ["all"], namespaced: true, tracksGeneration: true, verbs: standardVerbs, hasStatus: true,
            scale: .init(specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas", labelSelectorPath: "#selector"),
            printerColumns: [
                .init(name: "Ready", type: "string", description: "Number of the pod with ready state", priority: 0, jsonPath: "#deployment-ready"),
                .init(name: "Up-to-date", type: "string", description: "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", priority: 0, jsonPath: ".status.updatedReplicas"),
                .init(name: "Available", type: "string", description: "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", priority: 0, jsonPath: ".status.availableReplicas"),
                .init(name: "Containers", type: "string", description: "Names of each container in the template.", priority: 1, jsonPath: "#containers"),
                .init(name: "Images", type: "string", description: "Images referenced by each container in the template.", priority: 1, jsonPath: "#images"),
            ]),
        ResourceDescriptor(
            group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", singular: "lease",
            namespaced: true, verbs: standardVerbs,
            printerColumns: [.init(name: "Holder", type: "string", description: "The holder", priority: 0, jsonPath: ".spec.holderIdentity")]),
        ResourceDescriptor(
            group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers",
            singular: "horizontalpodautoscaler", shortNames: ["hpa"], categories: ["all"], namespaced: true,
            tracksGeneration: true, verbs: standardVerbs, hasStatus: true,
            printerColumns: [
                .init(name: "Reference", type: "string", description: "The target", priority: 0, jsonPath: "#hpa-reference"),
                .init(name: "MinPods", type: "string", description: "Minimum replicas", priority: 0, jsonPath: ".spec.minReplicas"),
                .init(name: "MaxPods", type: "string", description: "Maximum replicas", priority: 0, jsonPath: ".spec.maxReplicas"),
                .init(name: "Replicas", type: "string", description: "Current replicas", priority: 0, jsonPath: ".status.currentReplicas"),
            ]),
        {
            // What `kubectl autoscale` writes; stored as autoscaling/v2 (registered after v2, so v2 stays preferred).
            var d = ResourceDescriptor(
                group: "autoscaling", version: "v1", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers",
                singular: "horizontalpodautoscaler", shortNames: ["hpa"], categories: ["all"], namespaced: true,
                tracksGeneration: true, verbs: standardVerbs, hasStatus: true)
            d.storedAs = "autoscaling/horizontalpodautoscalers"
            d.conversion = .autoscalingV1
            return d
        }(),
        ResourceDescriptor(
            group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets",
            singular: "poddisruptionbudget", shortNames: ["pdb"], namespaced: true, tracksGeneration: true, verbs: standardVerbs, hasStatus: true,
            printerColumns: [
                .init(name: "Min Available", type: "string", description: "Minimum available", priority: 0, jsonPath: ".spec.minAvailable"),
                .init(name: "Max Unavailable", type: "string", description: "Maximum unavailable", priority: 0, jsonPath: ".spec.maxUnavailable"),
                .init(name: "Allowed Disruptions", type: "integer", description: "Allowed disruptions", priority: 0, jsonPath: ".status.disruptionsAllowed"),
            ]),
        ResourceDescriptor(
            group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition",
            plural: "customresourcedefinitions", singular: "customresourcedefinition", shortNames: ["crd", "crds"],
            categories: ["api-extensions"], namespaced: false, tracksGeneration: true, verbs: standardVerbs, hasStatus: true,
            printerColumns: [.init(name: "Created At", type: "string", description: "Creation time", priority: 0, jsonPath: ".metadata.creationTimestamp")]),
        ResourceDescriptor(
            group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", singular: "role",
            namespaced: true, verbs: standardVerbs),
        ResourceDescriptor(
            group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", singular: "rolebinding",
            namespaced: true, verbs: standardVerbs,
            printerColumns: [.init(name: "Role", type: "string", description: "The role", priority: 0, jsonPath: "#binding-role")]),
        ResourceDescriptor(
            group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", singular: "clusterrole",
            namespaced: false, verbs: standardVerbs),
        ResourceDescriptor(
            group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings",
            singular: "clusterrolebinding", namespaced: false, verbs: standardVerbs,
            printerColumns: [.init(name: "Role", type: "string", description: "The role", priority: 0, jsonPath: "#binding-role")]),
        ResourceDescriptor(
            group: "authentication.k8s.io", version: "v1", kind: "TokenReview", plural: "tokenreviews", singular: "tokenreview",
            namespaced: false, verbs: ["create"], isVirtual: true),
        ResourceDescriptor(
            group: "authentication.k8s.io", version: "v1", kind: "SelfSubjectReview", plural: "selfsubjectreviews",
            singular: "selfsubjectreview", namespaced: false, verbs: ["create"], isVirtual: true),
        ResourceDescriptor(
            group: "authorization.k8s.io", version: "v1", kind: "SubjectAccessReview", plural: "subjectaccessreviews",
            singular: "subjectaccessreview", namespaced: false, verbs: ["create"], isVirtual: true),
        ResourceDescriptor(
            group: "authorization.k8s.io", version: "v1", kind: "LocalSubjectAccessReview", plural: "localsubjectaccessreviews",
            singular: "localsubjectaccessreview", namespaced: true, verbs: ["create"], isVirtual: true),
        ResourceDescriptor(
            group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview", plural: "selfsubjectaccessreviews",
            singular: "selfsubjectaccessreview", namespaced: false, verbs: ["create"], isVirtual: true),
        ResourceDescriptor(
            group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectRulesReview", plural: "selfsubjectrulesreviews",
            singular: "selfsubjectrulesreview", namespaced: false, verbs: ["create"], isVirtual: true),
    ]
}
