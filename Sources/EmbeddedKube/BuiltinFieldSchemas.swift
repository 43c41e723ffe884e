import KubeModel

/// The field names of the built-in kinds, as structural schemas used only to find unknown fields:
/// `fieldValidation=Strict` answers 400 for them, the default drops them with a warning, as the real
/// server's decoder does. Deep parts whose fields we do not list are marked
/// `x-kubernetes-preserve-unknown-fields`, so only listed levels are checked.
enum BuiltinFieldSchemas {
    private static let open: JSONValue = ["type": "object", "x-kubernetes-preserve-unknown-fields": true]

    private static func object(_ fields: [String], overrides: [String: JSONValue] = [:]) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for f in fields { properties[f] = overrides[f] ?? open }
        return ["type": "object", "properties": .object(properties)]
    }

    private static func list(of item: JSONValue) -> JSONValue { ["type": "array", "items": item] }

    static let container = object([
        "name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy",
        "restartPolicy", "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
        "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty",
    ], overrides: [
        "env": list(of: object(["name", "value", "valueFrom"])),
        "ports": list(of: object(["name", "hostPort", "containerPort", "protocol", "hostIP"])),
        "volumeMounts": list(of: object(["name", "readOnly", "recursiveReadOnly", "mountPath", "subPath", "mountPropagation", "subPathExpr"])),
    ])

    static let podSpec = object([
        "volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy", "terminationGracePeriodSeconds",
        "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName", "serviceAccount",
        "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace",
        "securityContext", "imagePullSecrets", "hostname", "subdomain", "affinity", "schedulerName", "tolerations",
        "hostAliases", "priorityClassName", "priority", "dnsConfig", "readinessGates", "runtimeClassName",
        "enableServiceLinks", "preemptionPolicy", "overhead", "topologySpreadConstraints", "setHostnameAsFQDN", "os",
        "hostUsers", "schedulingGates", "resourceClaims", "resources",
    ], overrides: [
        "containers": list(of: container),
        "initContainers": list(of: container),
    ])

    private static let meta: JSONValue = open

    private static func top(_ fields: [String: JSONValue]) -> JSONValue {
        var all = fields
        all["metadata"] = meta
        all["apiVersion"] = ["type": "string"]
        all["kind"] = ["type": "string"]
        return ["type": "object", "properties": .object(all)]
    }

    /// The schema for a built-in resource, or nil when we check none of its fields.
    static func schema(group: String, plural: String) -> JSONValue? {
        switch (group, plural) {
        case ("apps", "deployments"):
            return top([
                "spec": object(
                    ["replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit", "paused", "progressDeadlineSeconds"],
                    overrides: ["template": object(["metadata", "spec"], overrides: ["spec": podSpec])]),
                "status": open,
            ])
        case ("", "pods"):
            return top(["spec": podSpec, "status": open])
        case ("", "services"):
            return top([
                "spec": object([
                    "ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP",
                    "loadBalancerSourceRanges", "externalName", "externalTrafficPolicy", "healthCheckNodePort",
                    "publishNotReadyAddresses", "sessionAffinityConfig", "ipFamilies", "ipFamilyPolicy",
                    "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution",
                ], overrides: ["ports": list(of: object(["name", "protocol", "appProtocol", "port", "targetPort", "nodePort"]))]),
                "status": open,
            ])
        case ("", "configmaps"):
            return top(["data": open, "binaryData": open, "immutable": ["type": "boolean"]])
        case ("", "secrets"):
            return top(["data": open, "stringData": open, "type": ["type": "string"], "immutable": ["type": "boolean"]])
        case ("", "namespaces"):
            return top(["spec": object(["finalizers"]), "status": open])
        case ("", "serviceaccounts"):
            return top(["secrets": open, "imagePullSecrets": open, "automountServiceAccountToken": ["type": "boolean"]])
        case ("coordination.k8s.io", "leases"):
            return top(["spec": object([
                "holderIdentity", "leaseDurationSeconds", "acquireTime", "renewTime", "leaseTransitions", "strategy", "preferredHolder",
            ])])
        default:
            return nil
        }
    }
}
