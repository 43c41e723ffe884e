import KubeModel

/// Protobuf request bodies (`application/vnd.kubernetes.protobuf`), as kubectl sends the built-in
/// kinds it knows typed (`create namespace`, `create configmap`, `auth can-i` …): the magic `k8s\0`,
/// then a `runtime.Unknown` {1 typeMeta {1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding,
/// 4 contentType} whose raw bytes are the object's own message, decoded by its table in
/// ProtobufSchema+Builtins.swift into the JSON the rest of the server works with.
extension EmbeddedKube {
    static let protobufMediaType = "application/vnd.kubernetes.protobuf"
    static let protobufMagic: [UInt8] = [0x6b, 0x38, 0x73, 0x00]

    /// The object in a protobuf body: 400 when it is not valid protobuf, 415 for a kind (or a field)
    /// without a table.
    static func decodeProtobuf(_ body: [UInt8]) throws -> JSONValue {
        do {
            return try decodeProtobufObject(body)
        } catch .malformed(let message) {
            throw APIServerError.badRequest("error decoding protobuf body: \(message)")
        } catch .unsupported(let message) {
            throw APIServerError.unsupportedMediaType(
                "\(message); send it as application/json or application/yaml instead")
        }
    }

    static func decodeProtobufObject(_ body: [UInt8]) throws(ProtobufDecodingError) -> JSONValue {
        guard body.count >= protobufMagic.count, Array(body.prefix(protobufMagic.count)) == protobufMagic else {
            throw .malformed("the body does not start with the protobuf magic k8s\\0")
        }
        var typeMeta: [String: JSONValue] = [:]
        var raw: ArraySlice<UInt8>?
        var contentEncoding = ""
        var contentType = ""
        var reader = ProtobufReader(body[protobufMagic.count...])
        while true {
            let next: ProtobufReader.Field?
            do { next = try reader.next() } catch { throw .malformed("runtime Unknown: \(error.message)") }
            guard let field = next else { break }
            switch (field.number, field.value) {
            case (1, .bytes(let b)): typeMeta = try ProtobufSchema.typeMeta.decode(b, depth: 1)
            case (2, .bytes(let b)): raw = b
            case (3, .bytes(let b)): contentEncoding = String(decoding: b, as: UTF8.self)
            case (4, .bytes(let b)): contentType = String(decoding: b, as: UTF8.self)
            default: throw .malformed("runtime Unknown has an unexpected field \(field.number)")
            }
        }
        let apiVersion = typeMeta["apiVersion"]?.stringValue ?? ""
        let kind = typeMeta["kind"]?.stringValue ?? ""
        if !contentEncoding.isEmpty {
            throw .unsupported("protobuf bodies with contentEncoding \(contentEncoding) are not supported")
        }
        if !contentType.isEmpty && contentType != protobufMediaType {
            throw .unsupported("protobuf envelopes of content type \(contentType) are not supported")
        }
        guard let schema = ProtobufSchema.byKind[apiVersion + " " + kind] else {
            let name = kind.isEmpty ? "objects without a kind" : "\(kind) (\(apiVersion.isEmpty ? "no apiVersion" : apiVersion))"
            throw .unsupported("protobuf bodies of \(name) are not supported")
        }
        guard let raw else { throw .malformed("runtime Unknown has no object (raw)") }
        var object = try schema.decode(raw)
        object["apiVersion"] = .string(apiVersion)
        object["kind"] = .string(kind)
        return .object(object)
    }
}

extension ProtobufSchema {
    /// runtime.TypeMeta, in the envelope.
    static let typeMeta = ProtobufSchema("runtime TypeMeta", [1: .string("apiVersion"), 2: .string("kind")])
}
