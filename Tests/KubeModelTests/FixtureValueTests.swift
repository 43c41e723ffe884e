import Foundation
import Testing

@testable import KubeModel

/// Values a user of the typed models would notice, read from the recorded transcripts.
@Suite("Typed values from recorded kube-apiserver JSON")
struct FixtureValueTests {
    @Test func deploymentCreate() throws {
        let fixture = try Fixture("08-deployment-create.json")
        let request: Deployment = try fixture.request()
        #expect(request.spec?.replicas == 2)
        #expect(request.spec?.strategy == nil)

        let deployment: Deployment = try fixture.response()
        #expect(deployment.apiVersion == "apps/v1")
        #expect(deployment.kind == "Deployment")
        #expect(deployment.metadata.name == "web")
        #expect(deployment.metadata.namespace == "demo")
        #expect(deployment.metadata.generation == 1)
        #expect(deployment.metadata.creationTimestamp?.rfc3339 == "2026-11-24T10:30:01Z")
        let spec = try #require(deployment.spec)
        #expect(spec.replicas == 2)
        #expect(spec.selector.matchLabels == ["app": "web"])
        #expect(spec.selector.selectorString == "app=web")
        #expect(spec.strategy?.type == "RollingUpdate")
        #expect(spec.strategy?.rollingUpdate?.maxSurge == .string("25%"))
        #expect(spec.strategy?.rollingUpdate?.maxUnavailable?.scaledValue(total: 2, roundUp: false) == 0)
        #expect(spec.revisionHistoryLimit == 10)
        #expect(spec.progressDeadlineSeconds == 600)
        #expect(spec.template.metadata?.labels == ["app": "web"])

        let podSpec = try #require(spec.template.spec)
        #expect(podSpec.restartPolicy == "Always")
        #expect(podSpec.terminationGracePeriodSeconds == 30)
        #expect(podSpec.securityContext == PodSecurityContext())
        let container = try #require(podSpec.containers.first)
        #expect(container.name == "nginx")
        #expect(container.image == "nginx:1.27")
        #expect(container.ports == [ContainerPort(containerPort: 80, protocol: "TCP")])
        #expect(container.resources == ResourceRequirements())
        #expect(container.imagePullPolicy == "IfNotPresent")
        #expect(deployment.status == DeploymentStatus())
    }

    @Test func deploymentStatusFromController() throws {
        let deployment: Deployment = try Fixture("08-deployment-get.json").response()
        #expect(deployment.metadata.annotations?["deployment.kubernetes.io/revision"] == "1")
        let status = try #require(deployment.status)
        #expect(status.observedGeneration == 1)
        #expect(status.replicas == 2)
        #expect(status.unavailableReplicas == 2)
        #expect(status.terminatingReplicas == 0)
        #expect(status.readyReplicas == nil)
        #expect(status.conditions?.map(\.type) == ["Available", "Progressing"])
        let available = try #require(status.conditions?.first)
        #expect(available.status == "False")
        #expect(available.reason == "MinimumReplicasUnavailable")
        #expect(available.lastUpdateTime == KubeTime(rfc3339: "2026-11-24T10:30:01Z"))
        #expect(deployment.metadata.managedFields?.map(\.manager) == ["kube-controller-manager", "python-requests"])
        #expect(deployment.metadata.managedFields?.first?.subresource == "status")
    }

    @Test func scaleSelectorIsAString() throws {
        let scale: Scale = try Fixture("08-deployment-scale-get.json").response()
        #expect(scale.spec?.replicas == 2)
        #expect(scale.status == ScaleStatus(replicas: 2, selector: "app=web"))

        let put = try Fixture("04-cr-scale-put.json")
        let request: Scale = try put.request()
        #expect(request.spec?.replicas == 3)
        let response: Scale = try put.response()
        #expect(response.metadata.resourceVersion == "459")
        #expect(response.status?.selector == "app=demo")
    }

