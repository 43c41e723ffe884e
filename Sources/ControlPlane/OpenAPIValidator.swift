import Foundation
import HTTPTypes
import Hummingbird
import KubeModel
import Synchronization

/// Checks requests against the OpenAPI document before a route sees them: path, query and header
/// parameters and the JSON body, with the document's types, required fields, enums, lengths,
/// patterns, ranges and item counts. So what the API stores, and later returns, is what the
/// document promises, and a bad request gets 400 naming the field in `target`.
final class OpenAPIValidator: Sendable {
    struct Parameter: Sendable {
        enum Location: String, Sendable { case path, query, header }
        var name: String
        var location: Location
        var required: Bool
        var schema: JSONValue
    }

    struct Operation: Sendable {
        var segments: [String]
        var method: String
        var parameters: [Parameter]
        var body: JSONValue?
        var bodyRequired: Bool
    }

    let document: JSONValue
    let operations: [Operation]
    private let patterns = Mutex<[String: NSRegularExpression]>([:])

    init(document: JSONValue) {
        self.document = document
        var operations: [Operation] = []
        for (path, item) in document["paths"]?.objectValue ?? [:] {
            let shared = item["parameters"]?.arrayValue ?? []
            for (method, operation) in item.objectValue ?? [:] where method != "parameters" {
                let parameters = (shared + (operation["parameters"]?.arrayValue ?? [])).compactMap { raw -> Parameter? in
                    let p = Self.resolve(raw, in: document)
                    guard let name = p["name"]?.stringValue, let location = p["in"]?.stringValue.flatMap(Parameter.Location.init) else { return nil }
                    return Parameter(name: name, location: location, required: p["required"]?.boolValue ?? false, schema: p["schema"] ?? .emptyObject)
                }
                let requestBody = operation["requestBody"].map { Self.resolve($0, in: document) }
                let content = requestBody?["content"]?.objectValue
                let schema = content?["application/json"]?["schema"] ?? content?.values.first?["schema"]
                operations.append(Operation(
                    segments: path.split(separator: "/").map(String.init), method: method.uppercased(), parameters: parameters,
                    body: schema, bodyRequired: requestBody?["required"]?.boolValue ?? false))
            }
        }
        self.operations = operations
    }

    static func resolve(_ value: JSONValue, in document: JSONValue) -> JSONValue {
        var value = value
        var hops = 0
        while let ref = value["$ref"]?.stringValue, ref.hasPrefix("#/"), hops < 16 {
            value = document[path: ref.dropFirst(2).split(separator: "/").map(String.init)] ?? .emptyObject
            hops += 1
        }
        return value
    }

    /// The operation `method path` is, with its path parameters.
    func operation(method: String, path: String) -> (Operation, [String: String])? {
        let segments = path.split(separator: "/").map(String.init)
        for op in operations where op.method == method && op.segments.count == segments.count {
            var parameters: [String: String] = [:]
            var matched = true
            for (template, actual) in zip(op.segments, segments) {
                if template.hasPrefix("{"), template.hasSuffix("}") {
                    parameters[String(template.dropFirst().dropLast())] = actual.removingPercentEncoding ?? actual
                } else if template != actual {
                    matched = false
                    break
                }
            }
            if matched { return (op, parameters) }
        }
        return nil
    }

    /// Throws a 400 for the first thing about `request` the document does not allow. Returns the
    /// request with its body collected, and the body parsed (the route uses it).
    func validate(_ request: Request, maxBodyBytes: Int) async throws -> (Request, JSONValue?) {
        guard let (op, pathValues) = operation(method: request.method.rawValue, path: request.uri.path) else { return (request, nil) }
        let query = request.uri.queryParameters
        for parameter in op.parameters {
            let raw: String?
            switch parameter.location {
            case .path: raw = pathValues[parameter.name]
            case .query: raw = query.get(parameter.name)
            case .header: raw = HTTPField.Name(parameter.name).flatMap { request.headers[$0] }
            }
            guard let raw else {
                if parameter.required {
                    throw ControlPlaneError.badRequest(
                        parameter.location == .header ? "the \(parameter.name) header is required" : "\(parameter.name) is required",
                        target: parameter.name)
                }
                continue
            }
            if let problem = check(parameterValue(raw, parameter.schema), against: parameter.schema, at: parameter.name) {
                throw ControlPlaneError.badRequest(problem.message, target: problem.target)
            }
        }
        guard let schema = op.body else { return (request, nil) }
        var request = request
        let buffer = try await request.collectBody(upTo: maxBodyBytes)
        if buffer.readableBytes == 0 {
            if op.bodyRequired { throw ControlPlaneError.badRequest("a JSON request body is required", target: "body") }
            return (request, nil)
        }
        let body: JSONValue
        do {
            body = try JSONValue(parsing: Array(buffer.readableBytesView))
        } catch {
            throw ControlPlaneError.badRequest("the request body is not valid JSON: \(error)", target: "body")
        }
        if let problem = check(body, against: schema, at: "") {
            throw ControlPlaneError.badRequest(problem.message, target: problem.target.isEmpty ? "body" : problem.target)
        }
        return (request, body)
    }

