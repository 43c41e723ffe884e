import EmbeddingCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension EmbeddingService {
    /// TEI's `GET /info`, for the first (default) model, plus `models` listing every served one.
    func info() -> Response {
        let models = registry.models
        var writer = JSONWriter(capacity: 1024)
        writer.raw("{")
        if let model = models.first {
            writeInfoFields(model, into: &writer)
            writer.raw(",")
        }
        writer.raw("\"max_concurrent_requests\":")
        writer.int(configuration.maxConcurrentRequests)
        writer.raw(",\"max_batch_tokens\":")
        writer.int(configuration.maxBatchTokens)
        writer.raw(",\"max_batch_requests\":")
        if let requests = configuration.maxBatchRequests { writer.int(requests) } else { writer.raw("null") }
        writer.raw(",\"max_client_batch_size\":")
        writer.int(configuration.maxClientBatchSize)
        writer.raw(",\"auto_truncate\":")
        writer.bool(configuration.autoTruncate)
        writer.raw(",\"tokenization_workers\":")
        writer.int(configuration.tokenizationWorkers ?? ProcessInfo.processInfo.activeProcessorCount)
        writer.raw(",\"version\":")
        writer.string(configuration.version)
        writer.raw(",\"sha\":null,\"docker_label\":null,\"models\":[")
        for (i, model) in models.enumerated() {
            if i > 0 { writer.raw(",") }
            writer.raw("{")
            writeInfoFields(model, into: &writer)
            writer.raw("}")
        }
        writer.raw("]}")
        return Self.jsonReply(writer).response
    }

    private func writeInfoFields(_ model: ServedModel, into writer: inout JSONWriter) {
        writer.raw("\"model_id\":")
        writer.string(model.directory.url.path)
        writer.raw(",\"served_model_name\":")
        writer.string(model.name)
        writer.raw(",\"model_sha\":null,\"model_dtype\":\"float32\",\"model_type\":{\"embedding\":{\"pooling\":")
        writer.string(model.pooling.rawValue)
        writer.raw("}},\"max_input_length\":")
        writer.int(model.maxInputLength)
        writer.raw(",\"dimension\":")
        writer.int(model.dimension)
        writer.raw(",\"prompts\":[")
        for (i, name) in model.directory.prompts.keys.sorted().enumerated() {
            if i > 0 { writer.raw(",") }
            writer.string(name)
        }
        writer.raw("]")
    }

    /// `GET /health` and KServe's `/v2/health/ready`: 200 once every model is loaded and its
    /// backend is healthy, else 503 in TEI's shape.
    func health() -> Response {
        do {
            for model in try registry.readyModels() {
                do {
                    try model.pipeline.backend.health()
                } catch {
                    throw EmbeddingError.unhealthy("model \(model.name) is unhealthy: \(error)")
                }
            }
            return Response(status: .ok)
        } catch {
            // Probes are not requests: answer without counting a failure.
            return APIError.response(error: (error as? EmbeddingError) ?? .unhealthy("\(error)"), shape: .tei)
        }
    }

    /// KServe v2 `GET /v2/models/{name}/ready`.
    func modelReady(_ name: String) -> Response {
        do {
            guard try registry.readyModels().contains(where: { $0.name == name }) else {
                throw EmbeddingError.modelNotFound("The model `\(name)` does not exist")
            }
        } catch {
            return APIError.response(error: (error as? EmbeddingError) ?? .unhealthy("\(error)"), shape: .tei)
        }
        var writer = JSONWriter(capacity: 64)
        writer.raw("{\"name\":")
        writer.string(name)
        writer.raw(",\"ready\":true}")
        return Self.jsonReply(writer).response
    }

    /// `GET /metrics`, Prometheus text format.
    func metricsResponse() -> Response {
        let bytes = metrics.render()
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: buffer))
    }
}
