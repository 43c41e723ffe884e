import Foundation
import KubeModel

/// Structural-schema handling for custom resources, as the real API server does it: defaults
/// are applied, unknown fields are pruned (and reported, for warnings or strict validation), and
/// the result is validated (types, required, enum, bounds, lengths, pattern, item counts) into
/// field causes.
struct SchemaValidator {
    let schema: JSONValue

    struct Outcome {
        var object: JSONValue
        var unknownFields: [String] = []
        var causes: [StatusCause] = []
    }

    /// Defaults, prunes and validates `object` (the whole custom resource).
    func process(_ object: JSONValue) -> Outcome {
        var outcome = Outcome(object: object)
        guard case .object(var top) = object, case .object(let properties)? = schema["properties"] else {
            return outcome
        }
        for (key, value) in top where !["apiVersion", "kind", "metadata"].contains(key) {
            if let sub = properties[key] {
                var v = value
                applyDefaults(&v, sub)
                prune(&v, sub, path: key, unknown: &outcome.unknownFields)
                top[key] = v
            } else if schema["x-kubernetes-preserve-unknown-fields"]?.boolValue != true {
                top[key] = nil
                outcome.unknownFields.append(key)
            }
        }
        for (key, sub) in properties where top[key] == nil && !["apiVersion", "kind", "metadata"].contains(key) {
            if let d = sub["default"] {
                var v = d
                applyDefaults(&v, sub)
                top[key] = v
            }
        }
        outcome.object = .object(top)
        var rootSchema = schema
        rootSchema["properties"]?["metadata"] = nil
        rootSchema["properties"]?["apiVersion"] = nil
        rootSchema["properties"]?["kind"] = nil
        if case .array(let required)? = rootSchema["required"] {
            rootSchema["required"] = .array(required.filter { !["apiVersion", "kind", "metadata"].contains($0.stringValue ?? "") })
        }
        var stripped = top
        stripped["metadata"] = nil
        stripped["apiVersion"] = nil
        stripped["kind"] = nil
        validate(.object(stripped), rootSchema, path: "", causes: &outcome.causes)
        return outcome
    }

    /// Drops the fields the schema does not know and lists them (built-ins: no defaults, no validation).
    func pruneUnknown(_ object: JSONValue) -> (object: JSONValue, unknownFields: [String]) {
        var value = object
        var unknown: [String] = []
        guard case .object(var top) = value, case .object(let properties)? = schema["properties"] else { return (object, []) }
        for key in Array(top.keys) {
            guard let sub = properties[key] else {
                top[key] = nil
                unknown.append(key)
                continue
            }
            var child = top[key]!
            prune(&child, sub, path: key, unknown: &unknown)
            top[key] = child
        }
        value = .object(top)
        return (value, unknown.sorted())
    }

    /// CEL transition rules of the form `self == oldSelf` (x-kubernetes-validations), which make a
    /// field immutable: on update, a changed field gives a cause with the rule's message. Other CEL
    /// rules are not evaluated by EmbeddedKube.
    func transitionViolations(old: JSONValue, new: JSONValue) -> [StatusCause] {
        var causes: [StatusCause] = []
        walkTransitions(schema, old: old, new: new, path: "", causes: &causes)
        return causes
    }

    private func walkTransitions(_ schema: JSONValue, old: JSONValue?, new: JSONValue?, path: String, causes: inout [StatusCause]) {
        guard let old, let new else { return }
        for rule in schema["x-kubernetes-validations"]?.arrayValue ?? [] {
            let text = (rule["rule"]?.stringValue ?? "").replacingOccurrences(of: " ", with: "")
            if (text == "self==oldSelf" || text == "oldSelf==self") && !EmbeddedKube.equalIgnoringOrder(old, new) {
                let message = rule["message"]?.stringValue ?? "Invalid value: \"object\": failed rule: \(rule["rule"]?.stringValue ?? "")"
                causes.append(StatusCause(reason: "FieldValueInvalid", message: "Invalid value: \"\(new.typeName)\": \(message)", field: path))
            }
        }
        if case .object(let properties)? = schema["properties"] {
            for (key, sub) in properties {
                walkTransitions(sub, old: old[key], new: new[key], path: path.isEmpty ? key : path + "." + key, causes: &causes)
            }
        }
    }

