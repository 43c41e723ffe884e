import EmbeddingCore
import Foundation
import Hummingbird
import NIOCore

extension EmbeddingService {
    /// `POST /v1/embeddings` (and `/embeddings`): OpenAI's request, response and error shapes.
    /// Vectors are always L2-normalized, as OpenAI's are; `dimensions` truncates, then renormalizes.
    func openAIEmbeddingsCall(body: Data, started: UInt64) throws -> EmbeddingCall {
        let payload = try FlatJSONObject(body).flatMap(OpenAIEmbeddingRequest.init(flat:))
            ?? JSONDecoder.decodeRequest(OpenAIEmbeddingRequest.self, from: body)
        metrics.recordRequest(batch: payload.input.isBatch)
        let model = try registry.model(named: payload.model)
        try validateBatch(payload.input)
        let base64: Bool
        switch payload.encoding_format ?? "float" {
        case "float": base64 = false
        case "base64": base64 = true
        case let other:
            throw EmbeddingError.validation("Input validation error: `encoding_format` must be \"float\" or \"base64\", got \"\(other)\"")
        }
        try validateDimensions(payload.dimensions, model: model)
        let options = EmbeddingOptions(truncate: configuration.autoTruncate, truncationDirection: .right,
                                       prompt: try prompt(named: nil, for: model))
        let dimensions = payload.dimensions
        return EmbeddingCall(route: .openAI, model: model, inputs: payload.input, options: options, started: started) { result in
            let vectors = self.vectors(result, model: model, normalize: true, dimensions: dimensions)
            let width = vectors.first?.count ?? 0
            var writer = JSONWriter(capacity: 96 + vectors.count * (base64 ? width * 4 / 3 + 64 : JSONWriter.floatArrayCapacity(width) + 48))
            writer.raw("{\"object\":\"list\",\"data\":[")
            for (index, vector) in vectors.enumerated() {
                if index > 0 { writer.raw(",") }
                writer.raw("{\"object\":\"embedding\",\"index\":")
                writer.int(index)
                writer.raw(",\"embedding\":")
                if base64 {
                    writer.raw("\"")
                    writer.rawString(Self.base64LittleEndian(vector))
                    writer.raw("\"")
                } else {
                    writer.floatArray(vector)
                }
                writer.raw("}")
            }
            writer.raw("],\"model\":")
            writer.string(model.name)
            writer.raw(",\"usage\":{\"prompt_tokens\":")
            writer.int(result.totalTokens)
            writer.raw(",\"total_tokens\":")
            writer.int(result.totalTokens)
            writer.raw("}}")
            return writer
        }
    }

    /// The vector's float32 values, little-endian, in base64 (OpenAI's `encoding_format: base64`).
    static func base64LittleEndian(_ vector: [Float]) -> String {
        var bytes = [UInt8](repeating: 0, count: vector.count * 4)
        for (i, value) in vector.enumerated() {
            let bits = value.bitPattern.littleEndian
            bytes[4 * i] = UInt8(truncatingIfNeeded: bits)
            bytes[4 * i + 1] = UInt8(truncatingIfNeeded: bits >> 8)
            bytes[4 * i + 2] = UInt8(truncatingIfNeeded: bits >> 16)
            bytes[4 * i + 3] = UInt8(truncatingIfNeeded: bits >> 24)
        }
        return Data(bytes).base64EncodedString()
    }

    /// `GET /v1/models`: OpenAI's list shape.
    func listModels() -> Response {
        var writer = JSONWriter(capacity: 256)
        writer.raw("{\"object\":\"list\",\"data\":[")
        for (i, model) in registry.models.enumerated() {
            if i > 0 { writer.raw(",") }
            writeModel(model, into: &writer)
        }
        writer.raw("]}")
        return Self.jsonReply(writer).response
    }

    /// `GET /v1/models/{name}`.
    func showModel(_ name: String) -> Response {
        guard let model = registry.models.first(where: { $0.name == name }) else {
            return APIError.response(error: .modelNotFound("The model `\(name)` does not exist"), shape: .openAI, param: "model")
        }
        var writer = JSONWriter(capacity: 128)
        writeModel(model, into: &writer)
        return Self.jsonReply(writer).response
    }

    private func writeModel(_ model: ServedModel, into writer: inout JSONWriter) {
        writer.raw("{\"id\":")
        writer.string(model.name)
        writer.raw(",\"object\":\"model\",\"created\":")
        writer.int(Int(model.createdAt.timeIntervalSince1970))
        writer.raw(",\"owned_by\":\"quiver\"}")
    }
}
