import Foundation
import KubeModel

extension KubeClient {
    /// Decodes a response body: parsed as a `JSONValue` (which keeps integers apart from floats),
    /// then decoded from that tree when `R` is a typed object.
    static func decode<R: Decodable>(_ type: R.Type, from bytes: [UInt8], context: @autoclosure () -> String) throws -> R {
        do {
            if R.self == JSONValue.self {
                let value = try JSONValue(parsing: bytes)
                guard let typed = value as? R else {
                    throw KubeClientError.decoding("\(context()): unexpected JSON type")
                }
                return typed
            }
            return try JSONValue(parsing: bytes).decode(as: R.self)
        } catch let error as KubeClientError {
            throw error
        } catch {
            throw KubeClientError.decoding("\(context()): cannot decode \(R.self): \(error)")
        }
    }

    /// The JSON of a typed object with `apiVersion` and `kind` filled in when its encoding leaves them out.
    static func encode<T: KubernetesResource>(_ object: T) throws -> JSONValue {
        var value: JSONValue
        do {
            value = try JSONValue(encoding: object)
        } catch {
            throw KubeClientError.encoding("cannot encode \(T.kind): \(error)")
        }
        if value["apiVersion"]?.stringValue == nil { value["apiVersion"] = .string(T.apiVersion) }
        if value["kind"]?.stringValue == nil { value["kind"] = .string(T.kind) }
        return value
    }

    /// A DELETE answer: a Status when the object is gone, the object when finalizers keep it.
    static func deleteResult<R: Decodable & Sendable>(_ bytes: [UInt8], as type: R.Type, context: String) throws -> DeleteResult<R> {
        let value = try decode(JSONValue.self, from: bytes, context: context)
        if value["kind"]?.stringValue == "Status", value["apiVersion"]?.stringValue == "v1" {
            return .deleted(try value.decode(as: Status.self))
        }
        if let typed = value as? R { return .pending(typed) }
        return .pending(try decode(R.self, from: bytes, context: context))
    }

    static func requireName(_ name: String, _ operation: String) throws {
        guard !name.isEmpty else {
            throw KubeClientError.invalidRequest("\(operation): the object name must not be empty")
        }
    }

    static func objectName(_ value: JSONValue, _ operation: String) throws -> String {
        guard let name = value[path: ["metadata", "name"]]?.stringValue, !name.isEmpty else {
            throw KubeClientError.invalidRequest("\(operation): the object has no metadata.name")
        }
        return name
    }
}
