/// The protobuf tables of the built-in kinds, from k8s.io/api's and k8s.io/apimachinery's
/// generated.proto (field numbers) and the types' JSON tags (names). Adding a kind is adding a table
/// here and a line in `byKind`.
extension ProtobufSchema {
    /// apiVersion + " " + kind → the object's table.
    static let byKind: [String: ProtobufSchema] = {
        var all: [String: ProtobufSchema] = [:]
        for (apiVersion, kind, schema) in [
            ("v1", "Namespace", Core.namespace), ("v1", "ConfigMap", Core.configMap), ("v1", "Secret", Core.secret),
            ("v1", "ServiceAccount", Core.serviceAccount), ("v1", "Service", Core.service), ("v1", "Pod", Core.pod),
            ("v1", "Event", Core.event), ("events.k8s.io/v1", "Event", Events.event),
            ("apps/v1", "Deployment", Apps.deployment), ("policy/v1", "PodDisruptionBudget", Policy.podDisruptionBudget),
            ("autoscaling/v2", "HorizontalPodAutoscaler", Autoscaling.horizontalPodAutoscaler),
            ("autoscaling/v1", "HorizontalPodAutoscaler", Autoscaling.horizontalPodAutoscalerV1), ("coordination.k8s.io/v1", "Lease", Coordination.lease),
            ("rbac.authorization.k8s.io/v1", "Role", RBAC.role), ("rbac.authorization.k8s.io/v1", "ClusterRole", RBAC.clusterRole),
            ("rbac.authorization.k8s.io/v1", "RoleBinding", RBAC.roleBinding),
            ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", RBAC.clusterRoleBinding),
            ("authentication.k8s.io/v1", "TokenReview", Authentication.tokenReview),
            ("authentication.k8s.io/v1", "TokenRequest", Authentication.tokenRequest),
            ("authentication.k8s.io/v1", "SelfSubjectReview", Authentication.selfSubjectReview),
            ("authorization.k8s.io/v1", "SubjectAccessReview", Authorization.subjectAccessReview),
            ("authorization.k8s.io/v1", "LocalSubjectAccessReview", Authorization.localSubjectAccessReview),
            ("authorization.k8s.io/v1", "SelfSubjectAccessReview", Authorization.selfSubjectAccessReview),
            ("authorization.k8s.io/v1", "SelfSubjectRulesReview", Authorization.selfSubjectRulesReview),
        ] as [(String, String, ProtobufSchema)] {
            all[apiVersion + " " + kind] = schema
        }
        return all
    }()

    /// A top-level object: metadata plus its own fields.
    private static func object(_ name: String, _ fields: [Int: Field]) -> ProtobufSchema {
        ProtobufSchema(name, fields.merging([1: .message("metadata", Meta.objectMeta)]) { a, _ in a })
    }

    // MARK: meta/v1

    enum Meta {
        static let ownerReference = ProtobufSchema("meta/v1 OwnerReference", [
            5: .string("apiVersion"), 1: .string("kind"), 3: .string("name"), 4: .string("uid"),
            6: .field("controller", .bool, .pointer), 7: .field("blockOwnerDeletion", .bool, .pointer),
        ])
        static let managedFieldsEntry = ProtobufSchema("meta/v1 ManagedFieldsEntry", [
            1: .string("manager"), 2: .string("operation"), 3: .string("apiVersion"), 4: .field("time", .time),
            6: .string("fieldsType"), 7: .field("fieldsV1", .rawJSON, .pointer), 8: .string("subresource"),
        ])
        static let objectMeta = ProtobufSchema("meta/v1 ObjectMeta", [
            1: .string("name"), 2: .string("generateName"), 3: .string("namespace"), 4: .string("selfLink"),
            5: .string("uid"), 6: .string("resourceVersion"), 7: .field("generation", .int64),
            8: .field("creationTimestamp", .time), 9: .field("deletionTimestamp", .time),
            10: .field("deletionGracePeriodSeconds", .int64, .pointer),
            11: .stringMap("labels"), 12: .stringMap("annotations"), 13: .messages("ownerReferences", ownerReference),
            14: .strings("finalizers"), 17: .messages("managedFields", managedFieldsEntry),
        ])
        static let labelSelectorRequirement = ProtobufSchema("meta/v1 LabelSelectorRequirement", [
            1: .string("key"), 2: .string("operator"), 3: .strings("values"),
        ])
        static let labelSelector = ProtobufSchema("meta/v1 LabelSelector", [
            1: .stringMap("matchLabels"), 2: .messages("matchExpressions", labelSelectorRequirement),
        ])
        static let condition = ProtobufSchema("meta/v1 Condition", [
            1: .string("type"), 2: .string("status"), 3: .field("observedGeneration", .int64),
            4: .field("lastTransitionTime", .time), 5: .string("reason"), 6: .string("message"),
        ])
    }

    // MARK: core/v1

    enum Core {
        static let objectReference = ProtobufSchema("core/v1 ObjectReference", [
            1: .string("kind"), 2: .string("namespace"), 3: .string("name"), 4: .string("uid"),
            5: .string("apiVersion"), 6: .string("resourceVersion"), 7: .string("fieldPath"),
        ])
        static let localObjectReference = ProtobufSchema("core/v1 LocalObjectReference", [1: .string("name")])