    @Test func leaseHolderAndTransitions() throws {
        let created: Lease = try Fixture("08-lease-create.json").response()
        let spec = try #require(created.spec)
        #expect(spec.holderIdentity == "quiver-operator-abc_1234")
        #expect(spec.leaseDurationSeconds == 15)
        #expect(spec.leaseTransitions == 0)
        #expect(spec.acquireTime?.rfc3339 == "2026-11-24T10:30:03.142494Z")
        #expect(spec.renewTime?.microseconds == 142_494)

        let takeover: Lease = try Fixture("08-lease-update-takeover.json").response()
        #expect(takeover.spec?.holderIdentity == "quiver-operator-def_5678")
        #expect(takeover.spec?.leaseTransitions == 1)
        #expect(takeover.metadata.resourceVersion == "560")
        let renewed = try #require(takeover.spec?.renewTime)
        #expect(renewed > spec.renewTime ?? renewed)
    }

    @Test func leaseWithWrongMicroTimeDigitsFailsToDecode() throws {
        for file in ["08-lease-time-seconds-only.json", "08-lease-time-millis.json", "08-lease-time-nanos.json"] {
            let fixture = try Fixture(file)
            #expect(throws: DecodingError.self, "\(file)") { _ = try fixture.request(as: Lease.self) }
            let status: Status = try fixture.response()
            #expect(status.code == 400)
            #expect(status.reason == "BadRequest")
            #expect(status.message?.contains("as \"2006-01-02T15:04:05.000000Z07:00\"") == true)
        }
    }

