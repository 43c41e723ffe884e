import Foundation
import Testing

@testable import KubeModel

// Every JSON body in the recorded kube-apiserver transcripts whose apiVersion+kind has a typed model
// is decoded into it, encoded again, and compared with the original as a JSONValue (key order aside).

/// One recorded transcript: `{"description", "request": {…, "body"}, "response": {…, "body"}}`.
struct Fixture: Sendable {
    static let directory = "Resources/kube-apiserver"

    let name: String
    let json: JSONValue

    init(_ name: String) throws {
        guard let url = Bundle.module.url(forResource: "\(Fixture.directory)/\(name)", withExtension: nil) else {
            throw FixtureError.missing(name)
        }
        self.name = name
        self.json = try JSONValue(parsing: try Data(contentsOf: url))
    }

    /// The names of all `*.json` transcripts, sorted.
    static let allNames: [String] = {
        guard let url = Bundle.module.url(forResource: directory, withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: url.path)
        else { return [] }
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    var description: String { json["description"]?.stringValue ?? "" }
    var requestPath: String { json[path: ["request", "path"]]?.stringValue ?? "" }
    var requestBody: JSONValue? { body(of: "request") }
    var responseBody: JSONValue? { body(of: "response") }
    var responseStatus: Int64? { json[path: ["response", "status"]]?.intValue }

    private func body(of part: String) -> JSONValue? {
        guard let body = json[path: [part, "body"]], !body.isNull else { return nil }
        return body
    }

    /// The response body decoded as `T`.
    func response<T: Decodable>(as type: T.Type = T.self) throws -> T {
        guard let body = responseBody else { throw FixtureError.noBody(name) }
        return try body.decode(as: T.self)
    }

    func request<T: Decodable>(as type: T.Type = T.self) throws -> T {
        guard let body = requestBody else { throw FixtureError.noBody(name) }
        return try body.decode(as: T.self)
    }
}

enum FixtureError: Error {
    case missing(String)
    case noBody(String)
}

/// Decode-then-encode for one typed model, as a single object, a list item type and a watch object.
struct Codec: Sendable {
    let typeName: String
    let single: @Sendable (JSONValue) throws -> JSONValue
    let list: @Sendable (JSONValue) throws -> JSONValue
    let watchEvent: @Sendable (JSONValue) throws -> JSONValue

    static func of<T: Codable & Sendable>(_: T.Type) -> Codec {
        Codec(
            typeName: String(describing: T.self),
            single: { try JSONValue(encoding: try $0.decode(as: T.self)) },
            list: { try JSONValue(encoding: try $0.decode(as: ObjectList<T>.self)) },
            watchEvent: { try JSONValue(encoding: try $0.decode(as: WatchEvent<T>.self)) }
        )
    }
}

/// Which typed model handles a body, by `apiVersion/kind` (apiVersion may be absent: `/APIVersions`).
enum TypeRegistry {
    static let codecs: [String: Codec] = [
        "v1/Status": .of(Status.self),
        "v1/DeleteOptions": .of(DeleteOptions.self),
        "v1/ConfigMap": .of(ConfigMap.self),
        "v1/Secret": .of(Secret.self),
        "v1/Namespace": .of(Namespace.self),
        "v1/Event": .of(Event.self),
        "v1/Service": .of(Service.self),
        "v1/ServiceAccount": .of(ServiceAccount.self),
        "v1/Pod": .of(Pod.self),
        "events.k8s.io/v1/Event": .of(EventsV1Event.self),
        "coordination.k8s.io/v1/Lease": .of(Lease.self),
        "apps/v1/Deployment": .of(Deployment.self),
        "autoscaling/v1/Scale": .of(Scale.self),
        "autoscaling/v2/HorizontalPodAutoscaler": .of(HorizontalPodAutoscaler.self),
        "policy/v1/PodDisruptionBudget": .of(PodDisruptionBudget.self),
        "apiextensions.k8s.io/v1/CustomResourceDefinition": .of(CustomResourceDefinition.self),
        "meta.k8s.io/v1/Table": .of(Table.self),
        "meta.k8s.io/v1/PartialObjectMetadata": .of(PartialObjectMetadata.self),
        "rbac.authorization.k8s.io/v1/Role": .of(Role.self),
        "rbac.authorization.k8s.io/v1/RoleBinding": .of(RoleBinding.self),
        "rbac.authorization.k8s.io/v1/ClusterRole": .of(ClusterRole.self),
        "rbac.authorization.k8s.io/v1/ClusterRoleBinding": .of(ClusterRoleBinding.self),
        "authentication.k8s.io/v1/TokenReview": .of(TokenReview.self),
        "authentication.k8s.io/v1/TokenRequest": .of(TokenRequest.self),
        "authentication.k8s.io/v1/SelfSubjectReview": .of(SelfSubjectReview.self),
        "authorization.k8s.io/v1/SubjectAccessReview": .of(SubjectAccessReview.self),
        "authorization.k8s.io/v1/SelfSubjectAccessReview": .of(SelfSubjectAccessReview.self),
        "authorization.k8s.io/v1/LocalSubjectAccessReview": .of(LocalSubjectAccessReview.self),
        "apidiscovery.k8s.io/v2/APIGroupDiscoveryList": .of(APIGroupDiscoveryList.self),
        "v1/APIGroupList": .of(APIGroupList.self),
        "v1/APIGroup": .of(APIGroup.self),
        "v1/APIResourceList": .of(APIResourceList.self),
        "/APIResourceList": .of(APIResourceList.self),
        "/APIVersions": .of(APIVersions.self),
    ]