        static let namespace = object("core/v1 Namespace", [
            2: .message("spec", ProtobufSchema("core/v1 NamespaceSpec", [1: .strings("finalizers")])),
            3: .message("status", ProtobufSchema("core/v1 NamespaceStatus", [
                1: .string("phase"),
                2: .messages("conditions", ProtobufSchema("core/v1 NamespaceCondition", [
                    1: .string("type"), 2: .string("status"), 4: .field("lastTransitionTime", .time),
                    5: .string("reason"), 6: .string("message"),
                ])),
            ])),
        ])
        static let configMap = object("core/v1 ConfigMap", [
            2: .stringMap("data"), 3: .field("binaryData", .bytes, .map), 4: .field("immutable", .bool, .pointer),
        ])
        static let secret = object("core/v1 Secret", [
            2: .field("data", .bytes, .map), 3: .string("type"), 4: .stringMap("stringData"),
            5: .field("immutable", .bool, .pointer),
        ])
        static let serviceAccount = object("core/v1 ServiceAccount", [
            2: .messages("secrets", objectReference), 3: .messages("imagePullSecrets", localObjectReference),
            4: .field("automountServiceAccountToken", .bool, .pointer),
        ])

        // Service
        static let servicePort = ProtobufSchema("core/v1 ServicePort", [
            1: .string("name"), 2: .string("protocol"), 6: .field("appProtocol", .string, .pointer),
            3: .field("port", .int32), 4: .field("targetPort", .intOrString), 5: .field("nodePort", .int32),
        ])
        static let serviceSpec = ProtobufSchema("core/v1 ServiceSpec", [
            1: .messages("ports", servicePort), 2: .stringMap("selector"), 3: .string("clusterIP"),
            18: .strings("clusterIPs"), 4: .string("type"), 5: .strings("externalIPs"), 7: .string("sessionAffinity"),
            8: .string("loadBalancerIP"), 9: .strings("loadBalancerSourceRanges"), 10: .string("externalName"),
            11: .string("externalTrafficPolicy"), 12: .field("healthCheckNodePort", .int32),
            13: .field("publishNotReadyAddresses", .bool),
            14: .message("sessionAffinityConfig", ProtobufSchema("core/v1 SessionAffinityConfig", [
                1: .message("clientIP", ProtobufSchema("core/v1 ClientIPConfig", [1: .field("timeoutSeconds", .int32, .pointer)])),
            ])),
            19: .strings("ipFamilies"), 17: .field("ipFamilyPolicy", .string, .pointer),
            20: .field("allocateLoadBalancerNodePorts", .bool, .pointer), 21: .field("loadBalancerClass", .string, .pointer),
            22: .field("internalTrafficPolicy", .string, .pointer), 23: .field("trafficDistribution", .string, .pointer),
        ])
        static let service = object("core/v1 Service", [
            2: .message("spec", serviceSpec),
            3: .message("status", ProtobufSchema("core/v1 ServiceStatus", [
                1: .message("loadBalancer", ProtobufSchema("core/v1 LoadBalancerStatus", [
                    1: .messages("ingress", ProtobufSchema("core/v1 LoadBalancerIngress", [
                        1: .string("ip"), 2: .string("hostname"), 3: .field("ipMode", .string, .pointer),
                    ])),
                ])),
                2: .messages("conditions", Meta.condition),
            ])),
        ])

