import Foundation
import KubeModel
import ServingOperator
import Testing

/// Every shipped template applies cleanly against the ServingTemplate CRD's schema: types,
/// required fields, enums, patterns, and no field the schema does not declare (pruning would
/// silently drop it).
@Suite struct TemplateSchemaTests {
    static func schema() throws -> JSONValue {
        let crd = try Fixtures.yaml(Fixtures.repositoryRoot.appendingPathComponent("manifests/crd/quiver.dev_servingtemplates.yaml"))
        return crd[path: ["spec", "versions"]]?.arrayValue?.first?[path: ["schema", "openAPIV3Schema"]] ?? .null
    }

    /// Problems of `value` against a structural schema, with their paths.
    static func problems(_ value: JSONValue, _ schema: JSONValue, at path: String = "") -> [String] {
        if schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true, schema["properties"] == nil { return [] }
        var out: [String] = []
        switch (schema["type"]?.stringValue, value) {
        case ("object", .object(let members)):
            let properties = schema["properties"]?.objectValue ?? [:]
            for required in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[required] == nil {
                out.append("\(path).\(required) is required")
            }
            for (key, member) in members {
                if let sub = properties[key] {
                    out += problems(member, sub, at: "\(path).\(key)")
                } else if path != ".metadata" {
                    out.append("\(path).\(key) is not in the schema")
                }
            }
        case ("array", .array(let items)):
            for (i, item) in items.enumerated() { out += problems(item, schema["items"] ?? .null, at: "\(path)[\(i)]") }
        case ("string", .string(let s)):
            if let allowed = schema["enum"]?.arrayValue, !allowed.contains(.string(s)) { out.append("\(path): \(s) is not allowed") }
            if let pattern = schema["pattern"]?.stringValue,
               let regex = try? NSRegularExpression(pattern: pattern),
               regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) == nil {
                out.append("\(path): \(s) does not match \(pattern)")
            }
        case (nil, _):
            break
        case (let type?, _):
            out.append("\(path) is \(value.typeName), not \(type)")
        }
        return out
    }

    @Test(arguments: try Fixtures.templateFiles())
    func appliesCleanly(_ file: String) throws {
        let template = try Fixtures.yaml(Fixtures.templatesDirectory.appendingPathComponent(file))
        let schema = try Self.schema()
        #expect(schema["type"] == "object")
        #expect(Self.problems(template, schema) == [], "templates/\(file)")
    }

    @Test func theValidatorCatchesProblems() throws {
        let bad: JSONValue = ["apiVersion": "quiver.dev/v1alpha1", "kind": "ServingTemplate", "spec": [
            "inputs": ["parameters": [["name": "bad-name", "type": "int"]]], "template": ["spec": "x"], "extra": 1,
        ]]
        #expect(Self.problems(bad, try Self.schema()).count == 3)
    }
}