    /// Groups of custom resources: single objects stay JSONValue; their lists and watch events still
    /// exercise the typed envelopes (`ObjectList<JSONValue>`, `WatchEvent<JSONValue>`).
    static let customResourceGroups: Set<String> = ["quiver.dev"]
    static let customResource = Codec.of(JSONValue.self)

    static func key(_ object: JSONValue) -> String? {
        guard let kind = object["kind"]?.stringValue else { return nil }
        return "\(object["apiVersion"]?.stringValue ?? "")/\(kind)"
    }

    static func isCustomResource(_ object: JSONValue) -> Bool {
        guard let apiVersion = object["apiVersion"]?.stringValue, let slash = apiVersion.firstIndex(of: "/") else {
            return false
        }
        return customResourceGroups.contains(String(apiVersion[..<slash]))
    }
}

/// What the round-trip test does with one body.
enum BodyPlan {
    /// Decode/encode with `codec`; `label` names the Swift type used.
    case typed(label: String, roundTrip: @Sendable (JSONValue) throws -> JSONValue)
    /// Every line of a watch stream through `WatchEvent<T>`.
    case watch(labels: [String], lines: [(JSONValue, @Sendable (JSONValue) throws -> JSONValue)])
    /// No typed model applies (custom resource, OpenAPI document, patch, non-JSON body).
    case untyped(reason: String)
    /// A kind that should have a model but has none: a gap in the registry.
    case missingModel(String)

    static func plan(for body: JSONValue, path: String) -> BodyPlan {
        switch body {
        case .string: return .untyped(reason: "non-JSON body")
        case .array(let lines):
            guard !lines.isEmpty, lines.allSatisfy({ $0["type"] != nil && $0["object"] != nil }) else {
                return .untyped(reason: "JSON patch")
            }
            var labels: [String] = []
            var planned: [(JSONValue, @Sendable (JSONValue) throws -> JSONValue)] = []
            for line in lines {
                guard let object = line["object"], let codec = codec(forSingle: object) else {
                    return .missingModel("watch object \(line["object"].flatMap(TypeRegistry.key) ?? "?")")
                }
                labels.append("WatchEvent<\(codec.typeName)>")
                planned.append((line, codec.watchEvent))
            }
            return .watch(labels: labels, lines: planned)
        case .object:
            if path.hasPrefix("/version") { return .typed(label: "VersionInfo", roundTrip: Codec.of(VersionInfo.self).single) }
            guard let key = TypeRegistry.key(body) else { return .untyped(reason: "no kind (OpenAPI document or patch)") }
            if let codec = TypeRegistry.codecs[key] { return .typed(label: codec.typeName, roundTrip: codec.single) }
            if TypeRegistry.isCustomResource(body) {
                if key.hasSuffix("List"), body["items"] != nil {
                    return .typed(label: "ObjectList<JSONValue>", roundTrip: TypeRegistry.customResource.list)
                }
                return .untyped(reason: "custom resource \(key) (stays JSONValue)")
            }
            if key.hasSuffix("List"), let itemCodec = TypeRegistry.codecs[String(key.dropLast(4))] {
                return .typed(label: "ObjectList<\(itemCodec.typeName)>", roundTrip: itemCodec.list)
            }
            return .missingModel(key)
        default: return .untyped(reason: "scalar body")
        }
    }

    private static func codec(forSingle object: JSONValue) -> Codec? {
        if let key = TypeRegistry.key(object), let codec = TypeRegistry.codecs[key] { return codec }
        return TypeRegistry.isCustomResource(object) ? TypeRegistry.customResource : nil
    }
}

/// Bodies that must *fail* to decode, as the API server refuses them too.
let expectedDecodeFailures: [String: String] = [
    "08-lease-time-seconds-only.json request": "MicroTime needs exactly 6 fractional digits",
    "08-lease-time-millis.json request": "MicroTime needs exactly 6 fractional digits",
    "08-lease-time-nanos.json request": "MicroTime needs exactly 6 fractional digits",
    "08-secret-create-bad-base64.json request": "Secret data must be base64",
]

/// Paths where two JSON values differ, for readable failures.
func jsonDifferences(_ a: JSONValue?, _ b: JSONValue?, at path: String = "$") -> [String] {
    switch (a, b) {
    case (.object(let x)?, .object(let y)?):
        return Set(x.keys).union(y.keys).sorted().flatMap { jsonDifferences(x[$0], y[$0], at: "\(path).\($0)") }
    case (.array(let x)?, .array(let y)?) where x.count == y.count:
        return zip(x, y).enumerated().flatMap { jsonDifferences($1.0, $1.1, at: "\(path)[\($0)]") }
    default:
        if a == b { return [] }
        return ["\(path): \(a.map { $0.serializedString() } ?? "<absent>") != \(b.map { $0.serializedString() } ?? "<absent>")"]
    }
}

@Suite("Round trips against recorded kube-apiserver JSON")
struct RoundTripTests {
    @Test("fixtures are present")
    func fixturesArePresent() {
        #expect(Fixture.allNames.count == 111)
    }