    // MARK: Defaulting

    private func applyDefaults(_ value: inout JSONValue, _ schema: JSONValue) {
        switch value {
        case .object(var o):
            if case .object(let properties)? = schema["properties"] {
                for (key, sub) in properties {
                    if o[key] == nil, let d = sub["default"] {
                        o[key] = d
                    }
                    if var child = o[key] {
                        o[key] = nil
                        applyDefaults(&child, sub)
                        o[key] = child
                    }
                }
            } else if let additional = schema["additionalProperties"], case .object = additional {
                for key in Array(o.keys) {
                    var child = o[key]!
                    applyDefaults(&child, additional)
                    o[key] = child
                }
            }
            value = .object(o)
        case .array(var a):
            if let items = schema["items"] {
                for i in a.indices { applyDefaults(&a[i], items) }
            }
            value = .array(a)
        default:
            break
        }
    }

    // MARK: Pruning

    private func prune(_ value: inout JSONValue, _ schema: JSONValue, path: String, unknown: inout [String]) {
        if schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true && schema["properties"] == nil {
            return
        }
        switch value {
        case .object(var o):
            if case .object(let properties)? = schema["properties"] {
                let preserve = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
                for key in Array(o.keys) {
                    if let sub = properties[key] {
                        var child = o[key]!
                        o[key] = nil
                        prune(&child, sub, path: path + "." + key, unknown: &unknown)
                        o[key] = child
                    } else if !preserve {
                        o[key] = nil
                        unknown.append(path + "." + key)
                    }
                }
            } else if let additional = schema["additionalProperties"], case .object = additional {
                for key in Array(o.keys) {
                    var child = o[key]!
                    prune(&child, additional, path: path + "." + key, unknown: &unknown)
                    o[key] = child
                }
            } else if schema["additionalProperties"]?.boolValue != true, schema["type"]?.stringValue == "object" {
                // An object with neither properties nor additionalProperties keeps nothing.
                for key in o.keys.sorted() { unknown.append(path + "." + key) }
                o = [:]
            }
            value = .object(o)
        case .array(var a):
            if let items = schema["items"] {
                for i in a.indices { prune(&a[i], items, path: path + "[\(i)]", unknown: &unknown) }
            }
            value = .array(a)
        default:
            break
        }
    }

