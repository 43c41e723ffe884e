import Foundation
import KubeModel

/// The patch types Kubernetes defines, by Content-Type.
enum PatchType: Sendable, Hashable {
    case merge, json, strategic, apply

    init?(contentType: String) {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimming(" ").lowercased() } ?? ""
        switch mediaType {
        case "application/merge-patch+json": self = .merge
        case "application/json-patch+json": self = .json
        case "application/strategic-merge-patch+json": self = .strategic
        case "application/apply-patch+yaml", "application/apply-patch+cbor": self = .apply
        default: return nil
        }
    }
}

enum Patch {
    /// RFC 7386 JSON merge patch.
    static func merge(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let patchObject) = patch else { return patch }
        var result: [String: JSONValue]
        if case .object(let t) = target { result = t } else { result = [:] }
        for (key, value) in patchObject {
            if value.isNull {
                result[key] = nil
            } else {
                result[key] = merge(result[key] ?? .null, value)
            }
        }
        return .object(result)
    }

    struct JSONPatchError: Error {
        var message: String
        /// A failed `test` answers 422 with the generic message, as the real server does.
        var isTestFailure: Bool
    }

    /// RFC 6902 JSON patch.
    static func json(_ target: JSONValue, _ patch: JSONValue) throws(JSONPatchError) -> JSONValue {
        guard case .array(let operations) = patch else {
            throw JSONPatchError(message: "json: cannot unmarshal object into Go value of type jsonpatch.Patch", isTestFailure: false)
        }
        var document = target
        for operation in operations {
            guard let op = operation["op"]?.stringValue else {
                throw JSONPatchError(message: "Unexpected kind: unknown", isTestFailure: false)
            }
            guard let pathText = operation["path"]?.stringValue else {
                throw JSONPatchError(message: "missing path in \(op) operation", isTestFailure: false)
            }
            let path = try pointer(pathText)
            switch op {
            case "add":
                guard let value = operation["value"] else { throw JSONPatchError(message: "add operation does not apply: value is missing", isTestFailure: false) }
                try add(&document, path, value)
            case "remove":
                _ = try remove(&document, path)
            case "replace":
                guard let value = operation["value"] else { throw JSONPatchError(message: "replace operation does not apply: value is missing", isTestFailure: false) }
                _ = try remove(&document, path)
                try add(&document, path, value)
            case "move":
                guard let fromText = operation["from"]?.stringValue else { throw JSONPatchError(message: "move operation: from is missing", isTestFailure: false) }
                let value = try remove(&document, try pointer(fromText))
                try add(&document, path, value)
            case "copy":
                guard let fromText = operation["from"]?.stringValue else { throw JSONPatchError(message: "copy operation: from is missing", isTestFailure: false) }
                guard let value = get(document, try pointer(fromText)) else {
                    throw JSONPatchError(message: "copy operation does not apply: doc is missing from path: \(fromText)", isTestFailure: false)
                }
                try add(&document, path, value)
            case "test":
                let expected = operation["value"] ?? .null
                let actual = get(document, path)
                if !numericEqual(actual ?? .null, expected) {
                    throw JSONPatchError(message: "testing value \(pathText) failed: test failed", isTestFailure: true)
                }
            default:
                throw JSONPatchError(message: "Unexpected kind: \(op)", isTestFailure: false)
            }
        }
        return document
    }

    private static func numericEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue { return x == y }
        return a == b
    }

    private static func pointer(_ text: String) throws(JSONPatchError) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw JSONPatchError(message: "JSON pointer must be empty or start with a \"/\": \(text)", isTestFailure: false) }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func get(_ document: JSONValue, _ path: [String]) -> JSONValue? {
        var current = document
        for token in path {
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                guard let i = Int(token), i >= 0, i < a.count else { return nil }
                current = a[i]
            default:
                return nil
            }
        }
        return current
    }

    private static func add(_ document: inout JSONValue, _ path: [String], _ value: JSONValue) throws(JSONPatchError) {
        guard let last = path.last else {
            document = value
            return
        }
        try modify(&document, Array(path.dropLast()), fullPath: path) { (parent: inout JSONValue) throws(JSONPatchError) in
            switch parent {
            case .object(var o):
                o[last] = value
                parent = .object(o)
            case .array(var a):
                if last == "-" {
                    a.append(value)
                } else if let i = Int(last), i >= 0, i <= a.count {
                    a.insert(value, at: i)
                } else {
                    throw JSONPatchError(message: "add operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\": missing value", isTestFailure: false)
                }
                parent = .array(a)
            default:
                throw JSONPatchError(message: "add operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\": missing value", isTestFailure: false)
            }
        }
    }

    private static func remove(_ document: inout JSONValue, _ path: [String]) throws(JSONPatchError) -> JSONValue {
        guard let last = path.last else { throw JSONPatchError(message: "remove operation: cannot remove the whole document", isTestFailure: false) }
        var removed: JSONValue = .null
        try modify(&document, Array(path.dropLast()), fullPath: path) { (parent: inout JSONValue) throws(JSONPatchError) in
            switch parent {
            case .object(var o):
                guard let v = o.removeValue(forKey: last) else {
                    throw JSONPatchError(message: "remove operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\": missing value", isTestFailure: false)
                }
                removed = v
                parent = .object(o)
            case .array(var a):
                guard let i = Int(last), i >= 0, i < a.count else {
                    throw JSONPatchError(message: "remove operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\": missing value", isTestFailure: false)
                }
                removed = a.remove(at: i)
                parent = .array(a)
            default:
                throw JSONPatchError(message: "remove operation does not apply: doc is missing path: \"/\(path.joined(separator: "/"))\": missing value", isTestFailure: false)
            }
        }
        return removed
    }

    private static func modify(
        _ node: inout JSONValue, _ path: [String], fullPath: [String],
        _ body: (inout JSONValue) throws(JSONPatchError) -> Void
    ) throws(JSONPatchError) {
        guard let first = path.first else {
            try body(&node)
            return
        }
        let rest = Array(path.dropFirst())
        let missing = JSONPatchError(
            message: "doc is missing path: \"/\(fullPath.joined(separator: "/"))\": missing value", isTestFailure: false)
        switch node {
        case .object(var o):
            guard var child = o[first] else { throw missing }
            o[first] = nil
            try modify(&child, rest, fullPath: fullPath, body)
            o[first] = child
            node = .object(o)
        case .array(var a):
            guard let i = Int(first), i >= 0, i < a.count else { throw missing }
            var child = a[i]
            try modify(&child, rest, fullPath: fullPath, body)
            a[i] = child
            node = .array(a)
        default:
            throw missing
        }
    }
}
