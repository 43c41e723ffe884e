import Foundation
import Testing

@testable import KubeModel

/// Kinds with no recorded transcript (Pod, Service, HPA, PDB, …), checked against JSON in the shape
/// kube-apiserver writes; plus the memberwise initializers and the small value types.
@Suite("Built-in models")
struct BuiltinModelTests {
    private func expectRoundTrip<T: Codable>(_ type: T.Type, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        let json = try JSONValue(parsing: text)
        let value = try json.decode(as: T.self)
        let differences = jsonDifferences(json, try JSONValue(encoding: value))
        #expect(differences.isEmpty, "\(T.self):\n\(differences.joined(separator: "\n"))", sourceLocation: sourceLocation)
        return value
    }

    /// A Deployment's pod as the API server returns it while Pending (no scheduler): defaults, the
    /// injected kube-api-access volume, tolerations and a PodScheduled condition with `lastProbeTime: null`.
    static let pendingPod = #"""
    {"kind":"Pod","apiVersion":"v1","metadata":{"name":"web-cc544bdcc-x7k2p","generateName":"web-cc544bdcc-","namespace":"demo",
     "uid":"3c8f2a4e-0d7b-4c1e-9a55-6f0e2b7d1a90","resourceVersion":"530","creationTimestamp":"2026-11-24T10:30:01Z",
     "labels":{"app":"web","pod-template-hash":"cc544bdcc"},
     "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-cc544bdcc","uid":"5d1e7c3a-2b9f-4e60-8c4d-1a2b3c4d5e6f","controller":true,"blockOwnerDeletion":true}]},
     "spec":{"volumes":[{"name":"kube-api-access-9xq4z","projected":{"sources":[
        {"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},
        {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},
        {"downwardAPI":{"items":[{"path":"namespace","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}],
        "defaultMode":420}},
       {"name":"config","configMap":{"name":"web-config","defaultMode":420,"optional":true}},
       {"name":"cache","emptyDir":{"medium":"Memory","sizeLimit":"64Mi"}}],
      "containers":[{"name":"nginx","image":"nginx:1.27","command":["nginx"],"args":["-g","daemon off;"],
        "ports":[{"name":"http","containerPort":80,"protocol":"TCP"}],
        "envFrom":[{"prefix":"CFG_","configMapRef":{"name":"web-config","optional":true}}],
        "env":[{"name":"MODE","value":"prod"},
               {"name":"POD_IP","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"status.podIP"}}},
               {"name":"PASSWORD","valueFrom":{"secretKeyRef":{"name":"quiver-creds","key":"password"}}},
               {"name":"MEM","valueFrom":{"resourceFieldRef":{"containerName":"nginx","resource":"limits.memory","divisor":"1Mi"}}}],
        "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"64Mi"}},
        "volumeMounts":[{"name":"kube-api-access-9xq4z","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"},
                        {"name":"config","mountPath":"/etc/web","subPath":"web.conf"}],
        "livenessProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP"},"initialDelaySeconds":5,"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},
        "readinessProbe":{"tcpSocket":{"port":80},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},
        "lifecycle":{"preStop":{"sleep":{"seconds":5}}},
        "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent",
        "securityContext":{"capabilities":{"drop":["ALL"]},"runAsNonRoot":true,"readOnlyRootFilesystem":true,"allowPrivilegeEscalation":false,"seccompProfile":{"type":"RuntimeDefault"}}}],
      "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst",
      "nodeSelector":{"kubernetes.io/os":"linux"},
      "serviceAccountName":"default","serviceAccount":"default","securityContext":{"runAsUser":1000,"fsGroup":2000},
      "affinity":{"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":100,"podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"web"}},"topologyKey":"kubernetes.io/hostname"}}]}},
      "schedulerName":"default-scheduler",
      "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
                     {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
      "priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},
     "status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","lastProbeTime":null,
        "lastTransitionTime":"2026-11-24T10:30:01Z","reason":"Unschedulable","message":"no nodes available to schedule pods"}],
      "qosClass":"Burstable"}}
    """#

    /// A running pod's status, as the kubelet reports it.
    static let runningPodStatus = #"""
    {"phase":"Running","observedGeneration":1,
     "conditions":[{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-11-24T10:31:00Z"}],
     "hostIP":"10.0.0.5","hostIPs":[{"ip":"10.0.0.5"}],"podIP":"10.244.1.7","podIPs":[{"ip":"10.244.1.7"}],
     "startTime":"2026-11-24T10:30:05Z",
     "containerStatuses":[{"name":"nginx","state":{"running":{"startedAt":"2026-11-24T10:30:20Z"}},
       "lastState":{"terminated":{"exitCode":137,"reason":"OOMKilled","startedAt":"2026-11-24T10:30:06Z","finishedAt":"2026-11-24T10:30:19Z","containerID":"containerd://abc"}},
       "ready":true,"restartCount":1,"image":"docker.io/library/nginx:1.27","imageID":"docker.io/library/nginx@sha256:0123",
       "containerID":"containerd://def","started":true}],
     "qosClass":"Burstable"}
    """#

    @Test func podRoundTripsAndReads() throws {
        let pod = try expectRoundTrip(Pod.self, Self.pendingPod)
        let spec = try #require(pod.spec)
        let container = try #require(spec.containers.first)
        #expect(container.ports?.first?.containerPort == 80)
        #expect(container.env?.map(\.name) == ["MODE", "POD_IP", "PASSWORD", "MEM"])
        #expect(container.env?[2].valueFrom?.secretKeyRef == SecretKeySelector(name: "quiver-creds", key: "password"))
        #expect(container.resources?.limits?["memory"] == "128Mi")
        #expect(container.livenessProbe?.httpGet?.port == .string("http"))
        #expect(container.readinessProbe?.tcpSocket?.port == .int(80))
        #expect(spec.volumes?.first?.projected?.sources?.first?.serviceAccountToken?.expirationSeconds == 3607)
        #expect(spec.tolerations?.first?.operator == "Exists")
        #expect(spec.affinity?[path: ["podAntiAffinity"]] != nil)
        let condition = try #require(pod.status?.conditions?.first)
        #expect(condition.lastProbeTime == nil)
        #expect(condition.reason == "Unschedulable")

        let status = try expectRoundTrip(PodStatus.self, Self.runningPodStatus)
        let containerStatus = try #require(status.containerStatuses?.first)
        #expect(containerStatus.restartCount == 1)
        #expect(containerStatus.state?.running?.startedAt?.rfc3339 == "2026-11-24T10:30:20Z")
        #expect(containerStatus.lastState?.terminated?.reason == "OOMKilled")
    }

    @Test func serviceRoundTrips() throws {
        let service = try expectRoundTrip(Service.self, #"""
        {"kind":"Service","apiVersion":"v1","metadata":{"name":"web","namespace":"demo","uid":"u1","resourceVersion":"600","creationTimestamp":"2026-11-24T10:30:01Z"},
         "spec":{"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":"http"},{"name":"metrics","protocol":"TCP","appProtocol":"http","port":9090,"targetPort":9090,"nodePort":30090}],
          "selector":{"app":"web"},"clusterIP":"10.96.12.34","clusterIPs":["10.96.12.34"],"type":"NodePort",
          "sessionAffinity":"None","externalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack",
          "internalTrafficPolicy":"Cluster"},
         "status":{"loadBalancer":{}}}
        """#)
        #expect(service.spec?.ports?.first?.targetPort == "http")
        #expect(service.spec?.ports?.last?.nodePort == 30090)
        #expect(service.status?.loadBalancer == LoadBalancerStatus())

        _ = try expectRoundTrip(ServiceStatus.self, #"""
        {"loadBalancer":{"ingress":[{"ip":"203.0.113.10","ipMode":"VIP","ports":[{"port":80,"protocol":"TCP"}]}]}}
        """#)
    }

    @Test func namespaceAndServiceAccountRoundTrip() throws {
        let namespace = try expectRoundTrip(Namespace.self, #"""
        {"kind":"Namespace","apiVersion":"v1","metadata":{"name":"kapply","uid":"u2","resourceVersion":"700","creationTimestamp":"2026-11-24T10:33:00Z",
          "labels":{"kubernetes.io/metadata.name":"kapply"}},"spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}
        """#)
        #expect(namespace.status?.phase == "Active")
        #expect(Namespace.isNamespaced == false)

        let account = try expectRoundTrip(ServiceAccount.self, #"""
        {"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"quiver-sa","namespace":"demo","uid":"141722f4-0a1c-4945-ba7c-35febd6517b4",
          "resourceVersion":"574","creationTimestamp":"2026-11-24T10:30:44Z"},
         "imagePullSecrets":[{"name":"registry"}],"automountServiceAccountToken":false}
        """#)
        #expect(account.automountServiceAccountToken == false)
    }

    @Test func horizontalPodAutoscalerRoundTrips() throws {
        let hpa = try expectRoundTrip(HorizontalPodAutoscaler.self, #"""
        {"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"name":"web","namespace":"demo"},
         "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},"minReplicas":2,"maxReplicas":10,
          "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}},
                     {"type":"Pods","pods":{"metric":{"name":"queue_depth"},"target":{"type":"AverageValue","averageValue":"30"}}},
                     {"type":"External","external":{"metric":{"name":"requests","selector":{"matchLabels":{"app":"web"}}},"target":{"type":"Value","value":"1k"}}}],
          "behavior":{"scaleUp":{"stabilizationWindowSeconds":0,"selectPolicy":"Max","policies":[{"type":"Pods","value":4,"periodSeconds":15},{"type":"Percent","value":100,"periodSeconds":15}]},
                      "scaleDown":{"stabilizationWindowSeconds":300,"selectPolicy":"Max","policies":[{"type":"Percent","value":100,"periodSeconds":15}]}}},
         "status":{"observedGeneration":1,"lastScaleTime":"2026-11-24T10:40:00Z","currentReplicas":2,"desiredReplicas":3,
          "currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageValue":"120m","averageUtilization":95}}}],
          "conditions":[{"type":"AbleToScale","status":"True","lastTransitionTime":"2026-11-24T10:35:00Z","reason":"ReadyForNewScale","message":"recommended size matches current size"}]}}
        """#)
        #expect(hpa.spec?.metrics?.first?.resource?.target.averageUtilization == 80)
        #expect(hpa.status?.currentMetrics?.first?.resource?.current.averageValue == "120m")
    }

    @Test func podDisruptionBudgetRoundTrips() throws {
        let pdb = try expectRoundTrip(PodDisruptionBudget.self, #"""
        {"kind":"PodDisruptionBudget","apiVersion":"policy/v1","metadata":{"name":"web","namespace":"demo","generation":1},
         "spec":{"minAvailable":"50%","selector":{"matchExpressions":[{"key":"app","operator":"In","values":["web","api"]}]},"unhealthyPodEvictionPolicy":"AlwaysAllow"},
         "status":{"observedGeneration":1,"disruptedPods":{"web-1":"2026-11-24T10:41:00Z"},"disruptionsAllowed":0,"currentHealthy":1,"desiredHealthy":1,"expectedPods":2,
          "conditions":[{"type":"DisruptionAllowed","status":"False","observedGeneration":1,"lastTransitionTime":"2026-11-24T10:41:00Z","reason":"InsufficientPods","message":""}]}}
        """#)
        #expect(pdb.spec?.minAvailable?.scaledValue(total: 3, roundUp: true) == 2)
        #expect(pdb.spec?.selector?.selectorString == "app in (web,api)")
    }

    @Test func clusterRolesRoundTrip() throws {
        let role = try expectRoundTrip(ClusterRole.self, #"""
        {"kind":"ClusterRole","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"quiver-operator"},
         "rules":[{"verbs":["get","list","watch"],"apiGroups":["quiver.dev"],"resources":["widgets","widgets/status"]},{"verbs":["get"],"nonResourceURLs":["/healthz"]}],
         "aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"quiver.dev/aggregate":"true"}}]}}
        """#)
        #expect(role.rules?.last?.nonResourceURLs == ["/healthz"])
        _ = try expectRoundTrip(ClusterRoleBinding.self, #"""
        {"kind":"ClusterRoleBinding","apiVersion":"rbac.authorization.k8s.io/v1","metadata":{"name":"quiver-operator"},
         "subjects":[{"kind":"ServiceAccount","name":"quiver","namespace":"quiver-system"},{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"admins"}],
         "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"quiver-operator"}}
        """#)
    }

    @Test func memberwiseInitializersEncodeConcisely() throws {
        let lease = Lease(metadata: ObjectMeta(name: "x", namespace: "ns"), spec: LeaseSpec(holderIdentity: "a"))
        #expect(try JSONValue(encoding: lease).serializedString()
            == #"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"x","namespace":"ns"},"spec":{"holderIdentity":"a"}}"#)

        let deployment = Deployment(
            metadata: ObjectMeta(name: "web", labels: ["app": "web"]),
            spec: DeploymentSpec(
                replicas: 2, selector: LabelSelector(matchLabels: ["app": "web"]),
                template: PodTemplateSpec(
                    metadata: ObjectMeta(labels: ["app": "web"]),
                    spec: PodSpec(containers: [Container(name: "nginx", image: "nginx:1.27", ports: [ContainerPort(containerPort: 80)])]))))
        // Exactly the body of the recorded POST.
        #expect(try JSONValue(encoding: deployment) == Fixture("08-deployment-create.json").requestBody)

        let configMap = ConfigMap(metadata: ObjectMeta(name: "c"), data: ["k": "v"])
        #expect(try JSONValue(encoding: configMap) == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["k": "v"]])

        let secret = Secret(metadata: ObjectMeta(name: "s"), data: ["username": Data("quiver".utf8)], type: "Opaque")
        #expect(try JSONValue(encoding: secret)[path: ["data", "username"]] == "cXVpdmVy")

        let review = SubjectAccessReview(spec: SubjectAccessReviewSpec(
            resourceAttributes: ResourceAttributes(namespace: "demo", verb: "list", group: "quiver.dev", resource: "widgets"),
            user: "system:serviceaccount:demo:quiver-sa"))
        #expect(try JSONValue(encoding: review)["metadata"] == .emptyObject)

        let event = EventsV1Event(metadata: ObjectMeta(name: "e"), eventTime: MicroTime(secondsSince1970: 0, microseconds: 1),
                                  reason: "Scaled", regarding: ObjectReference(to: lease), type: "Normal")
        let eventJSON = try JSONValue(encoding: event)
        #expect(eventJSON["eventTime"] == "1970-01-01T00:00:00.000001Z")
        #expect(eventJSON[path: ["regarding", "kind"]] == "Lease")
        // Unset non-omitempty Go fields are written as null, as the API server writes them.
        #expect(eventJSON["deprecatedFirstTimestamp"] == .null)

        #expect(Table().rows == [])
        #expect(DeleteOptions(propagationPolicy: "Background").apiVersion == "v1")
    }

    @Test func resourceMetadata() {
        #expect(Deployment.groupVersionResource == GroupVersionResource(group: "apps", version: "v1", resource: "deployments"))
        #expect(Deployment.groupVersionResource.apiPathPrefix == "/apis/apps/v1")
        #expect(ConfigMap.groupVersionResource.apiPathPrefix == "/api/v1")
        #expect(CustomResourceDefinition.isNamespaced == false)
        #expect(Lease.groupVersionResource.qualifiedResource == "leases.coordination.k8s.io")
        #expect(EventsV1Event.groupVersionResource.apiVersion == "events.k8s.io/v1")
        #expect(Event.groupVersionResource.apiVersion == "v1")
    }

    @Test func explicitNullRemembersItsForm() throws {
        struct Holder: Codable, Hashable {
            @ExplicitNull var time: KubeTime?
        }
        let absent = try JSONValue.emptyObject.decode(as: Holder.self)
        let null = try (["time": nil] as JSONValue).decode(as: Holder.self)
        #expect(absent.time == nil && null.time == nil)
        #expect(absent == null)
        #expect(try JSONValue(encoding: absent) == .emptyObject)
        #expect(try JSONValue(encoding: null) == ["time": nil])
        #expect(try JSONValue(encoding: Holder(time: nil)) == ["time": nil])
        var omitted = Holder(time: nil)
        omitted.$time.omitsNull = true
        #expect(try JSONValue(encoding: omitted) == .emptyObject)
        omitted.time = KubeTime(secondsSince1970: 0)
        #expect(try JSONValue(encoding: omitted) == ["time": "1970-01-01T00:00:00Z"])
    }

    @Test func absentMetadataStaysAbsentUntilChanged() throws {
        var review = try (["apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": ["token": "t"]] as JSONValue)
            .decode(as: TokenReview.self)
        #expect(review.$metadata.isAbsent)
        #expect(try JSONValue(encoding: review)["metadata"] == nil)
        review.metadata.name = "named"
        #expect(try JSONValue(encoding: review)["metadata"] == ["name": "named"])
    }

    @Test func intOrString() throws {
        #expect(try JSONValue.int(8080).decode(as: IntOrString.self) == .int(8080))
        #expect(try JSONValue.string("25%").decode(as: IntOrString.self) == "25%")
        #expect(try JSONValue(encoding: IntOrString.int(3)) == .int(3))
        #expect(try JSONValue(encoding: IntOrString.string("3")) == .string("3"))
        #expect(throws: DecodingError.self) { _ = try JSONValue.bool(true).decode(as: IntOrString.self) }
        #expect(IntOrString.string("25%").scaledValue(total: 10, roundUp: true) == 3)
        #expect(IntOrString.string("25%").scaledValue(total: 10, roundUp: false) == 2)
        #expect(IntOrString.int(4).scaledValue(total: 10, roundUp: false) == 4)
        #expect(IntOrString.string("http").scaledValue(total: 10, roundUp: false) == nil)
        #expect(IntOrString.string("http").description == "http")
    }

    @Test func quantityKeepsItsText() throws {
        for text in ["100m", "64Mi", "1.5", "1e3", "0"] {
            let quantity = try JSONValue.string(text).decode(as: Quantity.self)
            #expect(quantity.string == text)
            #expect(try JSONValue(encoding: quantity) == .string(text))
        }
        #expect(try JSONValue.int(2).decode(as: Quantity.self) == "2")
        #expect(Quantity("1Gi") != Quantity("1024Mi"))
    }

    @Test func labelSelectorString() {
        let selector = LabelSelector(
            matchLabels: ["tier": "gold", "app": "demo"],
            matchExpressions: [
                LabelSelectorRequirement(key: "env", operator: "NotIn", values: ["dev", "test"]),
                LabelSelectorRequirement(key: "canary", operator: "Exists"),
                LabelSelectorRequirement(key: "legacy", operator: "DoesNotExist"),
            ])
        #expect(selector.selectorString == "app=demo,tier=gold,env notin (dev,test),canary,!legacy")
        #expect(LabelSelector().selectorString == "")
    }
}
