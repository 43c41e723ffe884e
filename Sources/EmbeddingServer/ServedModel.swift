import EmbeddingCore
import Foundation

/// A loaded model: its files, its pipeline and the settings requests resolve against.
public struct ServedModel: Sendable {
    public var name: String
    public var directory: ModelDirectory
    public var pipeline: EmbeddingPipeline
    public var pooling: Pooling
    /// Length of the pooled vector (hidden size, or vocabulary size for SPLADE).
    public var dimension: Int
    public var createdAt: Date

    public var tokenizer: Tokenizer { pipeline.tokenizer }
    public var maxInputLength: Int { directory.maxInputLength }

    public init(name: String, directory: ModelDirectory, pipeline: EmbeddingPipeline, pooling: Pooling, dimension: Int, createdAt: Date = Date()) {
        self.name = name
        self.directory = directory
        self.pipeline = pipeline
        self.pooling = pooling
        self.dimension = dimension
        self.createdAt = createdAt
    }
}

/// The models of one server. Starts empty ("loading", /health answers 503) and is filled once the
/// loader has built every model.
public final class ModelRegistry: @unchecked Sendable {
    public enum State: Sendable {
        case loading
        case ready
        case failed(String)
        case stopping
    }

    private let lock = NSLock()
    private var _state: State = .loading
    private var _models: [ServedModel] = []

    public init() {}

    public var state: State { lock.withLock { _state } }

    public var models: [ServedModel] { lock.withLock { _models } }

    public var isReady: Bool {
        if case .ready = state { return true }
        return false
    }

    func setReady(_ models: [ServedModel]) {
        lock.withLock {
            _models = models
            _state = .ready
        }
    }

    func setFailed(_ message: String) { lock.withLock { _state = .failed(message) } }

    func setStopping() { lock.withLock { _state = .stopping } }

    /// The served models, or the 503 error that says why there are none to serve.
    func readyModels() throws -> [ServedModel] {
        let (state, models) = lock.withLock { (_state, _models) }
        switch state {
        case .loading: throw EmbeddingError.unhealthy("the model is still loading")
        case .failed(let message): throw EmbeddingError.unhealthy("the model failed to load: \(message)")
        case .stopping: throw EmbeddingError.unhealthy("the server is shutting down")
        case .ready: return models
        }
    }

    /// The model a request names, or the first one when it names none.
    func model(named name: String?) throws -> ServedModel {
        let models = try readyModels()
        guard let name, !name.isEmpty else { return models[0] }
        if let model = models.first(where: { $0.name == name }) { return model }
        throw EmbeddingError.modelNotFound("The model `\(name)` does not exist. Served models: \(models.map(\.name).joined(separator: ", "))")
    }
}