        // Pod
        static let containerPort = ProtobufSchema("core/v1 ContainerPort", [
            1: .string("name"), 2: .field("hostPort", .int32), 3: .field("containerPort", .int32),
            4: .string("protocol"), 5: .string("hostIP"),
        ])
        static let keySelector = ProtobufSchema("core/v1 KeySelector", [
            1: .inline(localObjectReference), 2: .string("key"), 3: .field("optional", .bool, .pointer),
        ])
        static let objectFieldSelector = ProtobufSchema("core/v1 ObjectFieldSelector", [1: .string("apiVersion"), 2: .string("fieldPath")])
        static let resourceFieldSelector = ProtobufSchema("core/v1 ResourceFieldSelector", [
            1: .string("containerName"), 2: .string("resource"), 3: .field("divisor", .quantity),
        ])
        static let envVar = ProtobufSchema("core/v1 EnvVar", [
            1: .string("name"), 2: .string("value"),
            3: .message("valueFrom", ProtobufSchema("core/v1 EnvVarSource", [
                1: .message("fieldRef", objectFieldSelector), 2: .message("resourceFieldRef", resourceFieldSelector),
                3: .message("configMapKeyRef", keySelector), 4: .message("secretKeyRef", keySelector),
            ])),
        ])
        static let envFromSource = ProtobufSchema("core/v1 EnvFromSource", [
            1: .string("prefix"),
            2: .message("configMapRef", ProtobufSchema("core/v1 ConfigMapEnvSource", [1: .inline(localObjectReference), 2: .field("optional", .bool, .pointer)])),
            3: .message("secretRef", ProtobufSchema("core/v1 SecretEnvSource", [1: .inline(localObjectReference), 2: .field("optional", .bool, .pointer)])),
        ])
        static let resourceRequirements = ProtobufSchema("core/v1 ResourceRequirements", [
            1: .field("limits", .quantity, .map), 2: .field("requests", .quantity, .map),
            3: .messages("claims", ProtobufSchema("core/v1 ResourceClaim", [1: .string("name"), 2: .string("request")])),
        ])
        static let volumeMount = ProtobufSchema("core/v1 VolumeMount", [
            1: .string("name"), 2: .field("readOnly", .bool), 7: .field("recursiveReadOnly", .string, .pointer),
            3: .string("mountPath"), 4: .string("subPath"), 5: .field("mountPropagation", .string, .pointer), 6: .string("subPathExpr"),
        ])
        static let execAction = ProtobufSchema("core/v1 ExecAction", [1: .strings("command")])
        static let httpGetAction = ProtobufSchema("core/v1 HTTPGetAction", [
            1: .string("path"), 2: .field("port", .intOrString), 3: .string("host"), 4: .string("scheme"),
            5: .messages("httpHeaders", ProtobufSchema("core/v1 HTTPHeader", [1: .string("name"), 2: .string("value")])),
        ])
        static let tcpSocketAction = ProtobufSchema("core/v1 TCPSocketAction", [1: .field("port", .intOrString), 2: .string("host")])
        static let probe = ProtobufSchema("core/v1 Probe", [
            1: .inline(ProtobufSchema("core/v1 ProbeHandler", [
                1: .message("exec", execAction), 2: .message("httpGet", httpGetAction), 3: .message("tcpSocket", tcpSocketAction),
                4: .message("grpc", ProtobufSchema("core/v1 GRPCAction", [1: .field("port", .int32), 2: .field("service", .string, .pointer)])),
            ])),
            2: .field("initialDelaySeconds", .int32), 3: .field("timeoutSeconds", .int32), 4: .field("periodSeconds", .int32),
            5: .field("successThreshold", .int32), 6: .field("failureThreshold", .int32),
            7: .field("terminationGracePeriodSeconds", .int64, .pointer),
        ])
        static let seLinuxOptions = ProtobufSchema("core/v1 SELinuxOptions", [
            1: .string("user"), 2: .string("role"), 3: .string("type"), 4: .string("level"),
        ])
        static let seccompProfile = ProtobufSchema("core/v1 SeccompProfile", [
            1: .string("type"), 2: .field("localhostProfile", .string, .pointer),
        ])
        static let appArmorProfile = ProtobufSchema("core/v1 AppArmorProfile", [
            1: .string("type"), 2: .field("localhostProfile", .string, .pointer),
        ])
        static let windowsOptions = ProtobufSchema("core/v1 WindowsSecurityContextOptions", [
            1: .field("gmsaCredentialSpecName", .string, .pointer), 2: .field("gmsaCredentialSpec", .string, .pointer),
            3: .field("runAsUserName", .string, .pointer), 4: .field("hostProcess", .bool, .pointer),
        ])
        static let securityContext = ProtobufSchema("core/v1 SecurityContext", [
            1: .message("capabilities", ProtobufSchema("core/v1 Capabilities", [1: .strings("add"), 2: .strings("drop")])),
            2: .field("privileged", .bool, .pointer), 3: .message("seLinuxOptions", seLinuxOptions),
            4: .field("runAsUser", .int64, .pointer), 5: .field("runAsNonRoot", .bool, .pointer),
            6: .field("readOnlyRootFilesystem", .bool, .pointer), 7: .field("allowPrivilegeEscalation", .bool, .pointer),
            8: .field("runAsGroup", .int64, .pointer), 9: .field("procMount", .string, .pointer),
            10: .message("windowsOptions", windowsOptions), 11: .message("seccompProfile", seccompProfile),
            12: .message("appArmorProfile", appArmorProfile),
        ])
        static let podSecurityContext = ProtobufSchema("core/v1 PodSecurityContext", [
            1: .message("seLinuxOptions", seLinuxOptions), 2: .field("runAsUser", .int64, .pointer),
            3: .field("runAsNonRoot", .bool, .pointer), 4: .field("supplementalGroups", .int64, .repeated),
            5: .field("fsGroup", .int64, .pointer), 6: .field("runAsGroup", .int64, .pointer),
            7: .messages("sysctls", ProtobufSchema("core/v1 Sysctl", [1: .string("name"), 2: .string("value")])),
            8: .message("windowsOptions", windowsOptions), 9: .field("fsGroupChangePolicy", .string, .pointer),
            10: .message("seccompProfile", seccompProfile), 11: .message("appArmorProfile", appArmorProfile),
            12: .field("supplementalGroupsPolicy", .string, .pointer), 13: .field("seLinuxChangePolicy", .string, .pointer),
        ])
        static let lifecycleHandler = ProtobufSchema("core/v1 LifecycleHandler", [
            1: .message("exec", execAction), 2: .message("httpGet", httpGetAction), 3: .message("tcpSocket", tcpSocketAction),
            4: .message("sleep", ProtobufSchema("core/v1 SleepAction", [1: .field("seconds", .int64)])),
        ])
        static let nodeSelectorRequirement = ProtobufSchema("core/v1 NodeSelectorRequirement", [
            1: .string("key"), 2: .string("operator"), 3: .strings("values"),
        ])
        static let nodeSelectorTerm = ProtobufSchema("core/v1 NodeSelectorTerm", [
            1: .messages("matchExpressions", nodeSelectorRequirement), 2: .messages("matchFields", nodeSelectorRequirement),
        ])
        static let podAffinityTerm = ProtobufSchema("core/v1 PodAffinityTerm", [
            1: .message("labelSelector", Meta.labelSelector), 2: .strings("namespaces"), 3: .string("topologyKey"),
            4: .message("namespaceSelector", Meta.labelSelector), 5: .strings("matchLabelKeys"), 6: .strings("mismatchLabelKeys"),
        ])
        static let weightedPodAffinityTerm = ProtobufSchema("core/v1 WeightedPodAffinityTerm", [
            1: .field("weight", .int32), 2: .message("podAffinityTerm", podAffinityTerm),
        ])
        static let affinity = ProtobufSchema("core/v1 Affinity", [
            1: .message("nodeAffinity", ProtobufSchema("core/v1 NodeAffinity", [
                1: .message("requiredDuringSchedulingIgnoredDuringExecution", ProtobufSchema("core/v1 NodeSelector", [
                    1: .messages("nodeSelectorTerms", nodeSelectorTerm),
                ])),
                2: .messages("preferredDuringSchedulingIgnoredDuringExecution", ProtobufSchema("core/v1 PreferredSchedulingTerm", [
                    1: .field("weight", .int32), 2: .message("preference", nodeSelectorTerm),
                ])),
            ])),
            2: .message("podAffinity", ProtobufSchema("core/v1 PodAffinity", [
                1: .messages("requiredDuringSchedulingIgnoredDuringExecution", podAffinityTerm),
                2: .messages("preferredDuringSchedulingIgnoredDuringExecution", weightedPodAffinityTerm),
            ])),
            3: .message("podAntiAffinity", ProtobufSchema("core/v1 PodAntiAffinity", [
                1: .messages("requiredDuringSchedulingIgnoredDuringExecution", podAffinityTerm),
                2: .messages("preferredDuringSchedulingIgnoredDuringExecution", weightedPodAffinityTerm),
            ])),
        ])
        static let container = ProtobufSchema("core/v1 Container", [
            1: .string("name"), 2: .string("image"), 3: .strings("command"), 4: .strings("args"), 5: .string("workingDir"),
            6: .messages("ports", containerPort), 19: .messages("envFrom", envFromSource), 7: .messages("env", envVar),
            8: .message("resources", resourceRequirements), 9: .messages("volumeMounts", volumeMount),
            10: .message("livenessProbe", probe), 11: .message("readinessProbe", probe), 22: .message("startupProbe", probe),
            13: .string("terminationMessagePath"), 20: .string("terminationMessagePolicy"), 14: .string("imagePullPolicy"),
            16: .field("stdin", .bool), 17: .field("stdinOnce", .bool), 18: .field("tty", .bool),
            24: .field("restartPolicy", .string, .pointer), 15: .message("securityContext", securityContext),
            12: .message("lifecycle", ProtobufSchema("core/v1 Lifecycle", [
                1: .message("postStart", lifecycleHandler), 2: .message("preStop", lifecycleHandler),
            ])),
            23: .messages("resizePolicy", ProtobufSchema("core/v1 ContainerResizePolicy", [1: .string("resourceName"), 2: .string("restartPolicy")])),
        ])
        static let keyToPath = ProtobufSchema("core/v1 KeyToPath", [
            1: .string("key"), 2: .string("path"), 3: .field("mode", .int32, .pointer),
        ])
        static let downwardAPIVolumeFile = ProtobufSchema("core/v1 DownwardAPIVolumeFile", [
            1: .string("path"), 2: .message("fieldRef", objectFieldSelector), 3: .message("resourceFieldRef", resourceFieldSelector),
            4: .field("mode", .int32, .pointer),
        ])
        static let volume = ProtobufSchema("core/v1 Volume", [
            1: .string("name"),
            2: .inline(ProtobufSchema("core/v1 VolumeSource", [
                1: .message("hostPath", ProtobufSchema("core/v1 HostPathVolumeSource", [1: .string("path"), 2: .field("type", .string, .pointer)])),
                2: .message("emptyDir", ProtobufSchema("core/v1 EmptyDirVolumeSource", [1: .string("medium"), 2: .field("sizeLimit", .quantity, .pointer)])),
                6: .message("secret", ProtobufSchema("core/v1 SecretVolumeSource", [
                    1: .string("secretName"), 2: .messages("items", keyToPath), 3: .field("defaultMode", .int32, .pointer),
                    4: .field("optional", .bool, .pointer),
                ])),
                10: .message("persistentVolumeClaim", ProtobufSchema("core/v1 PersistentVolumeClaimVolumeSource", [
                    1: .string("claimName"), 2: .field("readOnly", .bool),
                ])),
                16: .message("downwardAPI", ProtobufSchema("core/v1 DownwardAPIVolumeSource", [
                    1: .messages("items", downwardAPIVolumeFile), 2: .field("defaultMode", .int32, .pointer),
                ])),
                26: .message("projected", ProtobufSchema("core/v1 ProjectedVolumeSource", [
                    1: .messages("sources", ProtobufSchema("core/v1 VolumeProjection", [
                        1: .message("secret", ProtobufSchema("core/v1 SecretProjection", [
                            1: .inline(localObjectReference), 2: .messages("items", keyToPath), 4: .field("optional", .bool, .pointer),
                        ])),
                        2: .message("downwardAPI", ProtobufSchema("core/v1 DownwardAPIProjection", [1: .messages("items", downwardAPIVolumeFile)])),
                        3: .message("configMap", ProtobufSchema("core/v1 ConfigMapProjection", [
                            1: .inline(localObjectReference), 2: .messages("items", keyToPath), 4: .field("optional", .bool, .pointer),
                        ])),
                        4: .message("serviceAccountToken", ProtobufSchema("core/v1 ServiceAccountTokenProjection", [
                            1: .string("audience"), 2: .field("expirationSeconds", .int64, .pointer), 3: .string("path"),
                        ])),
                    ])),
                    2: .field("defaultMode", .int32, .pointer),
                ])),
                28: .message("csi", ProtobufSchema("core/v1 CSIVolumeSource", [
                    1: .string("driver"), 2: .field("readOnly", .bool, .pointer), 3: .field("fsType", .string, .pointer),
                    4: .stringMap("volumeAttributes"), 5: .message("nodePublishSecretRef", localObjectReference),
                ])),
                19: .message("configMap", ProtobufSchema("core/v1 ConfigMapVolumeSource", [
                    1: .inline(localObjectReference), 2: .messages("items", keyToPath), 3: .field("defaultMode", .int32, .pointer),
                    4: .field("optional", .bool, .pointer),
                ])),
            ])),
        ])
        static let podSpec = ProtobufSchema("core/v1 PodSpec", [
            1: .messages("volumes", volume), 20: .messages("initContainers", container), 2: .messages("containers", container),
            3: .string("restartPolicy"), 4: .field("terminationGracePeriodSeconds", .int64, .pointer),
            5: .field("activeDeadlineSeconds", .int64, .pointer), 6: .string("dnsPolicy"), 7: .stringMap("nodeSelector"),
            8: .string("serviceAccountName"), 9: .string("serviceAccount"),
            21: .field("automountServiceAccountToken", .bool, .pointer), 10: .string("nodeName"),
            11: .field("hostNetwork", .bool), 12: .field("hostPID", .bool), 13: .field("hostIPC", .bool),
            27: .field("shareProcessNamespace", .bool, .pointer), 15: .messages("imagePullSecrets", localObjectReference),
            16: .string("hostname"), 17: .string("subdomain"), 19: .string("schedulerName"),
            22: .messages("tolerations", ProtobufSchema("core/v1 Toleration", [
                1: .string("key"), 2: .string("operator"), 3: .string("value"), 4: .string("effect"),
                5: .field("tolerationSeconds", .int64, .pointer),
            ])),
            24: .string("priorityClassName"), 25: .field("priority", .int32, .pointer),
            29: .field("runtimeClassName", .string, .pointer), 30: .field("enableServiceLinks", .bool, .pointer),
            31: .field("preemptionPolicy", .string, .pointer), 35: .field("setHostnameAsFQDN", .bool, .pointer),
            37: .field("hostUsers", .bool, .pointer), 14: .message("securityContext", podSecurityContext),
            18: .message("affinity", affinity),
            23: .messages("hostAliases", ProtobufSchema("core/v1 HostAlias", [1: .string("ip"), 2: .strings("hostnames")])),
            26: .message("dnsConfig", ProtobufSchema("core/v1 PodDNSConfig", [
                1: .strings("nameservers"), 2: .strings("searches"),
                3: .messages("options", ProtobufSchema("core/v1 PodDNSConfigOption", [1: .string("name"), 2: .field("value", .string, .pointer)])),
            ])),
            28: .messages("readinessGates", ProtobufSchema("core/v1 PodReadinessGate", [1: .string("conditionType")])),
            33: .messages("topologySpreadConstraints", ProtobufSchema("core/v1 TopologySpreadConstraint", [
                1: .field("maxSkew", .int32), 2: .string("topologyKey"), 3: .string("whenUnsatisfiable"),
                4: .message("labelSelector", Meta.labelSelector), 5: .field("minDomains", .int32, .pointer),
                6: .field("nodeAffinityPolicy", .string, .pointer), 7: .field("nodeTaintsPolicy", .string, .pointer),
                8: .strings("matchLabelKeys"),
            ])),
            36: .message("os", ProtobufSchema("core/v1 PodOS", [1: .string("name")])),
            38: .messages("schedulingGates", ProtobufSchema("core/v1 PodSchedulingGate", [1: .string("name")])),
            32: .field("overhead", .quantity, .map), 40: .message("resources", resourceRequirements),
        ])
        static let podTemplateSpec = ProtobufSchema("core/v1 PodTemplateSpec", [
            1: .message("metadata", Meta.objectMeta), 2: .message("spec", podSpec),
        ])
        /// A pod's status is the kubelet's; a client's create carries it empty.
        static let pod = object("core/v1 Pod", [
            2: .message("spec", podSpec),
            3: .message("status", ProtobufSchema("core/v1 PodStatus", [1: .string("phase")])),
        ])

