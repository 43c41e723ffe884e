import Foundation
import KubeModel

/// How one Kubernetes protobuf message maps to its JSON form: field number → JSON name, kind and
/// shape. The tables (ProtobufSchema+Builtins.swift) are data; `decode` is the one interpreter.
///
/// Kubernetes' generated marshallers write every non-pointer field, zero or not, so `.optional`
/// fields drop zero scalars (as `omitempty` does in JSON); `.pointer` fields keep them (an explicit
/// `replicas: 0` or `immutable: false` means something). Messages are kept even when empty, as Go's
/// JSON keeps structs, except times, which are absent when zero.
struct ProtobufSchema: Sendable {
    /// For messages: "core/v1 ConfigMap".
    var name: String
    var fields: [Int: Field]

    init(_ name: String, _ fields: [Int: Field]) {
        self.name = name
        self.fields = fields
    }

    indirect enum Kind: Sendable {
        case string, bytes, bool, int32, int64
        /// metav1.Time {1 seconds, 2 nanos}: RFC 3339 in seconds; absent when empty.
        case time
        /// metav1.MicroTime: RFC 3339 with microseconds; absent when empty.
        case microTime
        /// resource.Quantity {1 string}.
        case quantity
        /// intstr.IntOrString {1 type, 2 intVal, 3 strVal}.
        case intOrString
        /// A message {1 repeated string} that JSON writes as the bare list (authentication's ExtraValue).
        case stringList
        /// metav1.FieldsV1 {1 raw JSON bytes}: the JSON itself.
        case rawJSON
        case message(ProtobufSchema)
    }

    enum Shape: Sendable {
        /// Zero scalars are dropped.
        case optional
        /// Zero scalars are kept.
        case pointer
        case repeated
        /// map<string, kind>: repeated entries {1 key, 2 value}.
        case map
        /// An embedded Go struct (`json:",inline"`): its fields land in the parent object.
        case inline
    }

    struct Field: Sendable {
        var json: String
        var kind: Kind
        var shape: Shape

        static func field(_ json: String, _ kind: Kind, _ shape: Shape = .optional) -> Field {
            Field(json: json, kind: kind, shape: shape)
        }
        static func string(_ json: String) -> Field { .field(json, .string) }
        static func strings(_ json: String) -> Field { .field(json, .string, .repeated) }
        static func stringMap(_ json: String) -> Field { .field(json, .string, .map) }
        static func message(_ json: String, _ schema: ProtobufSchema) -> Field { .field(json, .message(schema)) }
        static func messages(_ json: String, _ schema: ProtobufSchema) -> Field { .field(json, .message(schema), .repeated) }
        static func inline(_ schema: ProtobufSchema) -> Field { .field("", .message(schema), .inline) }
    }

    static let maximumDepth = 32

    /// The JSON object for one message's bytes. Malformed input throws `.malformed`; a non-zero field
    /// the table does not know throws `.unsupported` (dropping it silently would lose data).
    func decode(_ bytes: ArraySlice<UInt8>, depth: Int = 0) throws(ProtobufDecodingError) -> [String: JSONValue] {
        guard depth <= Self.maximumDepth else { throw .malformed("\(name) is nested more than \(Self.maximumDepth) deep") }
        var reader = ProtobufReader(bytes)
        var object: [String: JSONValue] = [:]
        while true {
            let next: ProtobufReader.Field?
            do { next = try reader.next() } catch { throw .malformed("\(name): \(error.message)") }
            guard let wire = next else { break }
            guard let field = fields[wire.number] else {
                if wire.value.isZero { continue }
                throw .unsupported("field \(wire.number) of \(name) is not supported in protobuf bodies")
            }
            switch field.shape {
            case .optional, .pointer:
                if field.shape == .optional && wire.value.isZero && field.kind.dropsZero { continue }
                if let value = try field.kind.decode(wire.value, field: field.json, in: self, depth: depth) {
                    object[field.json] = value
                }
            case .repeated:
                let value = try field.kind.decode(wire.value, field: field.json, in: self, depth: depth) ?? field.kind.zeroValue
                if case .array(var items)? = object[field.json] {
                    items.append(value)
                    object[field.json] = .array(items)
                } else {
                    object[field.json] = .array([value])
                }
            case .map:
                let (key, value) = try decodeMapEntry(wire.value, field: field, depth: depth)
                if case .object(var entries)? = object[field.json] {
                    entries[key] = value
                    object[field.json] = .object(entries)
                } else {
                    object[field.json] = .object([key: value])
                }
            case .inline:
                guard case .message(let schema) = field.kind, case .bytes(let b) = wire.value else {
                    throw .malformed("field \(wire.number) of \(name) should be a message")
                }
                for (key, value) in try schema.decode(b, depth: depth + 1) { object[key] = value }
            }
        }
        return object
    }

