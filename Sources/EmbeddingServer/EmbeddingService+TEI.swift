import EmbeddingCore
import Foundation
import Hummingbird
import NIOCore

extension EmbeddingService {
    /// TEI's `POST /embed`: `[[Float]]`.
    func teiEmbedCall(body: Data, started: UInt64) throws -> EmbeddingCall {
        let payload = try FlatJSONObject(body).flatMap(TEIEmbedRequest.init(flat:))
            ?? JSONDecoder.decodeRequest(TEIEmbedRequest.self, from: body)
        metrics.recordRequest(batch: payload.inputs.isBatch)
        let model = try registry.model(named: nil)
        try validateBatch(payload.inputs)
        try validateDimensions(payload.dimensions, model: model)
        let options = EmbeddingOptions(
            truncate: payload.truncate ?? configuration.autoTruncate,
            truncationDirection: payload.truncation_direction?.value ?? .right,
            prompt: try prompt(named: payload.prompt_name, for: model))
        let normalize = payload.normalize ?? true
        let dimensions = payload.dimensions
        return EmbeddingCall(route: .tei, model: model, inputs: payload.inputs, options: options, started: started) { result in
            let vectors = self.vectors(result, model: model, normalize: normalize, dimensions: dimensions)
            var writer = JSONWriter(capacity: 16 + vectors.count * (JSONWriter.floatArrayCapacity(vectors.first?.count ?? 0) + 2))
            writer.raw("[")
            for (i, vector) in vectors.enumerated() {
                if i > 0 { writer.raw(",") }
                writer.floatArray(vector)
            }
            writer.raw("]")
            return writer
        }
    }

    /// TEI's `POST /embed_sparse`: `[[{"index", "value"}]]`, the non-zero entries of a SPLADE
    /// vector. Only for models served with splade pooling.
    func teiEmbedSparseCall(body: Data, started: UInt64) throws -> EmbeddingCall {
        let payload = try JSONDecoder.decodeRequest(TEIEmbedSparseRequest.self, from: body)
        metrics.recordRequest(batch: payload.inputs.isBatch)
        let model = try registry.model(named: nil)
        guard model.pooling == .splade else {
            throw EmbeddingError.backend("Model is not an embedding model with SPLADE pooling (`/embed_sparse` needs --pooling splade; this model uses \(model.pooling.rawValue))")
        }
        try validateBatch(payload.inputs)
        let options = EmbeddingOptions(
            truncate: payload.truncate ?? configuration.autoTruncate,
            truncationDirection: payload.truncation_direction?.value ?? .right,
            prompt: try prompt(named: payload.prompt_name, for: model))
        return EmbeddingCall(route: .teiSparse, model: model, inputs: payload.inputs, options: options, started: started) { result in
            let vectors = self.vectors(result, model: model, normalize: false, dimensions: nil)
            var writer = JSONWriter(capacity: 1024 * vectors.count)
            writer.raw("[")
            for (i, vector) in vectors.enumerated() {
                if i > 0 { writer.raw(",") }
                writer.raw("[")
                var first = true
                for (index, value) in vector.enumerated() where value != 0 {
                    if !first { writer.raw(",") }
                    first = false
                    writer.raw("{\"index\":")
                    writer.int(index)
                    writer.raw(",\"value\":")
                    writer.float(value)
                    writer.raw("}")
                }
                writer.raw("]")
            }
            writer.raw("]")
            return writer
        }
    }