        static let eventSource = ProtobufSchema("core/v1 EventSource", [1: .string("component"), 2: .string("host")])
        static let event = object("core/v1 Event", [
            2: .message("involvedObject", objectReference), 3: .string("reason"), 4: .string("message"),
            5: .message("source", eventSource), 6: .field("firstTimestamp", .time), 7: .field("lastTimestamp", .time),
            8: .field("count", .int32), 9: .string("type"), 10: .field("eventTime", .microTime),
            11: .message("series", ProtobufSchema("core/v1 EventSeries", [1: .field("count", .int32), 2: .field("lastObservedTime", .microTime)])),
            12: .string("action"), 13: .message("related", objectReference),
            14: .string("reportingComponent"), 15: .string("reportingInstance"),
        ])
    }

    // MARK: events.k8s.io/v1

    enum Events {
        static let event = object("events.k8s.io/v1 Event", [
            2: .field("eventTime", .microTime),
            3: .message("series", ProtobufSchema("events/v1 EventSeries", [1: .field("count", .int32), 2: .field("lastObservedTime", .microTime)])),
            4: .string("reportingController"), 5: .string("reportingInstance"), 6: .string("action"), 7: .string("reason"),
            8: .message("regarding", Core.objectReference), 9: .message("related", Core.objectReference), 10: .string("note"),
            11: .string("type"), 12: .message("deprecatedSource", Core.eventSource),
            13: .field("deprecatedFirstTimestamp", .time), 14: .field("deprecatedLastTimestamp", .time),
            15: .field("deprecatedCount", .int32),
        ])
    }

