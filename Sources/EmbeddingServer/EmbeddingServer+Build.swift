import EmbeddingCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Makes the backend for one model directory (the executable passes ONNX Runtime's; tests may
/// pass another). Called on a background thread while the server already answers /health.
public typealias BackendFactory = @Sendable (ModelDirectory) throws -> InferenceBackend

/// Builds quiver-embed's HTTP application: routes, auth, metrics, and a service that loads the
/// models after the listener is up (so /health answers 503 until they are ready) and drains them
/// on graceful shutdown. `main` and the tests both call this.
public func buildEmbeddingServer(
    configuration: EmbeddingServerConfiguration,
    backendFactory: @escaping BackendFactory,
    logger: Logger = Logger(label: "quiver-embed"),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    try configuration.validate()
    let service = EmbeddingService(configuration: configuration, logger: logger)
    let router = Router()
    // Middleware here does not see the embedding routes while the fast path serves them:
    // EmbeddingFastPath applies `--api-key` itself, and anything added here must be added there too.
    if let apiKey = configuration.apiKey {
        router.middlewares.add(BearerAuthMiddleware(apiKey: apiKey))
    }
    service.addRoutes(to: router)
    let loader = ModelLoaderService(service: service, backendFactory: backendFactory)
    let serverName = "quiver-embed"
    let fastPath = configuration.fastPath
    // An autoclosure: each connection gets its own handler.
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers:
            fastPath ? [EmbeddingFastPath(service: service, serverName: serverName)] : [])),
        configuration: .init(address: .hostname(configuration.hostname, port: configuration.port), serverName: serverName),
        services: [loader],
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger
    )
}

/// The state the routes share: configuration, the models, metrics.
final class EmbeddingService: Sendable {
    let configuration: EmbeddingServerConfiguration
    let registry = ModelRegistry()
    let metrics = ServerMetrics()
    let logger: Logger

    init(configuration: EmbeddingServerConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }
}

/// Loads every model when the application starts and drains their pipelines when it stops.
struct ModelLoaderService: Service {
    let service: EmbeddingService
    let backendFactory: BackendFactory

    func run() async throws {
        let models: [ServedModel]
        do {
            models = try await runOnThread { try loadModels() }
        } catch {
            let message = (error as? EmbeddingError)?.message ?? "\(error)"
            service.registry.setFailed(message)
            service.logger.critical("failed to load models: \(message)")
            throw error
        }
        service.registry.setReady(models)
        for model in models {
            service.logger.info("serving model", metadata: [
                "name": "\(model.name)", "directory": "\(model.directory.url.path)", "pooling": "\(model.pooling.rawValue)",
                "dimension": "\(model.dimension)", "max_input_length": "\(model.maxInputLength)",
            ])
        }
        // Serve until the service group asks us to stop. The HTTP server stops before us
        // (services shut down in reverse order), so by now no new request arrives.
        try? await gracefulShutdown()
        service.registry.setStopping()
        for model in models { await model.pipeline.shutdownGracefully() }
        service.logger.info("all in-flight work finished")
    }

    private func loadModels() throws -> [ServedModel] {
        let configuration = service.configuration
        var models: [ServedModel] = []
        for spec in configuration.models {
            let directory = try ModelDirectory(url: URL(fileURLWithPath: spec.directory))
            let tokenizer: Tokenizer
            do {
                tokenizer = try Tokenizer(contentsOf: directory.tokenizerURL)
            } catch {
                throw EmbeddingError.configuration("\(directory.tokenizerURL.path): \(error)")
            }
            let backend = try backendFactory(directory)
            let pooling = spec.pooling ?? directory.pooling
            let dimension = pooling == .splade ? max(directory.vocabularySize, tokenizer.vocabularySize) : directory.hiddenSize
            let metrics = service.metrics
            let pipeline = try EmbeddingPipeline(
                tokenizer: tokenizer, backend: backend,
                configuration: .init(
                    maxBatchTokens: configuration.maxBatchTokens,
                    maxBatchRequests: configuration.maxBatchRequests,
                    maxConcurrentInputs: configuration.maxConcurrentRequests,
                    tokenizationWorkers: configuration.tokenizationWorkers ?? ProcessInfo.processInfo.activeProcessorCount,
                    maxInputLength: directory.maxInputLength,
                    maxRowsPerRun: configuration.maxRunSize,
                    packingLength: configuration.packingLength),
                observer: { metrics.recordBatch($0) })
            pipeline.start()
            let name = spec.servedName ?? directory.defaultServedName
            models.append(ServedModel(name: name, directory: directory, pipeline: pipeline, pooling: pooling, dimension: dimension))
        }
        return models
    }
}

/// Runs blocking work on a fresh thread so it never stalls the cooperative pool or an event loop.
func runOnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try work() })
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