    @Test func invalidStatusWithCauses() throws {
        let status: Status = try Fixture("04-cr-create-invalid.json").response()
        #expect(status.kind == "Status")
        #expect(status.apiVersion == "v1")
        #expect(status.status == "Failure")
        #expect(status.reason == "Invalid")
        #expect(status.code == 422)
        #expect(status.details?.name == "bad")
        #expect(status.details?.group == "quiver.dev")
        #expect(status.details?.kind == "Widget")
        #expect(status.details?.causes == [
            StatusCause(reason: "FieldValueInvalid",
                        message: "Invalid value: 0: spec.size in body should be greater than or equal to 1",
                        field: "spec.size"),
            StatusCause(reason: "FieldValueNotSupported",
                        message: "Unsupported value: \"green\": supported values: \"red\", \"blue\"",
                        field: "spec.color"),
        ])
        #expect(status.message?.hasPrefix("Widget.quiver.dev \"bad\" is invalid: [spec.size") == true)
    }

    @Test func otherStatuses() throws {
        let conflict: Status = try Fixture("04-cr-apply-conflict.json").response()
        #expect(conflict.code == 409)
        #expect(conflict.details?.causes?.first?.reason == "FieldManagerConflict")
        #expect(conflict.details?.causes?.first?.field == ".spec.size")

        let deleted: Status = try Fixture("08-configmap-delete.json").response()
        #expect(deleted.status == "Success")
        #expect(deleted.code == nil)
        #expect(deleted.details == StatusDetails(name: "scratch", kind: "configmaps", uid: "71f39caa-8ca5-48c5-b1c7-33542ad0f34a"))

        let unauthorized: Status = try Fixture("09-auth-bad-token.json").response()
        #expect(unauthorized.code == 401)
        #expect(unauthorized.details == nil)
    }

    @Test func crdNamesSchemaAndConditions() throws {
        let created = try Fixture("03-crd-create-widget.json")
        let crd: CustomResourceDefinition = try created.response()
        #expect(crd.spec.group == "quiver.dev")
        #expect(crd.spec.scope == "Namespaced")
        #expect(crd.spec.names.plural == "widgets")
        #expect(crd.spec.names.shortNames == ["wd"])
        #expect(crd.spec.conversion?.strategy == "None")
        let version = try #require(crd.spec.versions.first)
        #expect(version.served && version.storage)
        #expect(version.subresources?.status == CustomResourceSubresourceStatus())
        #expect(version.subresources?.scale?.labelSelectorPath == ".status.selector")
        #expect(version.additionalPrinterColumns?.map(\.name) == ["Size", "Color", "Age"])
        let schema = try #require(version.schema?.openAPIV3Schema)
        #expect(schema[path: ["properties", "spec", "properties", "size", "minimum"]] == .int(1))
        #expect(schema[path: ["properties", "spec", "required"]] == ["image"])
        // A fresh CRD: conditions null (kept as null on re-encoding), names not yet accepted.
        let status = try #require(crd.status)
        #expect(status.conditions == nil)
        #expect(status.acceptedNames == CustomResourceDefinitionNames(plural: "", kind: ""))
        #expect(status.storedVersions == ["v1alpha1"])
        #expect(!crd.isEstablished)
        #expect(try JSONValue(encoding: status)["conditions"] == .null)

        let established: CustomResourceDefinition = try Fixture("03-crd-get-established.json").response()
        #expect(established.isEstablished)
        #expect(established.status?.conditions?.map(\.reason) == ["NoConflicts", "InitialNamesAccepted"])
        #expect(established.status?.acceptedNames?.listKind == "WidgetList")
    }

    @Test func secretDataIsDecodedBase64() throws {
        let fixture = try Fixture("08-secret-create.json")
        let request: Secret = try fixture.request()
        #expect(request.stringData == ["password": "not-a-real-secret"])
        let secret: Secret = try fixture.response()
        #expect(secret.type == "Opaque")
        #expect(secret.stringData == nil)
        #expect(secret.data?["password"] == Data("not-a-real-secret".utf8))
        #expect(secret.data?["username"] == Data("quiver".utf8))
        #expect(throws: DecodingError.self) {
            _ = try Fixture("08-secret-create-bad-base64.json").request(as: Secret.self)
        }
    }

    @Test func configMapOwnerReferences() throws {
        let configMap: ConfigMap = try Fixture("07-foreground-dependent-during.json").response()
        #expect(configMap.data == ["k": "v"])
        #expect(configMap.metadata.finalizers == ["quiver.dev/hold"])
        #expect(configMap.metadata.deletionGracePeriodSeconds == 0)
        #expect(configMap.metadata.deletionTimestamp?.rfc3339 == "2026-11-24T10:29:10Z")
        let owner = try #require(configMap.metadata.ownerReferences?.first)
        #expect(owner.kind == "Widget")
        #expect(owner.controller == true)
        #expect(owner.blockOwnerDeletion == true)

        let options: DeleteOptions = try Fixture("07-foreground-delete-owner.json").request()
        #expect(options.propagationPolicy == "Foreground")
    }

    @Test func events() throws {
        let core: Event = try Fixture("08-event-core-create.json").response()
        #expect(core.involvedObject.kind == "Widget")
        #expect(core.involvedObject.name == "w1")
        #expect(core.reason == "Scaled")
        #expect(core.source?.component == "quiver-operator")
        #expect(core.count == 1)
        #expect(core.firstTimestamp?.rfc3339 == "2026-11-24T10:30:03Z")
        #expect(core.eventTime == nil)
        #expect(core.reportingComponent == "")
        #expect(try JSONValue(encoding: core)["eventTime"] == .null)

        let modern: EventsV1Event = try Fixture("08-event-eventsv1-create.json").response()
        #expect(modern.eventTime?.microseconds == 142_494)
        #expect(modern.reportingController == "quiver.dev/operator")
        #expect(modern.regarding?.name == "w1")
        #expect(modern.note == "Widget scaled to 3")
        #expect(modern.deprecatedSource == EventSource())
        #expect(modern.deprecatedFirstTimestamp == nil)

        let asCore: Event = try Fixture("08-event-eventsv1-read-as-core.json").response()
        #expect(asCore.message == modern.note)
        #expect(asCore.reportingComponent == modern.reportingController)
        #expect(asCore.eventTime == modern.eventTime)
        #expect(asCore.firstTimestamp == nil)

        let missing = try Fixture("08-event-eventsv1-missing-eventtime.json")
        let request: EventsV1Event = try missing.request()
        #expect(request.eventTime == nil)
        #expect(try JSONValue(encoding: request)["eventTime"] == nil)
    }

    @Test func tables() throws {
        let table: Table = try Fixture("05-table-widgets.json").response()
        #expect(table.metadata?.resourceVersion == "463")
        #expect(table.columnDefinitions?.map(\.name) == ["Name", "Size", "Color", "Age"])
        #expect(table.columnDefinitions?.first?.format == "name")
        let row = try #require(table.rows?.first)
        #expect(row.cells == ["w1", 7, "blue", "28s"])
        let partial = try #require(row.partialObjectMetadata)
        #expect(partial.kind == "PartialObjectMetadata")
        #expect(partial.metadata?.labels == ["app": "demo", "tier": "gold"])

        let empty: Table = try Fixture("05-table-pods-empty.json").response()
        #expect(empty.rows == [])
        #expect(empty.columnDefinitions?.filter { $0.priority == 1 }.map(\.name) == ["IP", "Node", "Nominated Node", "Readiness Gates"])
    }

    @Test func tableWatchSendsColumnsOnlyFirst() throws {
        let lines = try #require(Fixture("06-watch-table.json").responseBody?.arrayValue)
        let events = try lines.map { try $0.decode(as: WatchEvent<Table>.self) }
        #expect(events.map(\.type) == [.modified, .added, .deleted])
        #expect(events.map { $0.object.columnDefinitions?.count } == [4, nil, nil])
        #expect(events.map { $0.object.metadata?.resourceVersion } == ["680", "681", "682"])
        #expect(try JSONValue(encoding: events[1])[path: ["object", "columnDefinitions"]] == .null)
    }

    @Test func widgetWatchAndLists() throws {
        let lines = try #require(Fixture("06-watch-widgets.json").responseBody?.arrayValue)
        let events = try lines.map { try $0.decode(as: WatchEvent<JSONValue>.self) }
        #expect(events.map(\.type) == [.added, .modified, .modified, .deleted, .bookmark])
        #expect(events.last?.object[path: ["metadata", "resourceVersion"]] == "476")

        let initial = try #require(Fixture("06-watch-timeout-2s.json").responseBody?.arrayValue)
        let bookmark = try #require(initial.last).decode(as: WatchEvent<PartialObjectMetadata>.self)
        #expect(bookmark.type == .bookmark)
        #expect(bookmark.object.metadata?.annotations == ["k8s.io/initial-events-end": "true"])

        let tooOld = try #require(Fixture("06-watch-too-old-rv.json").responseBody?.arrayValue)
        let error = try #require(tooOld.first).decode(as: WatchEvent<Status>.self)
        #expect(error.type == .error)
        #expect(error.object.code == 410)
        #expect(error.object.reason == "Expired")

        let page: ObjectList<JSONValue> = try Fixture("06-list-limit-continue.json").response()
        #expect(page.kind == "WidgetList")
        #expect(page.items.count == 1)
        #expect(page.metadata.remainingItemCount == 2)
        #expect(page.metadata.continue?.isEmpty == false)
        #expect(page.metadata.resourceVersion == "688")

        let list: ObjectList<JSONValue> = try Fixture("04-cr-list.json").response()
        #expect(list.metadata.continue == "")
    }

    @Test func discovery() throws {
        let aggregated: APIGroupDiscoveryList = try Fixture("01-discovery-aggregated-apis.json").response()
        #expect(aggregated.items.compactMap(\.metadata?.name) == [
            "apps", "autoscaling", "policy", "apiextensions.k8s.io", "coordination.k8s.io", "quiver.dev",
        ])
        let quiver = try #require(aggregated.items.first { $0.metadata?.name == "quiver.dev" })
        let widgets = try #require(quiver.versions?.first?.resources?.first { $0.resource == "widgets" })
        #expect(widgets.scope == "Namespaced")
        #expect(widgets.verbs == ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"])
        let scale = try #require(widgets.subresources?.first { $0.subresource == "scale" })
        #expect(scale.responseKind == GroupVersionKind(group: "autoscaling", version: "v1", kind: "Scale"))

        let core: APIGroupDiscoveryList = try Fixture("01-discovery-aggregated-api.json").response()
        #expect(core.items.first?.metadata == ObjectMeta())
        #expect(core.items.first?.versions?.first?.freshness == "Current")

        let versions: APIVersions = try Fixture("01-discovery-api.json").response()
        #expect(versions.versions == ["v1"])
        #expect(versions.apiVersion == nil)

        let groups: APIGroupList = try Fixture("01-discovery-apis.json").response()
        #expect(groups.groups.first { $0.name == "autoscaling" }?.preferredVersion?.version == "v2")

        let resources: APIResourceList = try Fixture("01-discovery-apis-quiver.dev-v1alpha1.json").response()
        let scaleResource = try #require(resources.resources.first { $0.name == "widgets/scale" })
        #expect(scaleResource.group == "autoscaling")
        #expect(scaleResource.kind == "Scale")
        #expect(scaleResource.singularName == "")

        let version: VersionInfo = try Fixture("01-discovery-version.json").response()
        #expect(version.gitVersion == "v1.36.2")
        #expect(version.minor == "36")
        #expect(version.minCompatibilityMinor == "35")
    }

    @Test func reviews() throws {
        let allowed: SubjectAccessReview = try Fixture("09-auth-sar-allowed.json").response()
        #expect(allowed.spec.resourceAttributes?.resource == "widgets")
        #expect(allowed.status?.allowed == true)
        #expect(allowed.status?.reason?.hasPrefix("RBAC: allowed by RoleBinding") == true)

        let denied: SubjectAccessReview = try Fixture("09-auth-sar-denied.json").response()
        #expect(denied.status == SubjectAccessReviewStatus(allowed: false))
        #expect(try JSONValue(encoding: denied)["status"] == ["allowed": false])

        let request: SubjectAccessReview = try Fixture("09-auth-sar-denied.json").request()
        #expect(request.metadata == ObjectMeta())
        #expect(try JSONValue(encoding: request)["metadata"] == nil)

        let admin: TokenReview = try Fixture("09-auth-tokenreview-admin.json").response()
        #expect(admin.status?.authenticated == true)
        #expect(admin.status?.user?.groups == ["system:masters", "system:authenticated"])

        let invalid: TokenReview = try Fixture("09-auth-tokenreview-invalid.json").response()
        #expect(invalid.status == TokenReviewStatus(user: UserInfo(), error: "invalid bearer token"))

        let token: TokenRequest = try Fixture("09-auth-tokenrequest.json").response()
        #expect(token.spec.expirationSeconds == 3600)
        #expect(token.spec.boundObjectRef == nil)
        #expect(token.status?.expirationTimestamp.rfc3339 == "2026-11-24T11:30:45Z")

        let whoami: SelfSubjectReview = try Fixture("09-auth-selfsubjectreview-sa.json").response()
        #expect(whoami.status?.userInfo?.username == "system:serviceaccount:demo:quiver-sa")
        #expect(whoami.status?.userInfo?.extra?["authentication.kubernetes.io/credential-id"]?.count == 1)

        let canI: SelfSubjectAccessReview = try Fixture("09-auth-selfsar-sa.json").response()
        #expect(canI.status?.allowed == true)

        let binding: RoleBinding = try Fixture("09-auth-rolebinding-create.json").response()
        #expect(binding.roleRef == RoleRef(kind: "Role", name: "widget-reader"))
        #expect(binding.subjects == [Subject(kind: "ServiceAccount", name: "quiver-sa", namespace: "demo")])

        let role: Role = try Fixture("09-auth-role-create.json").response()
        #expect(role.rules == [PolicyRule(verbs: ["get", "list"], apiGroups: ["quiver.dev"], resources: ["widgets"])])
    }
}