    // MARK: apps/v1

    enum Apps {
        static let deploymentSpec = ProtobufSchema("apps/v1 DeploymentSpec", [
            1: .field("replicas", .int32, .pointer), 2: .message("selector", Meta.labelSelector),
            3: .message("template", Core.podTemplateSpec),
            4: .message("strategy", ProtobufSchema("apps/v1 DeploymentStrategy", [
                1: .string("type"),
                2: .message("rollingUpdate", ProtobufSchema("apps/v1 RollingUpdateDeployment", [
                    1: .field("maxUnavailable", .intOrString, .pointer), 2: .field("maxSurge", .intOrString, .pointer),
                ])),
            ])),
            5: .field("minReadySeconds", .int32), 6: .field("revisionHistoryLimit", .int32, .pointer),
            7: .field("paused", .bool), 9: .field("progressDeadlineSeconds", .int32, .pointer),
        ])
        static let deploymentStatus = ProtobufSchema("apps/v1 DeploymentStatus", [
            1: .field("observedGeneration", .int64), 2: .field("replicas", .int32), 3: .field("updatedReplicas", .int32),
            7: .field("readyReplicas", .int32), 4: .field("availableReplicas", .int32), 5: .field("unavailableReplicas", .int32),
            6: .messages("conditions", ProtobufSchema("apps/v1 DeploymentCondition", [
                1: .string("type"), 2: .string("status"), 6: .field("lastUpdateTime", .time), 7: .field("lastTransitionTime", .time),
                4: .string("reason"), 5: .string("message"),
            ])),
            8: .field("collisionCount", .int32, .pointer),
        ])
        static let deployment = object("apps/v1 Deployment", [
            2: .message("spec", deploymentSpec), 3: .message("status", deploymentStatus),
        ])
    }

