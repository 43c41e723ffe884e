import Foundation
import KubeModel
import ServingAPI
import Testing
import Yams

/// The CRDs in manifests/crd are hand-kept; these tests hold them and the Swift types to the same
/// fields, both ways.
@Suite struct CRDSchemaTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func crd(_ plural: String) throws -> JSONValue {
        let url = repositoryRoot.appendingPathComponent("manifests/crd/quiver.dev_\(plural).yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try toJSON(Yams.load(yaml: text) as Any)
    }

    static func toJSON(_ any: Any) throws -> JSONValue {
        switch any {
        case let d as [String: Any]: return .object(try d.mapValues(toJSON))
        case let a as [Any]: return .array(try a.map(toJSON))
        case let s as String: return .string(s)
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(Int64(i))
        case let d as Double: return .double(d)
        case is NSNull: return .null
        default: return .null
        }
    }

    /// Field paths a schema declares; nodes that keep unknown fields are leaves.
    static func schemaPaths(_ schema: JSONValue, prefix: String = "") -> Set<String> {
        var out: Set<String> = []
        if schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true && schema["properties"] == nil { return out }
        if case .object(let properties)? = schema["properties"] {
            for (key, sub) in properties {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                out.insert(path)
                out.formUnion(schemaPaths(sub, prefix: path))
            }
        }
        if let items = schema["items"] { out.formUnion(schemaPaths(items, prefix: prefix + "[]")) }
        if let additional = schema["additionalProperties"], case .object = additional {
            out.formUnion(schemaPaths(additional, prefix: prefix + ".*"))
        }
        return out
    }

    /// Field paths present in an encoded value; `leaves` stops descent (free-form fields).
    static func valuePaths(_ value: JSONValue, prefix: String = "", leaves: Set<String>, maps: Set<String>) -> Set<String> {
        var out: Set<String> = []
        if leaves.contains(prefix) { return out }
        switch value {
        case .object(let o):
            for (key, sub) in o {
                let path = maps.contains(prefix) ? prefix + ".*" : (prefix.isEmpty ? key : "\(prefix).\(key)")
                if !maps.contains(prefix) { out.insert(path) }
                out.formUnion(valuePaths(sub, prefix: path, leaves: leaves, maps: maps))
            }
        case .array(let a):
            for element in a { out.formUnion(valuePaths(element, prefix: prefix + "[]", leaves: leaves, maps: maps)) }
        default:
            break
        }
        return out
    }

    static func compare(_ object: some Encodable, plural: String, leaves: Set<String> = [], maps: Set<String> = []) throws {
        let crd = try crd(plural)
        let schema = try #require(crd[path: ["spec", "versions"]]?.arrayValue?.first?[path: ["schema", "openAPIV3Schema"]])
        let declared = schemaPaths(schema).filter { !$0.hasPrefix("metadata") }
        let encoded = try JSONValue(encoding: object)
        let present = valuePaths(encoded, leaves: leaves.union(["metadata"]), maps: maps).filter { !$0.hasPrefix("metadata") }
        let missingFromCRD = present.subtracting(declared)
        let missingFromSwift = declared.subtracting(present)
        #expect(missingFromCRD.isEmpty, "fields of the Swift type that the \(plural) CRD does not declare: \(missingFromCRD.sorted())")
        #expect(missingFromSwift.isEmpty, "fields of the \(plural) CRD that the Swift type does not have: \(missingFromSwift.sorted())")
    }

    static let condition = Condition(
        type: "Valid", status: "True", observedGeneration: 1, lastTransitionTime: KubeTime(secondsSince1970: 0),
        reason: "Bound", message: "ok")

    @Test func servingTemplateFieldsMatchTheCRD() throws {
        let template = V1Alpha1.ServingTemplate(
            metadata: ObjectMeta(name: "t"),
            spec: .init(
                inputs: .init(
                    parameters: [.init(name: "image", type: "string", default: "x", description: "d")],
                    artifacts: [.init(name: "model", description: "d")]),
                template: .init(
                    apiVersion: "serving.kserve.io/v1beta1",
                    metadata: .init(annotations: "a: b", labels: "c: d"),
                    spec: "predictor: {}")))
        try Self.compare(template, plural: "servingtemplates",
                         leaves: ["spec.template.spec", "spec.template.metadata.annotations", "spec.template.metadata.labels"])
    }

    @Test func configurationFieldsMatchTheCRD() throws {
        let configuration = V1Alpha1.Configuration(
            metadata: ObjectMeta(name: "c", namespace: "n"),
            spec: .init(
                name: "n", scenarioId: "s", executableId: "e", parameterBindings: [.init(key: "k", value: "v")],
                inputArtifactBindings: [.init(key: "model", artifactId: "a")]),
            status: .init(conditions: [Self.condition], observedGeneration: 1))
        try Self.compare(configuration, plural: "configurations")
    }

    @Test func deploymentFieldsMatchTheCRD() throws {
        let t = KubeTime(secondsSince1970: 0)
        let deployment = V1Alpha1.Deployment(
            metadata: ObjectMeta(name: "d", namespace: "n"),
            spec: .init(configurationId: "c", targetStatus: .running, ttl: "1h"),
            status: .init(
                status: .running, statusMessage: "m", deploymentUrl: "u", latestRunningConfigurationId: "c",
                submissionTime: t, startTime: t, completionTime: t, lastActivityTime: t, replicas: 1,
                conditions: [Self.condition], observedGeneration: 1))
        try Self.compare(deployment, plural: "deployments")
    }

    @Test func artifactFieldsMatchTheCRD() throws {
        let artifact = V1Alpha1.Artifact(
            metadata: ObjectMeta(name: "a", namespace: "n"),
            spec: .init(name: "m", kind: .model, url: "s3://b/p", scenarioId: "s", description: "d", labels: [.init(key: "k", value: "v")]))
        try Self.compare(artifact, plural: "artifacts")
    }

    @Test func resourcePlanFieldsMatchTheCRD() throws {
        let plan = V1Alpha1.ResourcePlan(
            metadata: ObjectMeta(name: "infer.s"),
            spec: .init(
                cpu: "3", memory: "10Gi", gpu: 1, gpuResource: "nvidia.com/gpu", nodeSelector: ["pool": "gpu"],
                tolerations: [Toleration(key: "nvidia.com/gpu", operator: "Exists", value: "v", effect: "NoSchedule", tolerationSeconds: 5)],
                description: "d"))
        try Self.compare(plan, plural: "resourceplans", maps: ["spec.nodeSelector"])
    }

    @Test func shippedResourcePlansDecode() throws {
        let url = Self.repositoryRoot.appendingPathComponent("manifests/resourceplans/default.yaml")
        let documents = try Yams.load_all(yaml: String(contentsOf: url, encoding: .utf8))
        var names: [String] = []
        for document in documents {
            let plan = try Self.toJSON(document).decode(as: V1Alpha1.ResourcePlan.self)
            names.append(plan.metadata.name ?? "")
            #expect(!plan.spec.cpu.isEmpty && !plan.spec.memory.isEmpty)
        }
        #expect(names == ["starter", "basic", "infer.s", "infer.m", "infer.l", "infer2.l", "infer2.4xl"])
    }
}
