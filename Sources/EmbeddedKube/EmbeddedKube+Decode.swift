import Foundation
import KubeModel
import Yams

/// Request bodies: JSON, YAML or (for the built-in kinds with a table) protobuf into `JSONValue`,
/// with the real server's 400 wording.
extension EmbeddedKube {
    func decodeBody(_ request: APIRequest) throws -> JSONValue {
        let mediaType = request.contentType.split(separator: ";").first.map { $0.trimming(" ").lowercased() } ?? ""
        if request.body.isEmpty {
            throw APIServerError.badRequest("the body of the request was empty")
        }
        if mediaType.contains("yaml") {
            return try Self.parseYAML(request.body)
        }
        if mediaType == Self.protobufMediaType {
            return try Self.decodeProtobuf(request.body)
        }
        if !mediaType.isEmpty && !mediaType.contains("json") && mediaType != "*/*" {
            throw APIServerError.unsupportedMediaType(
                "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf")
        }
        do {
            return try JSONValue(parsing: request.body)
        } catch {
            throw APIServerError.badRequest("couldn't get version/kind; json parse error: \(error.message)")
        }
    }

    static func parseYAML(_ bytes: [UInt8]) throws -> JSONValue {
        let text = String(decoding: bytes, as: UTF8.self)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw APIServerError.badRequest("error converting YAML to JSON: \(error)")
        }
        guard let node else { throw APIServerError.badRequest("the body of the request was empty") }
        return try yamlToJSON(node, depth: 0)
    }

    private static func yamlToJSON(_ node: Node, depth: Int) throws -> JSONValue {
        if depth > JSONValue.maximumNestingDepth { throw APIServerError.badRequest("error converting YAML to JSON: too deeply nested") }
        switch node {
        case .scalar(let scalar):
            if scalar.style == .doubleQuoted || scalar.style == .singleQuoted || scalar.style == .literal || scalar.style == .folded {
                return .string(scalar.string)
            }
            let s = scalar.string
            switch s {
            case "null", "Null", "NULL", "~", "": return .null
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default: break
            }
            if let i = Int64(s) { return .int(i) }
            if s.contains(where: { $0.isNumber }), let d = Double(s), !s.hasPrefix("0x"), s.range(of: "^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$", options: .regularExpression) != nil {
                return .double(d)
            }
            return .string(s)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let k) = key else {
                    throw APIServerError.badRequest("error converting YAML to JSON: mapping keys must be strings")
                }
                object[k.string] = try yamlToJSON(value, depth: depth + 1)
            }
            return .object(object)
        case .sequence(let sequence):
            return .array(try sequence.map { try yamlToJSON($0, depth: depth + 1) })
        case .alias:
            throw APIServerError.badRequest("error converting YAML to JSON: aliases are not supported")
        }
    }
}