    // MARK: autoscaling/v2

    enum Autoscaling {
        static let horizontalPodAutoscalerV1 = object("autoscaling/v1 HorizontalPodAutoscaler", [
            2: .message("spec", ProtobufSchema("autoscaling/v1 HorizontalPodAutoscalerSpec", [
                1: .message("scaleTargetRef", ProtobufSchema("autoscaling/v1 CrossVersionObjectReference", [
                    1: .string("kind"), 2: .string("name"), 3: .string("apiVersion"),
                ])),
                2: .field("minReplicas", .int32, .pointer), 3: .field("maxReplicas", .int32),
                4: .field("targetCPUUtilizationPercentage", .int32, .pointer),
            ])),
            3: .message("status", ProtobufSchema("autoscaling/v1 HorizontalPodAutoscalerStatus", [
                1: .field("observedGeneration", .int64, .pointer), 2: .field("lastScaleTime", .time),
                3: .field("currentReplicas", .int32), 4: .field("desiredReplicas", .int32),
                5: .field("currentCPUUtilizationPercentage", .int32, .pointer),
            ])),
        ])
        static let crossVersionObjectReference = ProtobufSchema("autoscaling/v2 CrossVersionObjectReference", [
            1: .string("kind"), 2: .string("name"), 3: .string("apiVersion"),
        ])
        static let metricIdentifier = ProtobufSchema("autoscaling/v2 MetricIdentifier", [
            1: .string("name"), 2: .message("selector", Meta.labelSelector),
        ])
        static let metricTarget = ProtobufSchema("autoscaling/v2 MetricTarget", [
            1: .string("type"), 2: .field("value", .quantity, .pointer), 3: .field("averageValue", .quantity, .pointer),
            4: .field("averageUtilization", .int32, .pointer),
        ])
        static let metricValueStatus = ProtobufSchema("autoscaling/v2 MetricValueStatus", [
            1: .field("value", .quantity, .pointer), 2: .field("averageValue", .quantity, .pointer),
            3: .field("averageUtilization", .int32, .pointer),
        ])
        static let scalingRules = ProtobufSchema("autoscaling/v2 HPAScalingRules", [
            1: .field("selectPolicy", .string, .pointer), 3: .field("stabilizationWindowSeconds", .int32, .pointer),
            2: .messages("policies", ProtobufSchema("autoscaling/v2 HPAScalingPolicy", [
                1: .string("type"), 2: .field("value", .int32), 3: .field("periodSeconds", .int32),
            ])),
        ])
        static let horizontalPodAutoscaler = object("autoscaling/v2 HorizontalPodAutoscaler", [
            2: .message("spec", ProtobufSchema("autoscaling/v2 HorizontalPodAutoscalerSpec", [
                1: .message("scaleTargetRef", crossVersionObjectReference), 2: .field("minReplicas", .int32, .pointer),
                3: .field("maxReplicas", .int32),
                4: .messages("metrics", ProtobufSchema("autoscaling/v2 MetricSpec", [
                    1: .string("type"),
                    2: .message("object", ProtobufSchema("autoscaling/v2 ObjectMetricSource", [
                        1: .message("describedObject", crossVersionObjectReference), 2: .message("target", metricTarget),
                        3: .message("metric", metricIdentifier),
                    ])),
                    3: .message("pods", ProtobufSchema("autoscaling/v2 PodsMetricSource", [
                        1: .message("metric", metricIdentifier), 2: .message("target", metricTarget),
                    ])),
                    4: .message("resource", ProtobufSchema("autoscaling/v2 ResourceMetricSource", [
                        1: .string("name"), 2: .message("target", metricTarget),
                    ])),
                    5: .message("external", ProtobufSchema("autoscaling/v2 ExternalMetricSource", [
                        1: .message("metric", metricIdentifier), 2: .message("target", metricTarget),
                    ])),
                    7: .message("containerResource", ProtobufSchema("autoscaling/v2 ContainerResourceMetricSource", [
                        1: .string("name"), 2: .message("target", metricTarget), 3: .string("container"),
                    ])),
                ])),
                5: .message("behavior", ProtobufSchema("autoscaling/v2 HorizontalPodAutoscalerBehavior", [
                    1: .message("scaleUp", scalingRules), 2: .message("scaleDown", scalingRules),
                ])),
            ])),
            3: .message("status", ProtobufSchema("autoscaling/v2 HorizontalPodAutoscalerStatus", [
                1: .field("observedGeneration", .int64, .pointer), 2: .field("lastScaleTime", .time),
                3: .field("currentReplicas", .int32), 4: .field("desiredReplicas", .int32),
                5: .messages("currentMetrics", ProtobufSchema("autoscaling/v2 MetricStatus", [
                    1: .string("type"),
                    2: .message("object", ProtobufSchema("autoscaling/v2 ObjectMetricStatus", [
                        1: .message("metric", metricIdentifier), 2: .message("current", metricValueStatus),
                        3: .message("describedObject", crossVersionObjectReference),
                    ])),
                    3: .message("pods", ProtobufSchema("autoscaling/v2 PodsMetricStatus", [
                        1: .message("metric", metricIdentifier), 2: .message("current", metricValueStatus),
                    ])),
                    4: .message("resource", ProtobufSchema("autoscaling/v2 ResourceMetricStatus", [
                        1: .string("name"), 2: .message("current", metricValueStatus),
                    ])),
                    5: .message("external", ProtobufSchema("autoscaling/v2 ExternalMetricStatus", [
                        1: .message("metric", metricIdentifier), 2: .message("current", metricValueStatus),
                    ])),
                    7: .message("containerResource", ProtobufSchema("autoscaling/v2 ContainerResourceMetricStatus", [
                        1: .string("name"), 2: .message("current", metricValueStatus), 3: .string("container"),
                    ])),
                ])),
                6: .messages("conditions", ProtobufSchema("autoscaling/v2 HorizontalPodAutoscalerCondition", [
                    1: .string("type"), 2: .string("status"), 3: .field("lastTransitionTime", .time),
                    4: .string("reason"), 5: .string("message"),
                ])),
            ])),
        ])
    }