    /// TEI's `POST /tokenize`: `[[{"id", "text", "special", "start", "stop"}]]`, with `start` and
    /// `stop` as UTF-8 byte offsets into the input (what TEI reports); null for added specials.
    func tokenize(_ request: Request) async -> Response {
        let route = "/tokenize"
        do {
            let body = try await readBody(request)
            let payload = try JSONDecoder.decodeRequest(TEITokenizeRequest.self, from: body)
            metrics.recordRequest(batch: payload.inputs.isBatch)
            let model = try registry.model(named: nil)
            try validateBatch(payload.inputs)
            let prompt = try prompt(named: payload.prompt_name, for: model)
            let addSpecial = payload.add_special_tokens ?? true
            let tokenizer = model.tokenizer
            var writer = JSONWriter(capacity: 4096)
            writer.raw("[")
            for (i, input) in payload.inputs.inputs.enumerated() {
                if i > 0 { writer.raw(",") }
                writer.raw("[")
                switch input {
                case .text(let raw):
                    let text = prompt.map { $0 + raw } ?? raw
                    let encoding = tokenizer.encode(text, addSpecialTokens: addSpecial)
                    let utf8 = Array(text.utf8)
                    for t in 0..<encoding.count {
                        if t > 0 { writer.raw(",") }
                        let span = encoding.offsets[t]
                        let special = encoding.specialTokensMask[t]
                        let synthetic = special
                        writer.raw("{\"id\":")
                        writer.int(Int(encoding.ids[t]))
                        writer.raw(",\"text\":")
                        if synthetic {
                            writer.string(tokenizer.token(forId: encoding.ids[t]) ?? "")
                        } else {
                            writer.string(String(decoding: utf8[span.start..<span.end], as: UTF8.self))
                        }
                        writer.raw(",\"special\":")
                        writer.bool(special)
                        writer.raw(",\"start\":")
                        if synthetic { writer.raw("null") } else { writer.int(span.start) }
                        writer.raw(",\"stop\":")
                        if synthetic { writer.raw("null") } else { writer.int(span.end) }
                        writer.raw("}")
                    }
                case .tokens(let ids):
                    for (t, id) in ids.enumerated() {
                        if t > 0 { writer.raw(",") }
                        writer.raw("{\"id\":")
                        writer.int(Int(id))
                        writer.raw(",\"text\":")
                        writer.string(tokenizer.token(forId: id) ?? "")
                        writer.raw(",\"special\":")
                        writer.bool(tokenizer.specialTokenIds.contains(id))
                        writer.raw(",\"start\":null,\"stop\":null}")
                    }
                }
                writer.raw("]")
            }
            writer.raw("]")
            return Self.jsonReply(writer).response
        } catch {
            return failure(error, shape: .tei, route: route)
        }
    }

    /// TEI's `POST /decode`: `[String]`, one per list of ids.
    func decode(_ request: Request) async -> Response {
        let route = "/decode"
        do {
            let body = try await readBody(request)
            let payload = try JSONDecoder.decodeRequest(TEIDecodeRequest.self, from: body)
            let model = try registry.model(named: nil)
            let lists = payload.ids.lists
            if lists.isEmpty { throw EmbeddingError.empty("`ids` cannot be empty") }
            if lists.contains(where: \.isEmpty) { throw EmbeddingError.empty("Input validation error: `input_ids` cannot be empty") }
            if lists.count > configuration.maxClientBatchSize {
                throw EmbeddingError.validation(
                    "batch size \(lists.count) > maximum allowed batch size \(configuration.maxClientBatchSize)")
            }
            let vocabulary = model.tokenizer.vocabularySize
            for ids in lists {
                if let bad = ids.first(where: { $0 < 0 || Int($0) >= vocabulary }) {
                    throw EmbeddingError.tokenizer("token id \(bad) is outside the vocabulary (0..<\(vocabulary))")
                }
            }
            let skip = payload.skip_special_tokens ?? true
            var writer = JSONWriter(capacity: 1024)
            writer.raw("[")
            for (i, ids) in lists.enumerated() {
                if i > 0 { writer.raw(",") }
                writer.string(model.tokenizer.decode(ids, skipSpecialTokens: skip))
            }
            writer.raw("]")
            return Self.jsonReply(writer).response
        } catch {
            return failure(error, shape: .tei, route: route)
        }
    }
}