    /// A parameter's text as the JSON value its schema describes (arrays are comma-separated).
    func parameterValue(_ raw: String, _ schema: JSONValue) -> JSONValue {
        let schema = Self.resolve(schema, in: document)
        switch schema["type"]?.stringValue {
        case "integer": return Int64(raw).map(JSONValue.int) ?? .string(raw)
        case "number": return Double(raw).map(JSONValue.double) ?? .string(raw)
        case "boolean": return raw == "true" ? true : raw == "false" ? false : .string(raw)
        case "array":
            let items = schema["items"] ?? .emptyObject
            return .array(raw.split(separator: ",", omittingEmptySubsequences: false).map { parameterValue(String($0), items) })
        default: return .string(raw)
        }
    }

    struct Problem {
        var target: String
        var message: String
    }

    /// The first way `value` breaks `schema`, or nil.
    func check(_ value: JSONValue, against schema: JSONValue, at path: String) -> Problem? {
        let schema = Self.resolve(schema, in: document)
        let name = path.isEmpty ? "the body" : path
        if value == .null {
            return schema["nullable"]?.boolValue == true ? nil : Problem(target: path, message: "\(name) must not be null")
        }
        for key in ["oneOf", "anyOf"] {
            if let options = schema[key]?.arrayValue, !options.isEmpty {
                let problems = options.map { check(value, against: $0, at: path) }
                if problems.contains(where: { $0 == nil }) { break }
                return problems.compactMap { $0 }.first
            }
        }
        if let type = schema["type"]?.stringValue {
            let fits: Bool = switch (type, value) {
            case ("string", .string), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .double),
                 ("array", .array), ("object", .object): true
            case ("integer", .double(let d)): d.rounded() == d
            default: false
            }
            guard fits else { return Problem(target: path, message: "\(name) must be \(type == "integer" || type == "array" || type == "object" ? "an" : "a") \(type)") }
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            return Problem(target: path, message: "\(name) must be one of \(allowed.compactMap(\.stringValue).joined(separator: ", "))")
        }
        switch value {
        case .string(let text):
            let length = text.count
            if let max = schema["maxLength"]?.intValue, length > max {
                return Problem(target: path, message: "\(name) is longer than \(max) characters")
            }
            if let min = schema["minLength"]?.intValue, length < min {
                return Problem(target: path, message: "\(name) is shorter than \(min) characters")
            }
            if let pattern = schema["pattern"]?.stringValue, !matches(text, pattern) {
                return Problem(target: path, message: "\(name) does not match \(pattern)")
            }
        case .int, .double:
            let number: Double = switch value {
            case .int(let i): Double(i)
            case .double(let d): d
            default: 0
            }
            if let min = schema["minimum"].flatMap(Self.number), number < min {
                return Problem(target: path, message: "\(name) must be at least \(Self.format(min))")
            }
            if let max = schema["maximum"].flatMap(Self.number), number > max {
                return Problem(target: path, message: "\(name) must be at most \(Self.format(max))")
            }
        case .array(let items):
            if let max = schema["maxItems"]?.intValue, items.count > max {
                return Problem(target: path, message: "\(name) has more than \(max) items")
            }
            if let min = schema["minItems"]?.intValue, items.count < min {
                return Problem(target: path, message: "\(name) needs at least \(min) items")
            }
            if let itemSchema = schema["items"] {
                for (i, item) in items.enumerated() {
                    if let problem = check(item, against: itemSchema, at: "\(path)[\(i)]") { return problem }
                }
            }
        case .object(let members):
            func field(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
            for key in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[key] == nil {
                return Problem(target: field(key), message: "\(field(key)) is required")
            }
            let properties = schema["properties"]?.objectValue ?? [:]
            for key in members.keys.sorted() {
                if let propertySchema = properties[key] {
                    if let problem = check(members[key]!, against: propertySchema, at: field(key)) { return problem }
                } else if let additional = schema["additionalProperties"] {
                    if additional == false { return Problem(target: field(key), message: "\(field(key)) is not a known field") }
                    if case .object = additional, let problem = check(members[key]!, against: additional, at: field(key)) { return problem }
                }
            }
        default:
            break
        }
        return nil
    }

    private func matches(_ text: String, _ pattern: String) -> Bool {
        let regex: NSRegularExpression? = patterns.withLock { cache in
            if let hit = cache[pattern] { return hit }
            let compiled = try? NSRegularExpression(pattern: pattern)
            if let compiled { cache[pattern] = compiled }
            return compiled
        }
        guard let regex else { return true }
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    static func format(_ d: Double) -> String { d.rounded() == d ? String(Int64(d)) : String(d) }
}