    // MARK: policy/v1

    enum Policy {
        static let podDisruptionBudget = object("policy/v1 PodDisruptionBudget", [
            2: .message("spec", ProtobufSchema("policy/v1 PodDisruptionBudgetSpec", [
                1: .field("minAvailable", .intOrString, .pointer), 2: .message("selector", Meta.labelSelector),
                3: .field("maxUnavailable", .intOrString, .pointer), 4: .field("unhealthyPodEvictionPolicy", .string, .pointer),
            ])),
            3: .message("status", ProtobufSchema("policy/v1 PodDisruptionBudgetStatus", [
                1: .field("observedGeneration", .int64), 2: .field("disruptedPods", .time, .map),
                3: .field("disruptionsAllowed", .int32), 4: .field("currentHealthy", .int32), 5: .field("desiredHealthy", .int32),
                6: .field("expectedPods", .int32), 7: .messages("conditions", Meta.condition),
            ])),
        ])
    }

    // MARK: coordination.k8s.io/v1

    enum Coordination {
        static let lease = object("coordination/v1 Lease", [
            2: .message("spec", ProtobufSchema("coordination/v1 LeaseSpec", [
                1: .field("holderIdentity", .string, .pointer), 2: .field("leaseDurationSeconds", .int32, .pointer),
                3: .field("acquireTime", .microTime), 4: .field("renewTime", .microTime),
                5: .field("leaseTransitions", .int32, .pointer), 6: .field("strategy", .string, .pointer),
                7: .field("preferredHolder", .string, .pointer),
            ])),
        ])
    }

    // MARK: rbac.authorization.k8s.io/v1

    enum RBAC {
        static let policyRule = ProtobufSchema("rbac/v1 PolicyRule", [
            1: .strings("verbs"), 2: .strings("apiGroups"), 3: .strings("resources"), 4: .strings("resourceNames"),
            5: .strings("nonResourceURLs"),
        ])
        static let subject = ProtobufSchema("rbac/v1 Subject", [
            1: .string("kind"), 2: .string("apiGroup"), 3: .string("name"), 4: .string("namespace"),
        ])
        static let roleRef = ProtobufSchema("rbac/v1 RoleRef", [1: .string("apiGroup"), 2: .string("kind"), 3: .string("name")])