    private func decodeMapEntry(_ value: ProtobufReader.Value, field: Field, depth: Int) throws(ProtobufDecodingError) -> (String, JSONValue) {
        guard case .bytes(let bytes) = value else { throw .malformed("\(name).\(field.json) should be a map entry") }
        var reader = ProtobufReader(bytes)
        var key = ""
        var result: JSONValue?
        while true {
            let next: ProtobufReader.Field?
            do { next = try reader.next() } catch { throw .malformed("\(name).\(field.json): \(error.message)") }
            guard let entry = next else { break }
            switch entry.number {
            case 1:
                guard case .string(let k)? = try Kind.string.decode(entry.value, field: field.json + " key", in: self, depth: depth) else {
                    throw .malformed("\(name).\(field.json) has a map key that is not a string")
                }
                key = k
            case 2:
                result = try field.kind.decode(entry.value, field: field.json, in: self, depth: depth)
            default:
                if !entry.value.isZero { throw .malformed("\(name).\(field.json) has a map entry with field \(entry.number)") }
            }
        }
        return (key, result ?? field.kind.zeroValue)
    }
}

enum ProtobufDecodingError: Error, Equatable {
    /// Not valid protobuf, or not the message it should be: 400.
    case malformed(String)
    /// Valid, but not something these tables decode: 415.
    case unsupported(String)
}

extension ProtobufSchema.Kind {
    /// Whether an `.optional` field of this kind is dropped when its encoding is zero.
    var dropsZero: Bool {
        switch self {
        case .message, .stringList, .rawJSON: false
        default: true
        }
    }

    /// The value of an absent map value or repeated element.
    var zeroValue: JSONValue {
        switch self {
        case .string, .bytes: ""
        case .bool: false
        case .int32, .int64, .intOrString: 0
        case .quantity: "0"
        case .stringList: []
        case .message: .emptyObject
        case .time, .microTime, .rawJSON: .null
        }
    }

