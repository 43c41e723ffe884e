@testable import ControlPlane
import KubeModel
import Testing

/// The request checks the API derives from its OpenAPI document, on the committed document.
@Suite("OpenAPI request validation")
struct OpenAPIValidatorTests {
    static let validator = OpenAPIValidator(document: try! JSONValue(parsing: OpenAPIDocument.bytes))

    static func body(_ path: String, _ method: String, _ value: JSONValue) -> OpenAPIValidator.Problem? {
        guard let (operation, _) = validator.operation(method: method, path: path), let schema = operation.body else { return nil }
        return validator.check(value, against: schema, at: "")
    }

    @Test("every route of the document is found, with its path parameters")
    func routing() throws {
        #expect(Self.validator.operations.count == 28)
        let (operation, parameters) = try #require(Self.validator.operation(method: "PATCH", path: "/v2/lm/deployments/d2f5a1b3c4e6f789"))
        #expect(operation.segments == ["v2", "lm", "deployments", "{deploymentId}"])
        #expect(parameters == ["deploymentId": "d2f5a1b3c4e6f789"])
        #expect(Self.validator.operation(method: "PUT", path: "/v2/lm/deployments/x") == nil)
        #expect(Self.validator.operation(method: "GET", path: "/v2/inference/deployments/x/v1/embeddings") == nil)
    }

    @Test("bodies: required fields, types, enums, lengths, patterns and nested items name the field")
    func bodies() {
        let ok: JSONValue = ["name": "n", "scenarioId": "embeddings", "executableId": "quiver-embed-cpu",
                             "parameterBindings": [["key": "minReplicas", "value": "0"]]]
        #expect(Self.body("/v2/lm/configurations", "POST", ok) == nil)
        var missing = ok
        missing["executableId"] = nil
        #expect(Self.body("/v2/lm/configurations", "POST", missing)?.target == "executableId")
        var nested = ok
        nested["parameterBindings"] = [["key": "a", "value": 1]]
        let problem = Self.body("/v2/lm/configurations", "POST", nested)
        #expect(problem?.target == "parameterBindings[0].value" && problem?.message == "parameterBindings[0].value must be a string")
        #expect(Self.body("/v2/lm/deployments/d1", "PATCH", ["targetStatus": "PAUSED"])?.message
                == "targetStatus must be one of RUNNING, STOPPED, DELETED")
        #expect(Self.body("/v2/lm/deployments", "POST", ["configurationId": "Not_A_Name"])?.target == "configurationId")
        #expect(Self.body("/v2/lm/deployments", "POST", ["configurationId": "c1", "ttl": "24H"]) == nil)
        #expect(Self.body("/v2/lm/deployments", "POST", ["configurationId": "c1", "ttl": "9999999d"])?.target == "ttl")
        let long = String(repeating: "a", count: 257)
        #expect(Self.body("/v2/lm/artifacts", "POST", ["name": .string(long), "kind": "model", "url": "s3://b/p", "scenarioId": "s"])?.message
                == "name is longer than 256 characters")
        // Bulk: only STOPPED and DELETED, as AI Core.
        #expect(Self.body("/v2/lm/deployments", "PATCH", ["deployments": [["id": "d1", "targetStatus": "RUNNING"]]])?.target
                == "deployments[0].targetStatus")
    }

    @Test("query parameters become their schema's types before they are checked")
    func queryValues() {
        let top = JSONValue.object(["type": "integer", "minimum": 0])
        #expect(Self.validator.parameterValue("10", top) == .int(10))
        #expect(Self.validator.check(Self.validator.parameterValue("-1", top), against: top, at: "$top")?.message == "$top must be at least 0")
        #expect(Self.validator.check(Self.validator.parameterValue("ten", top), against: top, at: "$top")?.message == "$top must be an integer")
        let ids: JSONValue = ["type": "array", "items": ["type": "string", "maxLength": 3], "maxItems": 2]
        #expect(Self.validator.parameterValue("a,b", ids) == ["a", "b"])
        #expect(Self.validator.check(Self.validator.parameterValue("a,b,c", ids), against: ids, at: "ids")?.message == "ids has more than 2 items")
        #expect(Self.validator.check(Self.validator.parameterValue("abcd", ids), against: ids, at: "ids")?.target == "ids[0]")
    }
}