        static let role = object("rbac/v1 Role", [2: .messages("rules", policyRule)])
        static let clusterRole = object("rbac/v1 ClusterRole", [
            2: .messages("rules", policyRule),
            3: .message("aggregationRule", ProtobufSchema("rbac/v1 AggregationRule", [1: .messages("clusterRoleSelectors", Meta.labelSelector)])),
        ])
        static let roleBinding = object("rbac/v1 RoleBinding", [2: .messages("subjects", subject), 3: .message("roleRef", roleRef)])
        static let clusterRoleBinding = object("rbac/v1 ClusterRoleBinding", [2: .messages("subjects", subject), 3: .message("roleRef", roleRef)])
    }

    // MARK: authentication.k8s.io/v1

    enum Authentication {
        static let userInfo = ProtobufSchema("authentication/v1 UserInfo", [
            1: .string("username"), 2: .string("uid"), 3: .strings("groups"), 4: .field("extra", .stringList, .map),
        ])
        static let tokenReview = object("authentication/v1 TokenReview", [
            2: .message("spec", ProtobufSchema("authentication/v1 TokenReviewSpec", [1: .string("token"), 2: .strings("audiences")])),
            3: .message("status", ProtobufSchema("authentication/v1 TokenReviewStatus", [
                1: .field("authenticated", .bool), 2: .message("user", userInfo), 4: .strings("audiences"), 3: .string("error"),
            ])),
        ])
        static let tokenRequest = object("authentication/v1 TokenRequest", [
            2: .message("spec", ProtobufSchema("authentication/v1 TokenRequestSpec", [
                1: .strings("audiences"), 4: .field("expirationSeconds", .int64, .pointer),
                3: .message("boundObjectRef", ProtobufSchema("authentication/v1 BoundObjectReference", [
                    1: .string("kind"), 2: .string("apiVersion"), 3: .string("name"), 4: .string("uid"),
                ])),
            ])),
            3: .message("status", ProtobufSchema("authentication/v1 TokenRequestStatus", [
                1: .string("token"), 2: .field("expirationTimestamp", .time),
            ])),
        ])
        static let selfSubjectReview = object("authentication/v1 SelfSubjectReview", [
            2: .message("status", ProtobufSchema("authentication/v1 SelfSubjectReviewStatus", [1: .message("userInfo", userInfo)])),
        ])
    }

    // MARK: authorization.k8s.io/v1

    enum Authorization {
        static let resourceAttributes = ProtobufSchema("authorization/v1 ResourceAttributes", [
            1: .string("namespace"), 2: .string("verb"), 3: .string("group"), 4: .string("version"), 5: .string("resource"),
            6: .string("subresource"), 7: .string("name"),
            8: .message("fieldSelector", ProtobufSchema("authorization/v1 FieldSelectorAttributes", [
                1: .string("rawSelector"),
                2: .messages("requirements", ProtobufSchema("meta/v1 FieldSelectorRequirement", [
                    1: .string("key"), 2: .string("operator"), 3: .strings("values"),
                ])),
            ])),
            9: .message("labelSelector", ProtobufSchema("authorization/v1 LabelSelectorAttributes", [
                1: .string("rawSelector"), 2: .messages("requirements", Meta.labelSelectorRequirement),
            ])),
        ])
        static let nonResourceAttributes = ProtobufSchema("authorization/v1 NonResourceAttributes", [1: .string("path"), 2: .string("verb")])
        static let subjectAccessReviewStatus = ProtobufSchema("authorization/v1 SubjectAccessReviewStatus", [
            1: .field("allowed", .bool), 4: .field("denied", .bool), 2: .string("reason"), 3: .string("evaluationError"),
        ])
        static let subjectAccessReviewSpec = ProtobufSchema("authorization/v1 SubjectAccessReviewSpec", [
            1: .message("resourceAttributes", resourceAttributes), 2: .message("nonResourceAttributes", nonResourceAttributes),
            3: .string("user"), 4: .strings("groups"), 5: .field("extra", .stringList, .map), 6: .string("uid"),
        ])
        static let subjectAccessReview = object("authorization/v1 SubjectAccessReview", [
            2: .message("spec", subjectAccessReviewSpec), 3: .message("status", subjectAccessReviewStatus),
        ])
        static let localSubjectAccessReview = object("authorization/v1 LocalSubjectAccessReview", [
            2: .message("spec", subjectAccessReviewSpec), 3: .message("status", subjectAccessReviewStatus),
        ])
        static let selfSubjectAccessReview = object("authorization/v1 SelfSubjectAccessReview", [
            2: .message("spec", ProtobufSchema("authorization/v1 SelfSubjectAccessReviewSpec", [
                1: .message("resourceAttributes", resourceAttributes), 2: .message("nonResourceAttributes", nonResourceAttributes),
            ])),
            3: .message("status", subjectAccessReviewStatus),
        ])
        static let selfSubjectRulesReview = object("authorization/v1 SelfSubjectRulesReview", [
            2: .message("spec", ProtobufSchema("authorization/v1 SelfSubjectRulesReviewSpec", [1: .string("namespace")])),
            3: .message("status", ProtobufSchema("authorization/v1 SubjectRulesReviewStatus", [
                1: .messages("resourceRules", ProtobufSchema("authorization/v1 ResourceRule", [
                    1: .strings("verbs"), 2: .strings("apiGroups"), 3: .strings("resources"), 4: .strings("resourceNames"),
                ])),
                2: .messages("nonResourceRules", ProtobufSchema("authorization/v1 NonResourceRule", [
                    1: .strings("verbs"), 2: .strings("nonResourceURLs"),
                ])),
                3: .field("incomplete", .bool), 4: .string("evaluationError"),
            ])),
        ])
    }
}
