import EmbeddingCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension EmbeddingService {
    func addRoutes(to router: Router<some RequestContext>) {
        router.post("/v1/embeddings") { request, _ in
            await self.cancellingOnDisconnect(request, shape: .openAI) { await self.serveEmbedding(.openAI, $0) }
        }
        router.post("/embeddings") { request, _ in
            await self.cancellingOnDisconnect(request, shape: .openAI) { await self.serveEmbedding(.openAI, $0) }
        }
        router.post("/embed") { request, _ in
            await self.cancellingOnDisconnect(request, shape: .tei) { await self.serveEmbedding(.tei, $0) }
        }
        router.post("/embed_sparse") { request, _ in
            await self.cancellingOnDisconnect(request, shape: .tei) { await self.serveEmbedding(.teiSparse, $0) }
        }
        router.post("/tokenize") { request, _ in await self.tokenize(request) }
        router.post("/decode") { request, _ in await self.decode(request) }
        router.get("/v1/models") { _, _ in self.listModels() }
        router.get("/v1/models/{name}") { _, context in self.showModel(context.parameters.get("name") ?? "") }
        router.get("/info") { _, _ in self.info() }
        router.get("/health") { _, _ in self.health() }
        router.get("/v2/health/ready") { _, _ in self.health() }
        router.get("/v2/health/live") { _, _ in Response(status: .ok) }
        router.get("/v2/models/{name}/ready") { _, context in self.modelReady(context.parameters.get("name") ?? "") }
        router.get("/metrics") { _, _ in self.metricsResponse() }
    }

    // MARK: shared request plumbing

    /// Bodies at least this large are served so that a client that disconnects cancels its work
    /// (its queued inputs are dropped before they run).
    static let cancellableBodySize = 2048

    /// Runs `handler`, cancelling it when the client closes the connection. Hummingbird can only
    /// watch for that by consuming the connection's inbound stream, which also closes the
    /// connection after the response, so small requests (cheap to finish, and the bulk of
    /// keep-alive traffic) are served plainly.
    func cancellingOnDisconnect(_ request: Request, shape: ErrorShape,
                                _ handler: (Request) async -> Response) async -> Response {
        guard let length = request.headers[.contentLength].flatMap(Int.init),
              length >= Self.cancellableBodySize, length <= configuration.payloadLimit
        else {
            return await handler(request)
        }
        do {
            var response = try await request.body.consumeWithCancellationOnInboundClose { body in
                var request = request
                request.body = body
                return await handler(request)
            }
            // Watching the inbound stream ends the connection after this response: say so, so
            // that keep-alive clients open a new one instead of reusing a closed one.
            response.headers[.connection] = "close"
            return response
        } catch {
            // The client is gone (the handler counted the dropped request); nobody reads this.
            return APIError.response(error: EmbeddingError(.cancelled, "the client closed the connection"), shape: shape)
        }
    }

    /// Reads the body within `--payload-limit`, answering 413 past it.
    func readBody(_ request: Request) async throws -> Data {
        let limit = configuration.payloadLimit
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw EmbeddingError.payloadTooLarge("Payload too large: the body is \(length) bytes, the limit is \(limit) (--payload-limit)")
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw EmbeddingError.payloadTooLarge("Payload too large: the body is larger than the limit of \(limit) bytes (--payload-limit)")
        }
    }

    /// Checks the number of inputs against `--max-client-batch-size`.
    func validateBatch(_ payload: InputPayload) throws {
        if payload.count == 0 { throw EmbeddingError.empty("`inputs` cannot be empty") }
        if payload.count > configuration.maxClientBatchSize {
            throw EmbeddingError.validation(
                "batch size \(payload.count) > maximum allowed batch size \(configuration.maxClientBatchSize)")
        }
    }

    /// Resolves `prompt_name` (or the server's default) against the model's prompts.
    func prompt(named name: String?, for model: ServedModel) throws -> String? {
        if let name {
            guard let prompt = model.directory.prompts[name] else {
                let known = model.directory.prompts.keys.sorted()
                throw EmbeddingError.validation(
                    "Input validation error: prompt name `\(name)` is not in the model's prompts"
                        + (known.isEmpty ? " (the model defines none)" : " (\(known.joined(separator: ", ")))"))
            }
            return prompt
        }
        if let prompt = configuration.defaultPrompt { return prompt }
        if let defaultName = configuration.defaultPromptName ?? model.directory.defaultPromptName {
            return model.directory.prompts[defaultName]
        }
        return nil
    }

    /// Checks `dimensions` (Matryoshka) against the model's width.
    func validateDimensions(_ dimensions: Int?, model: ServedModel) throws {
        guard let dimensions else { return }
        if dimensions < 1 {
            throw EmbeddingError.validation("Input validation error: `dimensions` should be positive")
        }
        if dimensions > model.dimension {
            throw EmbeddingError.validation(
                "Input validation error: `dimensions` should be smaller than the maximum embedding dimension (\(model.dimension)), got \(dimensions)")
        }
    }

    /// Pools, normalizes and truncates one request's outputs; runs on the request's event loop or
    /// in its task, off the inference thread.
    func vectors(_ result: EmbeddingResult, model: ServedModel, normalize: Bool, dimensions: Int?) -> [[Float]] {
        result.outputs.map { token in
            var vector = model.pooling.pool(token.output, row: token.row, offset: token.offset, length: token.length)
            if normalize { vector.normalizeL2() }
            if let dimensions { vector = vector.truncated(toDimensions: dimensions, normalize: normalize) }
            return vector
        }
    }

    /// TEI's timing headers, in milliseconds.
    func timingHeaders(_ result: EmbeddingResult, started: UInt64, characters: Int) -> HTTPFields {
        let total = DispatchTime.now().uptimeNanoseconds - started
        let inference = result.inferenceNanoseconds
        var headers = HTTPFields()
        headers[.computeType] = configuration.computeType
        headers[.computeTime] = String(total / 1_000_000)
        headers[.computeCharacters] = String(characters)
        headers[.computeTokens] = String(result.totalTokens)
        headers[.totalTime] = String(total / 1_000_000)
        headers[.tokenizationTime] = String(result.tokenizationNanoseconds / 1_000_000)
        headers[.queueTime] = String(result.queueNanoseconds / 1_000_000)
        headers[.inferenceTime] = String(inference / 1_000_000)
        return headers
    }

    /// Turns any error into the route's error response, and counts it.
    func failure(_ error: Error, shape: ErrorShape, route: String, param: String? = nil) -> Response {
        failureReply(error, shape: shape, route: route, param: param).response
    }

    /// ``failure(_:shape:route:param:)`` as a ``Reply``.
    func failureReply(_ error: Error, shape: ErrorShape, route: String, param: String? = nil) -> Reply {
        let embeddingError: EmbeddingError
        if let e = error as? EmbeddingError {
            embeddingError = e
        } else {
            logger.error("unexpected error on \(route): \(error)")
            embeddingError = EmbeddingError.backend("internal error")
        }
        if embeddingError.kind != .unauthorized { metrics.recordFailure(kind: embeddingError.kind) }
        return APIError.reply(error: embeddingError, shape: shape, param: param ?? Self.param(for: embeddingError))
    }

    private static func param(for error: EmbeddingError) -> String? {
        switch error.kind {
        case .modelNotFound: "model"
        case .empty, .payloadTooLarge: "input"
        default: nil
        }
    }

    static func jsonReply(_ writer: JSONWriter, headers: HTTPFields = [:]) -> Reply {
        var fields = headers
        fields[.contentType] = "application/json"
        return Reply(status: .ok, headers: fields, body: writer.buffer)
    }
}

/// TEI's timing headers, built once rather than validated on every response.
extension HTTPField.Name {
    static let computeType = HTTPField.Name("x-compute-type")!
    static let computeTime = HTTPField.Name("x-compute-time")!
    static let computeCharacters = HTTPField.Name("x-compute-characters")!
    static let computeTokens = HTTPField.Name("x-compute-tokens")!
    static let totalTime = HTTPField.Name("x-total-time")!
    static let tokenizationTime = HTTPField.Name("x-tokenization-time")!
    static let queueTime = HTTPField.Name("x-queue-time")!
    static let inferenceTime = HTTPField.Name("x-inference-time")!
}
