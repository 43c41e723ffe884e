import Foundation
import KubeModel
import Testing

@testable import EmbeddedKube

/// A tiny protobuf writer, to build what kubectl sends.
struct ProtobufWriter {
    var bytes: [UInt8] = []

    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    mutating func key(_ number: Int, _ wireType: UInt64) { bytes += Self.varint(UInt64(number) << 3 | wireType) }
    mutating func varint(_ number: Int, _ value: UInt64) {
        key(number, 0)
        bytes += Self.varint(value)
    }
    mutating func int(_ number: Int, _ value: Int64) { varint(number, UInt64(bitPattern: value)) }
    mutating func bytes(_ number: Int, _ value: [UInt8]) {
        key(number, 2)
        bytes += Self.varint(UInt64(value.count)) + value
    }
    mutating func string(_ number: Int, _ value: String) { bytes(number, Array(value.utf8)) }
    mutating func message(_ number: Int, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        bytes(number, inner.bytes)
    }
    mutating func entry(_ number: Int, _ key: String, _ value: String) {
        message(number) {
            $0.string(1, key)
            $0.string(2, value)
        }
    }

    static func build(_ build: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var w = ProtobufWriter()
        build(&w)
        return w.bytes
    }

    /// `k8s\0` + runtime.Unknown around an object's bytes.
    static func envelope(_ apiVersion: String, _ kind: String, _ raw: [UInt8]) -> [UInt8] {
        [0x6b, 0x38, 0x73, 0x00] + build {
            $0.message(1) {
                $0.string(1, apiVersion)
                $0.string(2, kind)
            }
            $0.bytes(2, raw)
            $0.string(3, "")
            $0.string(4, "")
        }
    }

    /// ObjectMeta as Go's marshaller writes it: every non-pointer field, zero or not.
    static func objectMeta(name: String, namespace: String = "", labels: [(String, String)] = []) -> [UInt8] {
        build {
            $0.string(1, name)
            $0.string(2, "")
            $0.string(3, namespace)
            $0.string(4, "")
            $0.string(5, "")
            $0.string(6, "")
            $0.varint(7, 0)
            $0.bytes(8, [])
            for (k, v) in labels { $0.entry(11, k, v) }
        }
    }
}

@Suite("Protobuf request bodies")
struct ProtobufTests {
    typealias W = ProtobufWriter

    func decode(_ body: [UInt8]) throws(ProtobufDecodingError) -> JSONValue {
        try EmbeddedKube.decodeProtobufObject(body)
    }

    @Test("the reader reads varints, fixed values and bytes, and refuses truncated ones")
    func reader() throws {
        var w = W()
        w.varint(1, 300)
        w.int(2, -1)
        w.key(3, 5)
        w.bytes += [1, 0, 0, 0]
        w.key(4, 1)
        w.bytes += [2, 0, 0, 0, 0, 0, 0, 0]
        w.string(5, "hi")
        var reader = ProtobufReader(w.bytes[...])
        var seen: [String] = []
        while let f = try reader.next() {
            switch f.value {
            case .varint(let v): seen.append("\(f.number):v\(v)")
            case .fixed32(let v): seen.append("\(f.number):f\(v)")
            case .fixed64(let v): seen.append("\(f.number):F\(v)")
            case .bytes(let b): seen.append("\(f.number):\(String(decoding: b, as: UTF8.self))")
            }
        }
        #expect(seen == ["1:v300", "2:v\(UInt64.max)", "3:f1", "4:F2", "5:hi"])

        for bad: [UInt8] in [[0x08], [0x08, 0x80], [0x12, 0x05, 0x61], [0x1d, 0x01], [0x0b], [0x00, 0x01], [0x0f],
                             [0x08] + [UInt8](repeating: 0xff, count: 10) + [0x01]] {
            var r = ProtobufReader(bad[...])
            #expect(throws: ProtobufError.self, "\(bad)") { while try r.next() != nil {} }
        }
    }