    @Test("decode → encode reproduces the recorded body", arguments: Fixture.allNames)
    func roundTrip(file: String) throws {
        let fixture = try Fixture(file)
        for (part, body) in [("request", fixture.requestBody), ("response", fixture.responseBody)] {
            guard let body else { continue }
            let context = "\(file) \(part)"
            switch BodyPlan.plan(for: body, path: fixture.requestPath) {
            case .typed(let label, let roundTrip):
                if let reason = expectedDecodeFailures[context] {
                    #expect(throws: (any Error).self, "\(context): \(reason)") { _ = try roundTrip(body) }
                    continue
                }
                let encoded = try roundTrip(body)
                let differences = jsonDifferences(body, encoded)
                #expect(differences.isEmpty, "\(context) as \(label):\n\(differences.joined(separator: "\n"))")
            case .watch(_, let lines):
                for (index, (line, roundTrip)) in lines.enumerated() {
                    let differences = jsonDifferences(line, try roundTrip(line))
                    #expect(differences.isEmpty, "\(context) line \(index):\n\(differences.joined(separator: "\n"))")
                }
            case .untyped:
                continue
            case .missingModel(let key):
                Issue.record("\(context): no typed model for \(key)")
            }
        }
    }

    /// kubectl's own request bodies, from the `> body:` lines of the `9x-kubectl-*.txt` transcripts.
    @Test("kubectl request bodies round-trip")
    func kubectlRequestBodies() throws {
        guard let url = Bundle.module.url(forResource: Fixture.directory, withExtension: nil) else {
            Issue.record("fixture directory missing")
            return
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".txt") }.sorted()
        var typedKinds: [String] = []
        for file in files {
            let text = try String(contentsOf: url.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let trimmed = line.drop { $0 == " " }
                guard trimmed.hasPrefix("> body: ") else { continue }
                let body = try JSONValue(parsing: String(trimmed.dropFirst("> body: ".count)))
                guard case .typed(let label, let roundTrip) = BodyPlan.plan(for: body, path: "") else { continue }
                let differences = jsonDifferences(body, try roundTrip(body))
                #expect(differences.isEmpty, "\(file) \(label):\n\(differences.joined(separator: "\n"))")
                typedKinds.append(label)
            }
        }
        #expect(typedKinds == ["Namespace", "ConfigMap", "Deployment"])
    }

    /// Lists which fixtures have a typed body and which are left as JSONValue, and pins that split.
    @Test("coverage report")
    func coverageReport() throws {
        var covered: [String] = []
        var skipped: [String] = []
        for file in Fixture.allNames {
            let fixture = try Fixture(file)
            var typed: [String] = []
            var untyped: [String] = []
            for (part, body) in [("request", fixture.requestBody), ("response", fixture.responseBody)] {
                guard let body else { continue }
                switch BodyPlan.plan(for: body, path: fixture.requestPath) {
                case .typed(let label, _): typed.append("\(part): \(label)")
                case .watch(let labels, _): typed.append("\(part): \(Set(labels).sorted().joined(separator: ", "))")
                case .untyped(let reason): untyped.append("\(part): \(reason)")
                case .missingModel(let key): untyped.append("\(part): MISSING MODEL \(key)")
                }
            }
            if typed.isEmpty {
                skipped.append("\(file) (\(untyped.joined(separator: "; ")))")
            } else {
                covered.append("\(file) [\(typed.joined(separator: "; "))]")
            }
        }
        print("Typed round trips cover \(covered.count) of \(Fixture.allNames.count) fixture files:")
        covered.forEach { print("  covered  \($0)") }
        print("Skipped \(skipped.count) (no typed body):")
        skipped.forEach { print("  skipped  \($0)") }

        let skippedNames = Set(skipped.map { String($0.prefix { $0 != " " }) })
        #expect(skippedNames == [
            "02-openapi-v3-index.json", "02-openapi-v3-quiver.dev-v1alpha1.json",
            "04-cr-apply-create.json", "04-cr-apply-force.json", "04-cr-apply-update.json",
            "04-cr-create-dryrun.json", "04-cr-create-unknown-field-default.json", "04-cr-create.json",
            "04-cr-get.json", "04-cr-patch-json.json", "04-cr-patch-merge.json",
            "04-cr-update-main-ignores-status.json", "04-cr-update-status.json", "04-cr-update.json",
            "07-delete-finalizer-create.json", "07-delete-finalizer-delete-again.json",
            "07-delete-finalizer-delete.json", "07-delete-finalizer-get-terminating.json",
            "07-delete-finalizer-remove.json", "07-foreground-create-owner.json",
            "07-foreground-owner-during.json",
        ])
    }
}