    /// One field's value, or nil when it is absent in JSON (an empty time).
    func decode(_ value: ProtobufReader.Value, field: String, in schema: ProtobufSchema, depth: Int) throws(ProtobufDecodingError) -> JSONValue? {
        func mismatch() -> ProtobufDecodingError {
            .malformed("\(schema.name).\(field) has the wrong wire type for \(self.description)")
        }
        func bytes() throws(ProtobufDecodingError) -> ArraySlice<UInt8> {
            guard case .bytes(let b) = value else { throw mismatch() }
            return b
        }
        func varint() throws(ProtobufDecodingError) -> UInt64 {
            guard case .varint(let v) = value else { throw mismatch() }
            return v
        }
        switch self {
        case .string:
            let b = try bytes()
            guard let s = String(validating: b, as: UTF8.self) else { throw .malformed("\(schema.name).\(field) is not valid UTF-8") }
            return .string(s)
        case .bytes:
            return .string(Data(try bytes()).base64EncodedString())
        case .bool:
            return .bool(try varint() != 0)
        case .int32:
            return .int(Int64(Int32(truncatingIfNeeded: try varint())))
        case .int64:
            return .int(Int64(bitPattern: try varint()))
        case .time, .microTime:
            let b = try bytes()
            if b.isEmpty { return nil }
            var seconds: Int64 = 0
            var nanos: Int64 = 0
            var reader = ProtobufReader(b)
            while true {
                let next: ProtobufReader.Field?
                do { next = try reader.next() } catch { throw .malformed("\(schema.name).\(field): \(error.message)") }
                guard let f = next else { break }
                switch (f.number, f.value) {
                case (1, .varint(let v)): seconds = Int64(bitPattern: v)
                case (2, .varint(let v)): nanos = Int64(Int32(truncatingIfNeeded: v))
                default: throw .malformed("\(schema.name).\(field) is not a time")
                }
            }
            // 0001-01-01T00:00:00Z ... 9999-12-31T23:59:59Z, as RFC 3339 allows.
            guard seconds >= -62_135_596_800, seconds <= 253_402_300_799, nanos >= 0, nanos < 1_000_000_000 else {
                throw .malformed("\(schema.name).\(field) is out of range")
            }
            if case .microTime = self {
                return .string(RFC3339.format(seconds: seconds, fractionDigits: 6, nanos: nanos))
            }
            return .string(RFC3339.format(seconds: seconds, fractionDigits: 0, nanos: 0))
        case .quantity:
            let fields = try Self.fields(try bytes(), schema: schema, field: field)
            guard let raw = fields[1] else { return "0" }
            return try Self.string.decode(raw, field: field, in: schema, depth: depth)
        case .intOrString:
            let fields = try Self.fields(try bytes(), schema: schema, field: field)
            var type: UInt64 = 0
            if let t = fields[1] {
                guard case .varint(let v) = t else { throw mismatch() }
                type = v
            }
            if type == 1 {
                guard let s = fields[3] else { return "" }
                return try Self.string.decode(s, field: field, in: schema, depth: depth)
            }
            guard let i = fields[2] else { return 0 }
            return try Self.int32.decode(i, field: field, in: schema, depth: depth)
        case .stringList:
            var reader = ProtobufReader(try bytes())
            var items: [JSONValue] = []
            while true {
                let next: ProtobufReader.Field?
                do { next = try reader.next() } catch { throw .malformed("\(schema.name).\(field): \(error.message)") }
                guard let f = next else { break }
                guard f.number == 1, let item = try Self.string.decode(f.value, field: field, in: schema, depth: depth) else {
                    throw .malformed("\(schema.name).\(field) is not a list of strings")
                }
                items.append(item)
            }
            return .array(items)
        case .rawJSON:
            let fields = try Self.fields(try bytes(), schema: schema, field: field)
            guard case .bytes(let raw)? = fields[1] else { return .emptyObject }
            do { return try JSONValue(parsing: Array(raw)) } catch { throw .malformed("\(schema.name).\(field) is not JSON") }
        case .message(let inner):
            return .object(try inner.decode(try bytes(), depth: depth + 1))
        }
    }

    /// The fields of a small fixed message (last one wins), for the wrappers above.
    private static func fields(_ bytes: ArraySlice<UInt8>, schema: ProtobufSchema, field: String) throws(ProtobufDecodingError) -> [Int: ProtobufReader.Value] {
        var reader = ProtobufReader(bytes)
        var out: [Int: ProtobufReader.Value] = [:]
        while true {
            let next: ProtobufReader.Field?
            do { next = try reader.next() } catch { throw .malformed("\(schema.name).\(field): \(error.message)") }
            guard let f = next else { return out }
            out[f.number] = f.value
        }
    }

    var description: String {
        switch self {
        case .string: "a string"
        case .bytes: "bytes"
        case .bool: "a bool"
        case .int32, .int64: "an integer"
        case .time, .microTime: "a time"
        case .quantity: "a quantity"
        case .intOrString: "an int-or-string"
        case .stringList: "a list of strings"
        case .rawJSON: "fields"
        case .message(let s): s.name
        }
    }
}
