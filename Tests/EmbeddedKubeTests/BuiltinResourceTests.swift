@testable import EmbeddedKube
import KubeModel
import Testing

/// Built-in kinds an operator uses (08-* transcripts) and TokenReview.
@Suite("EmbeddedKube built-in resources (08-* transcripts)")
struct BuiltinResourceTests {
    let deploymentPath = "/apis/apps/v1/namespaces/demo/deployments/web"

    @Test("a Deployment gets the server's defaults; /scale reads and writes spec.replicas")
    func deploymentAndScale() async throws {
        try await withEmbeddedKube { kube in
            try await kube.createNamespace("demo")
            let create = try Transcript.load("08-deployment-create")
            let created = try await kube.send(create)
            expectMatches(created, create)
            #expect(created.json["spec"] == create.responseBody["spec"], "every default of the real server")

            let scaleGet = try Transcript.load("08-deployment-scale-get")
            let scale = try await kube.send(scaleGet)
            #expect(scale.status == 200)
            #expect(scale.json["kind"] == "Scale")
            #expect(scale.json["apiVersion"] == "autoscaling/v1")
            #expect(scale.json["spec"] == ["replicas": 2])
            #expect(scale.json[path: ["status", "selector"]] == "app=web", "the selector is a string")
            #expect(scale.json[path: ["metadata", "uid"]] == created.json[path: ["metadata", "uid"]])
            #expect(scale.json[path: ["metadata", "resourceVersion"]] == created.json[path: ["metadata", "resourceVersion"]])

            // PUT with the resourceVersion read: generation +1.
            let put = try Transcript.load("08-deployment-scale-put")
            var body = try #require(put.requestBody)
            body["metadata"] = scale.json["metadata"]
            let putResponse = try await kube.send(put, body: body.serialized())
            #expect(putResponse.status == 200, "\(putResponse.text)")
            #expect(putResponse.json["spec"] == ["replicas": 3])
            var deployment = try await kube.get(deploymentPath).json
            #expect(deployment[path: ["spec", "replicas"]] == 3)
            #expect(deployment[path: ["metadata", "generation"]] == 2)

            // A stale resourceVersion conflicts; none at all is fine.
            let stale = try await kube.send(put, body: body.serialized())
            #expect(stale.status == 409)
            #expect(StatusSummary(stale.json).reason == "Conflict")
            let noRV = try Transcript.load("08-deployment-scale-put-no-rv")
            let noRVResponse = try await kube.send(noRV)
            #expect(noRVResponse.status == 200)
            #expect(noRVResponse.json["spec"] == ["replicas": 4])

            let patch = try Transcript.load("08-deployment-scale-patch")
            let patched = try await kube.send(patch)
            #expect(patched.status == 200)
            #expect(patched.json["spec"] == ["replicas": 2])
            deployment = try await kube.get(deploymentPath).json
            #expect(deployment[path: ["spec", "replicas"]] == 2)
            #expect(deployment[path: ["metadata", "generation"]] == 4)
        }
    }

    @Test("Secret stringData is merged into base64 data and never returned; bad base64 is 400")
    func secrets() async throws {
        try await withEmbeddedKube { kube in
            try await kube.createNamespace("demo")
            let create = try Transcript.load("08-secret-create")
            let created = try await kube.send(create)
            expectMatches(created, create)
            #expect(created.json["stringData"] == nil)
            let get = try Transcript.load("08-secret-get")
            let got = try await kube.send(get)
            expectMatches(got, get)
            #expect(got.json["data"] == ["password": "bm90LWEtcmVhbC1zZWNyZXQ=", "username": "cXVpdmVy"])

            let bad = try Transcript.load("08-secret-create-bad-base64")
            expectMatches(try await kube.send(bad), bad)
            #expect(try await kube.get("/api/v1/namespaces/demo/secrets/bad-b64").status == 404)

            let delete = try await kube.post("/api/v1/namespaces/demo/configmaps", [
                "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "scratch"], "data": ["a": "b"],
            ])
            #expect(delete.status == 201)
            let deleteTranscript = try Transcript.load("08-configmap-delete")
            let deleted = try await kube.send(deleteTranscript)
            expectMatches(deleted, deleteTranscript)
            #expect(deleted.json["status"] == "Success")
            #expect(deleted.json[path: ["details", "uid"]] == delete.json[path: ["metadata", "uid"]])
            #expect(deleted.json[path: ["details", "group"]] == nil, "no group for the core group")
        }
    }

    @Test("Lease MicroTimes need exactly six fractional digits; renew and takeover are conditional PUTs")
    func leases() async throws {
        try await withEmbeddedKube { kube in
            try await kube.createNamespace("demo")
            let create = try Transcript.load("08-lease-create")
            let created = try await kube.send(create)
            expectMatches(created, create)
            #expect(created.json["spec"] == create.responseBody["spec"], "MicroTimes are echoed with six digits")

            for name in ["08-lease-time-seconds-only", "08-lease-time-millis", "08-lease-time-nanos"] {
                let transcript = try Transcript.load(name)
                expectMatches(try await kube.send(transcript), transcript)
            }

            var previous = created.json
            for name in ["08-lease-update-renew", "08-lease-update-takeover"] {
                let transcript = try Transcript.load(name)
                var body = try #require(transcript.requestBody)
                body[path: ["metadata", "resourceVersion"]] = previous[path: ["metadata", "resourceVersion"]]
                body[path: ["metadata", "uid"]] = previous[path: ["metadata", "uid"]]
                let response = try await kube.send(transcript, body: body.serialized())
                expectMatches(response, transcript)
                #expect(response.json["spec"] == transcript.responseBody["spec"])
                // The same PUT again is stale.
                let stale = try await kube.send(transcript, body: body.serialized())
                #expect(stale.status == 409, "\(name) repeated")
                previous = response.json
            }
            #expect(previous[path: ["spec", "leaseTransitions"]] == 1)
        }
    }