    // MARK: Validation

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return "\"\(s)\""
        case .object: return "\"object\""
        case .array: return "\"array\""
        default: return value.serializedString()
        }
    }

    private func typeMatches(_ value: JSONValue, _ type: String, _ schema: JSONValue) -> Bool {
        if schema["x-kubernetes-int-or-string"]?.boolValue == true {
            if case .string = value { return true }
            if case .int = value { return true }
            return false
        }
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .int),
             ("number", .int), ("number", .double):
            return true
        case ("integer", .double(let d)):
            return d.rounded() == d
        default:
            return false
        }
    }

    private func validate(_ value: JSONValue, _ schema: JSONValue, path: String, causes: inout [StatusCause]) {
        let field = path
        if value.isNull {
            if schema["nullable"]?.boolValue == true { return }
            if let type = schema["type"]?.stringValue {
                causes.append(StatusCause(
                    reason: "FieldValueTypeInvalid",
                    message: "Invalid value: \"null\": \(field) in body must be of type \(type): \"null\"", field: field))
            }
            return
        }
        if let type = schema["type"]?.stringValue, !typeMatches(value, type, schema) {
            let given = value.typeName
            causes.append(StatusCause(
                reason: "FieldValueTypeInvalid",
                message: "Invalid value: \"\(given)\": \(field) in body must be of type \(type): \"\(given)\"", field: field))
            return
        }
        if case .array(let options)? = schema["enum"], !options.contains(where: { Self.equalValues($0, value) }) {
            let supported = options.map { Self.describe($0) }.joined(separator: ", ")
            causes.append(StatusCause(
                reason: "FieldValueNotSupported",
                message: "Unsupported value: \(Self.describe(value)): supported values: \(supported)", field: field))
        }
        if let number = value.doubleValue, !(value.stringValue != nil) {
            let shown = Self.describe(value)
            if let minimum = schema["minimum"]?.doubleValue {
                let exclusive = schema["exclusiveMinimum"]?.boolValue == true
                if exclusive ? number <= minimum : number < minimum {
                    causes.append(StatusCause(
                        reason: "FieldValueInvalid",
                        message: "Invalid value: \(shown): \(field) in body should be greater than \(exclusive ? "" : "or equal to ")\(Self.format(schema["minimum"]!))",
                        field: field))
                }
            }
            if let maximum = schema["maximum"]?.doubleValue {
                let exclusive = schema["exclusiveMaximum"]?.boolValue == true
                if exclusive ? number >= maximum : number > maximum {
                    causes.append(StatusCause(
                        reason: "FieldValueInvalid",
                        message: "Invalid value: \(shown): \(field) in body should be less than \(exclusive ? "" : "or equal to ")\(Self.format(schema["maximum"]!))",
                        field: field))
                }
            }
            if let multiple = schema["multipleOf"]?.doubleValue, multiple != 0,
               (number / multiple).rounded() != number / multiple {
                causes.append(StatusCause(
                    reason: "FieldValueInvalid",
                    message: "Invalid value: \(shown): \(field) in body should be a multiple of \(Self.format(schema["multipleOf"]!))", field: field))
            }
        }
        if case .string(let s) = value {
            let length = s.count
            if let minLength = schema["minLength"]?.intValue, length < minLength {
                causes.append(StatusCause(
                    reason: "FieldValueInvalid",
                    message: "Invalid value: \"\(s)\": \(field) in body should be at least \(minLength) chars long", field: field))
            }
            if let maxLength = schema["maxLength"]?.intValue, length > maxLength {
                causes.append(StatusCause(
                    reason: "FieldValueTooLong",
                    message: "Too long: may not be more than \(maxLength) bytes", field: field))
            }
            if let pattern = schema["pattern"]?.stringValue {
                if let regex = try? Regex(pattern), (try? regex.firstMatch(in: s)) == nil {
                    causes.append(StatusCause(
                        reason: "FieldValueInvalid",
                        message: "Invalid value: \"\(s)\": \(field) in body should match '\(pattern)'", field: field))
                }
            }
        }
        switch value {
        case .object(let o):
            if case .array(let required)? = schema["required"] {
                for name in required.compactMap(\.stringValue) where o[name] == nil {
                    causes.append(StatusCause(
                        reason: "FieldValueRequired", message: "Required value", field: join(path, name)))
                }
            }
            if let minProperties = schema["minProperties"]?.intValue, o.count < minProperties {
                causes.append(StatusCause(
                    reason: "FieldValueInvalid",
                    message: "Invalid value: \(o.count): \(field) in body should have at least \(minProperties) properties", field: field))
            }
            if let maxProperties = schema["maxProperties"]?.intValue, o.count > maxProperties {
                causes.append(StatusCause(
                    reason: "FieldValueTooMany",
                    message: "Too many: \(o.count): must have at most \(maxProperties) items", field: field))
            }
            let properties = schema["properties"]?.objectValue ?? [:]
            for key in o.keys.sorted() {
                if let sub = properties[key] {
                    validate(o[key]!, sub, path: join(path, key), causes: &causes)
                } else if let additional = schema["additionalProperties"], case .object = additional {
                    validate(o[key]!, additional, path: join(path, key), causes: &causes)
                }
            }
        case .array(let a):
            if let minItems = schema["minItems"]?.intValue, a.count < minItems {
                causes.append(StatusCause(
                    reason: "FieldValueInvalid",
                    message: "Invalid value: \(a.count): \(field) in body should have at least \(minItems) items", field: field))
            }
            if let maxItems = schema["maxItems"]?.intValue, a.count > maxItems {
                causes.append(StatusCause(
                    reason: "FieldValueTooMany",
                    message: "Too many: \(a.count): must have at most \(maxItems) items", field: field))
            }
            if let items = schema["items"] {
                for (i, element) in a.enumerated() {
                    validate(element, items, path: "\(path)[\(i)]", causes: &causes)
                }
            }
        default:
            break
        }
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private static func equalValues(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        return a == b
    }

    private static func format(_ v: JSONValue) -> String {
        if let i = v.intValue { return String(i) }
        return v.serializedString()
    }
}
