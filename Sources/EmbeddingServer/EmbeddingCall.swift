import EmbeddingCore
import Foundation
import Hummingbird

/// The routes that run the model. The router serves them, and so does ``EmbeddingFastPath``,
/// with the same parsing, validation and answers.
enum EmbeddingRoute: Sendable {
    /// `POST /v1/embeddings` and `POST /embeddings`.
    case openAI
    /// TEI's `POST /embed`.
    case tei
    /// TEI's `POST /embed_sparse`.
    case teiSparse

    init?(path: String) {
        switch path {
        case "/v1/embeddings", "/embeddings": self = .openAI
        case "/embed": self = .tei
        case "/embed_sparse": self = .teiSparse
        default: return nil
        }
    }

    /// The name errors are logged under.
    var name: String {
        switch self {
        case .openAI: "/v1/embeddings"
        case .tei: "/embed"
        case .teiSparse: "/embed_sparse"
        }
    }

    var shape: ErrorShape { self == .openAI ? .openAI : .tei }
}

/// One embedding request, read and validated, that needs only the model's result to be
/// answered.
struct EmbeddingCall: Sendable {
    let route: EmbeddingRoute
    let model: ServedModel
    let inputs: InputPayload
    let options: EmbeddingOptions
    /// When the request arrived (`DispatchTime` nanoseconds), for the timing headers and metrics.
    let started: UInt64
    /// Pools the result and writes the route's JSON body.
    let body: @Sendable (EmbeddingResult) -> JSONWriter
}

extension EmbeddingService {
    /// Parses and validates a request body for `route`; throws ``EmbeddingError`` for the client.
    func embeddingCall(_ route: EmbeddingRoute, body: Data, started: UInt64) throws -> EmbeddingCall {
        switch route {
        case .openAI: try openAIEmbeddingsCall(body: body, started: started)
        case .tei: try teiEmbedCall(body: body, started: started)
        case .teiSparse: try teiEmbedSparseCall(body: body, started: started)
        }
    }

    /// The router's way: read the body, await the model, answer.
    func serveEmbedding(_ route: EmbeddingRoute, _ request: Request) async -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let call: EmbeddingCall
        do {
            call = try embeddingCall(route, body: try await readBody(request), started: started)
        } catch {
            return failure(error, shape: route.shape, route: route.name)
        }
        metrics.recordInputs(call.inputs.count)
        let result: Result<EmbeddingResult, Error>
        do {
            result = .success(try await call.model.pipeline.embed(call.inputs.inputs, options: call.options))
        } catch {
            result = .failure(error)
        }
        return reply(to: call, result: result).response
    }

    /// Hands `call` to its model's pipeline; `completion` gets the result on the thread that
    /// finishes it (see ``EmbeddingPipeline/submit(_:options:completion:)``). Throws when the
    /// model refuses the inputs at once (overloaded, stopping).
    func submit(_ call: EmbeddingCall,
                completion: @escaping @Sendable (Result<EmbeddingResult, Error>) -> Void) throws -> EmbeddingTicket {
        metrics.recordInputs(call.inputs.count)
        return try call.model.pipeline.submit(call.inputs.inputs, options: call.options, completion: completion)
    }

    /// The answer to `call`: its body with TEI's timing headers, or the error in its route's shape.
    /// Counts the request in the metrics either way.
    func reply(to call: EmbeddingCall, result: Result<EmbeddingResult, Error>) -> Reply {
        switch result {
        case .success(let result):
            let writer = call.body(result)
            metrics.recordSuccess(batch: call.inputs.isBatch, result: result, started: call.started)
            return Self.jsonReply(writer, headers: timingHeaders(result, started: call.started,
                                                                  characters: call.inputs.characterCount))
        case .failure(is CancellationError):
            return failureReply(EmbeddingError(.cancelled, "the client closed the request"), shape: call.route.shape, route: call.route.name)
        case .failure(let error):
            return failureReply(error, shape: call.route.shape, route: call.route.name)
        }
    }
}