    @Test("a core/v1 Event is created as recorded")
    func coreEvent() async throws {
        try await withEmbeddedKube { kube in
            try await kube.createNamespace("demo")
            let transcript = try Transcript.load("08-event-core-create")
            let response = try await kube.send(transcript)
            expectMatches(response, transcript)
            for key in ["reason", "message", "type", "count", "firstTimestamp", "lastTimestamp", "source"] {
                #expect(response.json[key] == transcript.responseBody[key], "\(key): \(response.json[key] ?? .null)")
            }
        }
    }

    @Test("events.k8s.io/v1 Events: created, eventTime required, readable through /api/v1")
    func eventsV1() async throws {
        try await withEmbeddedKube { kube in
            try await kube.createNamespace("demo")
            // events.k8s.io/v1 Events are stored as core Events: either API reads what the other wrote.
            for name in ["08-event-eventsv1-create", "08-event-eventsv1-missing-eventtime"] {
                let transcript = try Transcript.load(name)
                expectMatches(try await kube.send(transcript), transcript)
            }
            let asCore = try Transcript.load("08-event-eventsv1-read-as-core")
            let response = try await kube.send(asCore)
            #expect(response.status == 200)
            for key in ["reason", "message", "type", "reportingComponent", "reportingInstance", "eventTime", "action", "involvedObject", "source", "firstTimestamp", "lastTimestamp"] {
                #expect(response.json[key] == asCore.responseBody[key], "\(key): \(response.json[key] ?? .null)")
            }
        }
    }

    @Test("TokenReview answers 201 for the admin token (authenticated) and for a bad one (an error)")
    func tokenReview() async throws {
        try await withEmbeddedKube { kube in
            let admin = try Transcript.load("09-auth-tokenreview-admin")
            var body = try #require(admin.requestBody)
            body[path: ["spec", "token"]] = .string(kube.token)
            let response = try await kube.send(admin, body: body.serialized())
            #expect(response.status == 201)
            #expect(response.json["kind"] == "TokenReview")
            #expect(response.json[path: ["status", "authenticated"]] == true)
            #expect(response.json[path: ["status", "user", "username"]]?.stringValue?.isEmpty == false)
            #expect(response.json[path: ["status", "user", "groups"]]?.arrayValue?.contains("system:masters") == true)

            let invalid = try Transcript.load("09-auth-tokenreview-invalid")
            let rejected = try await kube.send(invalid)
            #expect(rejected.status == 201)
            #expect(rejected.json["status"] == invalid.responseBody["status"])
        }
    }
}

@Suite("autoscaling/v1 conversion")
struct AutoscalingConversionTests {
    static let v1: JSONValue = [
        "apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "web"],
        "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "minReplicas": 1, "maxReplicas": 3,
                 "targetCPUUtilizationPercentage": 60],
    ]

    @Test("v1's CPU target is v2's utilization metric, and back; v1's default is 80")
    func cpuTarget() {
        let stored = Conversion.autoscalingV1.toStored(Self.v1)
        #expect(stored["apiVersion"] == "autoscaling/v2")
        #expect(stored[path: ["spec", "metrics"]] == [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 60]]]])
        #expect(stored[path: ["spec", "targetCPUUtilizationPercentage"]] == nil)
        #expect(Conversion.autoscalingV1.toExternal(stored) == Self.v1)
        var noTarget = Self.v1
        noTarget[path: ["spec", "targetCPUUtilizationPercentage"]] = nil
        #expect(Conversion.autoscalingV1.toStored(noTarget)[path: ["spec", "metrics"]]?.arrayValue?.first?[path: ["resource", "target", "averageUtilization"]] == 80)
    }

    @Test("metrics v1 cannot express survive a v1 read-modify-write in the annotation")
    func otherMetricsKept() {
        var stored = Conversion.autoscalingV1.toStored(Self.v1)
        let memory: JSONValue = ["type": "Resource", "resource": ["name": "memory", "target": ["type": "Utilization", "averageUtilization": 50]]]
        stored[path: ["spec", "metrics"]] = .array((stored[path: ["spec", "metrics"]]?.arrayValue ?? []) + [memory])
        let external = Conversion.autoscalingV1.toExternal(stored)
        #expect(external[path: ["metadata", "annotations", Conversion.metricsAnnotation]] != nil)
        let back = Conversion.autoscalingV1.toStored(external)
        #expect(back[path: ["spec", "metrics"]]?.arrayValue?.count == 2)
        #expect(back[path: ["spec", "metrics"]]?.arrayValue?.last == memory)
        #expect(back[path: ["metadata", "annotations"]] == nil)
    }
}