    @Test("a ConfigMap as kubectl create configmap sends it")
    func configMap() throws {
        let raw = W.build {
            $0.bytes(1, W.objectMeta(name: "cm", namespace: "demo"))
            $0.entry(2, "a", "b")
            $0.entry(2, "empty", "")
            $0.message(3) { $0.string(1, "bin") }  // binaryData entry with no value
        }
        let object = try decode(W.envelope("v1", "ConfigMap", raw))
        #expect(object == [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "cm", "namespace": "demo"],
            "data": ["a": "b", "empty": ""],
            "binaryData": ["bin": ""],
        ])
    }

    @Test("Secret data is base64; immutable false is kept (a pointer); Namespace keeps its empty spec and status")
    func secretAndNamespace() throws {
        let secret = try decode(W.envelope("v1", "Secret", W.build {
            $0.bytes(1, W.objectMeta(name: "s", labels: [("app", "web")]))
            $0.message(2) {
                $0.string(1, "password")
                $0.bytes(2, Array("hunter2".utf8) + [0xff])
            }
            $0.string(3, "Opaque")
            $0.varint(5, 0)
        }))
        #expect(secret["data"] == ["password": .string(Data(Array("hunter2".utf8) + [0xff]).base64EncodedString())])
        #expect(secret["type"] == "Opaque")
        #expect(secret["immutable"] == false)
        #expect(secret["metadata"] == ["name": "s", "labels": ["app": "web"]])

        let namespace = try decode(W.envelope("v1", "Namespace", W.build {
            $0.bytes(1, W.objectMeta(name: "x"))
            $0.bytes(2, [])
            $0.message(3) { $0.string(1, "") }
        }))
        #expect(namespace == ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "x"], "spec": [:], "status": [:]])
    }

    @Test("times, int-or-strings, quantities, inline structs and ExtraValue lists")
    func wrappers() throws {
        let lease = try decode(W.envelope("coordination.k8s.io/v1", "Lease", W.build {
            $0.bytes(1, W.build {
                $0.string(1, "l")
                $0.message(8) {
                    $0.int(1, 1_700_000_000)
                    $0.int(2, 5)
                }
            })
            $0.message(2) {
                $0.string(1, "me")
                $0.varint(5, 0)
                $0.message(4) {
                    $0.int(1, 1_700_000_000)
                    $0.int(2, 123_456_000)
                }
            }
        }))
        #expect(lease["metadata"]?["creationTimestamp"] == "2023-11-14T22:13:20Z")
        #expect(lease["spec"] == ["holderIdentity": "me", "leaseTransitions": 0, "renewTime": "2023-11-14T22:13:20.123456Z"])

        let container = W.build {
            $0.string(1, "c")
            $0.string(2, "nginx")
            $0.message(6) {
                $0.string(1, "")
                $0.varint(3, 80)
                $0.string(4, "TCP")
            }
            $0.message(7) {
                $0.string(1, "CM")
                $0.message(3) {
                    $0.message(3) {
                        $0.message(1) { $0.string(1, "cfg") }
                        $0.string(2, "k")
                    }
                }
            }
            $0.message(8) {
                $0.message(1) {
                    $0.string(1, "cpu")
                    $0.message(2) { $0.string(1, "500m") }
                }
            }
            $0.message(10) {
                $0.message(1) {
                    $0.message(2) {
                        $0.string(1, "/healthz")
                        $0.message(2) {
                            $0.varint(1, 1)
                            $0.string(3, "http")
                        }
                    }
                }
                $0.varint(4, 10)
            }
        }
        let deployment = try decode(W.envelope("apps/v1", "Deployment", W.build {
            $0.bytes(1, W.objectMeta(name: "web", labels: [("app", "web")]))
            $0.message(2) {
                $0.varint(1, 0)
                $0.message(2) { $0.entry(1, "app", "web") }
                $0.message(3) {
                    $0.bytes(1, W.objectMeta(name: "", labels: [("app", "web")]))
                    $0.message(2) { $0.bytes(2, container) }
                }
                $0.message(4) {
                    $0.message(2) {
                        $0.message(1) { $0.varint(2, 0) }
                        $0.message(2) {
                            $0.varint(1, 1)
                            $0.string(3, "25%")
                        }
                    }
                }
            }
            $0.bytes(3, [])
        }))
        #expect(deployment["spec"]?["replicas"] == 0)
        #expect(deployment["spec"]?["strategy"] == ["rollingUpdate": ["maxUnavailable": 0, "maxSurge": "25%"]])
        #expect(deployment[path: ["spec", "template", "spec", "containers"]] == [[
            "name": "c", "image": "nginx", "ports": [["containerPort": 80, "protocol": "TCP"]],
            "env": [["name": "CM", "valueFrom": ["configMapKeyRef": ["name": "cfg", "key": "k"]]]],
            "resources": ["limits": ["cpu": "500m"]],
            "livenessProbe": ["httpGet": ["path": "/healthz", "port": "http"], "periodSeconds": 10],
        ]])

        let review = try decode(W.envelope("authorization.k8s.io/v1", "SubjectAccessReview", W.build {
            $0.bytes(1, W.objectMeta(name: ""))
            $0.message(2) {
                $0.message(1) {
                    $0.string(2, "list")
                    $0.string(5, "pods")
                    $0.string(3, "")
                }
                $0.string(3, "alice")
                $0.message(5) {
                    $0.string(1, "scopes")
                    $0.message(2) {
                        $0.string(1, "a")
                        $0.string(1, "b")
                    }
                }
            }
            $0.bytes(3, W.build { $0.varint(1, 0) })
        }))
        #expect(review["spec"] == [
            "resourceAttributes": ["verb": "list", "resource": "pods"], "user": "alice", "extra": ["scopes": ["a", "b"]],
        ])
        #expect(review["status"] == [:])
    }

    @Test("RBAC: rules keep the core group's empty string; bindings keep subjects and roleRef")
    func rbac() throws {
        let role = try decode(W.envelope("rbac.authorization.k8s.io/v1", "ClusterRole", W.build {
            $0.bytes(1, W.objectMeta(name: "r"))
            $0.message(2) {
                $0.string(1, "get")
                $0.string(1, "list")
                $0.string(2, "")
                $0.string(3, "pods")
            }
        }))
        #expect(role["rules"] == [["verbs": ["get", "list"], "apiGroups": [""], "resources": ["pods"]]])
        let binding = try decode(W.envelope("rbac.authorization.k8s.io/v1", "RoleBinding", W.build {
            $0.bytes(1, W.objectMeta(name: "b", namespace: "demo"))
            $0.message(2) {
                $0.string(1, "ServiceAccount")
                $0.string(2, "")
                $0.string(3, "sa")
                $0.string(4, "demo")
            }
            $0.message(3) {
                $0.string(1, "rbac.authorization.k8s.io")
                $0.string(2, "Role")
                $0.string(3, "r")
            }
        }))
        #expect(binding["subjects"] == [["kind": "ServiceAccount", "name": "sa", "namespace": "demo"]])
        #expect(binding["roleRef"] == ["apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"])
    }

    @Test("kinds and fields without a table are unsupported; garbage, truncation and deep nesting are malformed")
    func errors() throws {
        #expect(throws: ProtobufDecodingError.unsupported("protobuf bodies of Widget (quiver.dev/v1alpha1) are not supported")) {
            try decode(W.envelope("quiver.dev/v1alpha1", "Widget", W.objectMeta(name: "w")))
        }
        #expect(throws: ProtobufDecodingError.unsupported("protobuf bodies of objects without a kind are not supported")) {
            try decode(W.envelope("", "", W.objectMeta(name: "w")))
        }
        #expect(throws: ProtobufDecodingError.unsupported("field 99 of core/v1 ConfigMap is not supported in protobuf bodies")) {
            try decode(W.envelope("v1", "ConfigMap", W.build { $0.string(99, "x") }))
        }
        // An unknown field holding a zero value is what Go writes for fields it does not set: skipped.
        #expect(try decode(W.envelope("v1", "ConfigMap", W.build { $0.string(99, "") }))["kind"] == "ConfigMap")

        let good = W.envelope("v1", "ConfigMap", W.build {
            $0.bytes(1, W.objectMeta(name: "cm"))
            $0.entry(2, "a", "b")
        })
        // Every truncation of a valid body is an error, never a crash (up to the empty
        // contentEncoding and contentType at the end, 2 bytes each, which may be left out).
        for length in 0..<good.count - 4 {
            #expect(throws: ProtobufDecodingError.self, "\(length) bytes") { try decode(Array(good.prefix(length))) }
        }
        for bad: [UInt8] in [
            Array("{\"kind\":\"ConfigMap\"}".utf8),
            [0x6b, 0x38, 0x73, 0x00, 0xff, 0xff, 0xff],
            W.envelope("v1", "ConfigMap", W.build { $0.varint(1, 5) }),  // metadata as a varint
            W.envelope("v1", "ConfigMap", W.build { $0.bytes(1, W.build { $0.bytes(1, [0xc3, 0x28]) }) }),  // bad UTF-8
            W.envelope("v1", "Secret", W.build { $0.message(1) { $0.message(8) { $0.int(1, Int64.max) } } }),  // time out of range
        ] {
            #expect(throws: ProtobufDecodingError.self, "\(bad)") { try decode(bad) }
            do { _ = try decode(bad) } catch { if case .unsupported? = error as? ProtobufDecodingError { Issue.record("\(bad) was \(error)") } }
        }

        // A message nested past the depth limit.
        var deep = ProtobufSchema("test Deep", [:])
        for _ in 0...ProtobufSchema.maximumDepth + 1 { deep = ProtobufSchema("test Deep", [1: .message("d", deep)]) }
        var bytes: [UInt8] = []
        for _ in 0...ProtobufSchema.maximumDepth + 1 { bytes = W.build { $0.bytes(1, bytes) } }
        #expect(throws: ProtobufDecodingError.malformed("test Deep is nested more than 32 deep")) { try deep.decode(bytes[...]) }
    }

    @Test("random corruption of valid bodies of every kind is an answer, never a crash")
    func corruption() {
        var seed: UInt64 = 0x9e37_79b9_7f4a_7c15
        func random(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let meta = W.objectMeta(name: "x", namespace: "demo", labels: [("a", "b")])
        for (key, _) in ProtobufSchema.byKind.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: " ").map(String.init)
            let good = W.envelope(parts[0], parts[1], W.build {
                $0.bytes(1, meta)
                $0.message(2) { $0.message(1) { $0.string(1, "v") } }
                $0.message(3) { $0.string(1, "w") }
            })
            for _ in 0..<300 {
                var bad = good
                for _ in 0...random(3) { bad[4 + random(bad.count - 4)] = UInt8(random(256)) }
                _ = try? decode(bad)
            }
        }
    }

    @Test("an HPA keeps its target, metrics with quantities and behavior")
    func horizontalPodAutoscaler() throws {
        let hpa = try decode(W.envelope("autoscaling/v2", "HorizontalPodAutoscaler", W.build {
            $0.bytes(1, W.objectMeta(name: "h"))
            $0.message(2) {
                $0.message(1) {
                    $0.string(1, "Deployment")
                    $0.string(2, "web")
                    $0.string(3, "apps/v1")
                }
                $0.varint(2, 1)
                $0.varint(3, 5)
                $0.message(4) {
                    $0.string(1, "Resource")
                    $0.message(4) {
                        $0.string(1, "memory")
                        $0.message(2) {
                            $0.string(1, "AverageValue")
                            $0.message(3) { $0.string(1, "512Mi") }
                        }
                    }
                }
                $0.message(5) { $0.message(2) { $0.varint(3, 0) } }
            }
            $0.message(3) {
                $0.varint(3, 0)
                $0.varint(4, 0)
            }
        }))
        #expect(hpa["spec"] == [
            "scaleTargetRef": ["kind": "Deployment", "name": "web", "apiVersion": "apps/v1"], "minReplicas": 1, "maxReplicas": 5,
            "metrics": [["type": "Resource", "resource": ["name": "memory", "target": ["type": "AverageValue", "averageValue": "512Mi"]]]],
            "behavior": ["scaleDown": ["stabilizationWindowSeconds": 0]],
        ])
    }

    @Test("a PodDisruptionBudget keeps minAvailable as an int and its selector")
    func podDisruptionBudget() throws {
        let pdb = try decode(W.envelope("policy/v1", "PodDisruptionBudget", W.build {
            $0.bytes(1, W.objectMeta(name: "p"))
            $0.message(2) {
                $0.message(1) { $0.varint(2, 1) }
                $0.message(2) { $0.entry(1, "app", "web") }
            }
            $0.message(3) {
                $0.varint(1, 0)
                $0.varint(3, 0)
            }
        }))
        #expect(pdb["spec"] == ["minAvailable": 1, "selector": ["matchLabels": ["app": "web"]]])
        #expect(pdb["status"] == [:])
    }

    @Test("over HTTP: a protobuf create is stored and answered in JSON (Accept listing protobuf first); 415 names the kind, 400 for garbage")
    func overHTTP() async throws {
        try await withEmbeddedKube { kube in
            try await kube.createNamespace("demo")
            let body = W.envelope("v1", "ConfigMap", W.build {
                $0.bytes(1, W.objectMeta(name: "cm"))
                $0.entry(2, "a", "b")
            })
            let created = try await kube.send(
                "POST", "/api/v1/namespaces/demo/configmaps?fieldManager=kubectl-create&fieldValidation=Strict", body: body,
                contentType: "application/vnd.kubernetes.protobuf", accept: "application/vnd.kubernetes.protobuf, application/json")
            #expect(created.status == 201, "\(created.text)")
            #expect(created.contentType.hasPrefix("application/json"))
            #expect(created.json["data"] == ["a": "b"])
            #expect(try await kube.get("/api/v1/namespaces/demo/configmaps/cm").json["data"] == ["a": "b"])

            let crd = try await kube.send(
                "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                body: W.envelope("apiextensions.k8s.io/v1", "CustomResourceDefinition", W.objectMeta(name: "widgets.quiver.dev")),
                contentType: "application/vnd.kubernetes.protobuf")
            #expect(crd.status == 415)
            #expect(StatusSummary(crd.json).message == "protobuf bodies of CustomResourceDefinition (apiextensions.k8s.io/v1) are not supported; send it as application/json or application/yaml instead")

            let garbage = try await kube.send(
                "POST", "/api/v1/namespaces/demo/configmaps", body: [0x6b, 0x38, 0x73, 0x00, 0x0a, 0x40],
                contentType: "application/vnd.kubernetes.protobuf")
            #expect(garbage.status == 400)
            #expect((StatusSummary(garbage.json).message ?? "").hasPrefix("error decoding protobuf body:"))

            let review = try await kube.send(
                "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                body: W.envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", W.build {
                    $0.bytes(1, W.objectMeta(name: ""))
                    $0.message(2) {
                        $0.message(1) {
                            $0.string(1, "demo")
                            $0.string(2, "list")
                            $0.string(5, "pods")
                        }
                    }
                    $0.bytes(3, [])
                }),
                contentType: "application/vnd.kubernetes.protobuf", accept: "application/vnd.kubernetes.protobuf, application/json")
            #expect(review.status == 201, "\(review.text)")
            #expect(review.json[path: ["status", "allowed"]] == true)
        }
    }
}
