import ArgumentParser
import EmbeddingCore
import EmbeddingServer
import Foundation
import Hummingbird
import Logging
import ONNXBackend

/// quiver-embed: flags (each also read from its upper-case environment variable, as TEI does)
/// → configuration structs → `buildEmbeddingServer`. Nothing else lives here.
@main
struct QuiverEmbed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiver-embed",
        abstract: "OpenAI- and TEI-compatible text-embedding server on ONNX Runtime.",
        discussion: "Every option can also be set with the upper-case environment variable of its name (--max-batch-tokens: MAX_BATCH_TOKENS); a flag wins over the variable.")

    @Option(name: .long, help: "Model directory in Hugging Face layout with model.onnx or onnx/model.onnx. Repeat to serve several. [env: MODEL_ID, comma-separated]")
    var modelId: [String] = []

    @Option(name: .long, help: "Name a model is served under (default: its directory's name). Repeat once per --model-id. [env: SERVED_MODEL_NAME]")
    var servedModelName: [String] = []

    @Option(name: .long, help: "Inputs in flight per model before requests are refused with 429. [default: 512]")
    var maxConcurrentRequests: Int?

    @Option(name: .long, help: "Padded tokens per batch (longest × count). [default: 16384]")
    var maxBatchTokens: Int?

    @Option(name: .long, help: "Sequences per batch. [default: no limit beyond --max-batch-tokens]")
    var maxBatchRequests: Int?

    @Option(name: .long, help: "Sequences per model run: each batch is sorted by length and cut into runs of at most this many to cut padding. [default: 64]")
    var maxRunSize: Int?

    @Option(name: .long, help: "Tokens per packed row: with a segment-aware model (hack/export-onnx.py's default form), sequences shorter than this share rows instead of being padded; 0 turns packing off. [default: 64]")
    var packingLength: Int?

    @Option(name: .long, help: "Inputs one request may carry. [default: 32]")
    var maxClientBatchSize: Int?

    @Option(name: .long, help: "Tokenization threads. [default: number of CPU cores]")
    var tokenizationWorkers: Int?

    @Option(name: .long, help: "Pooling: cls, mean, splade or last-token. [default: from 1_Pooling/config.json]")
    var pooling: String?

    @Flag(name: .long, help: "Truncate inputs longer than the model's limit instead of refusing them. [env: AUTO_TRUNCATE]")
    var autoTruncate = false

    @Option(name: .long, help: "Largest request body in bytes. [default: 2000000]")
    var payloadLimit: Int?

    @Flag(name: .long, help: "Serve the embedding routes through the router like the other routes, instead of on the connection's event loop (slower; for comparison). [env: NO_FAST_PATH]")
    var noFastPath = false

    @Option(name: .long, help: "Require `Authorization: Bearer <key>` on every route but the health checks and /metrics.")
    var apiKey: String?

    @Option(name: .long, help: "Prompt name from config_sentence_transformers.json to apply when a request names none.")
    var defaultPromptName: String?

    @Option(name: .long, help: "Literal prompt to prepend when a request names none.")
    var defaultPrompt: String?

    @Option(name: .long, help: "Address to listen on. [default: 0.0.0.0]")
    var hostname: String?

    @Option(name: .shortAndLong, help: "Port to listen on. [default: 3000]")
    var port: Int?

    @Option(name: .long, help: "ONNX Runtime execution provider: cpu, cuda or tensorrt. [default: cpu]")
    var executionProvider: String?

    @Option(name: .long, help: "Path of libonnxruntime.so. [env: ONNXRUNTIME_LIBRARY] [default: libonnxruntime.so on the loader's search path]")
    var onnxruntimeLibrary: String?

    @Option(name: .long, help: "ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose (one per core). [default: 0]")
    var intraOpThreads: Int?

    @Option(name: .long, help: "Let idle ONNX Runtime intra-op threads spin (true) or sleep (false). [default: true]")
    var intraOpSpinning: Bool?

    @Option(name: .long, help: "GPU device for cuda and tensorrt. [default: 0]")
    var deviceId: Int?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical. [default: info]")
    var logLevel: String?

    func run() async throws {
        let env = Environment.process
        let level = Logger.Level(rawValue: logLevel ?? env.string("LOG_LEVEL") ?? "info") ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "quiver-embed")

        let modelDirectories = modelId.isEmpty ? (env.list("MODEL_ID") ?? []) : modelId
        let names = servedModelName.isEmpty ? (env.list("SERVED_MODEL_NAME") ?? []) : servedModelName
        guard !modelDirectories.isEmpty else {
            throw ValidationError("--model-id is required (a model directory with tokenizer.json and model.onnx)")
        }
        guard names.isEmpty || names.count == modelDirectories.count else {
            throw ValidationError("--served-model-name was given \(names.count) times for \(modelDirectories.count) --model-id; give one per model or none")
        }
        var poolingOverride: Pooling?
        if let raw = pooling ?? env.string("POOLING") {
            guard let parsed = Pooling(rawValue: raw) else {
                throw ValidationError("--pooling must be one of cls, mean, splade, last-token (got \"\(raw)\")")
            }
            poolingOverride = parsed
        }
        let providerName = executionProvider ?? env.string("EXECUTION_PROVIDER") ?? "cpu"
        guard let provider = ExecutionProvider(rawValue: providerName) else {
            throw ValidationError("--execution-provider must be one of cpu, cuda, tensorrt (got \"\(providerName)\")")
        }

        var server = EmbeddingServerConfiguration(models: modelDirectories.enumerated().map { i, directory in
            .init(directory: directory, servedName: names.isEmpty ? nil : names[i], pooling: poolingOverride)
        })
        server.maxConcurrentRequests = try maxConcurrentRequests ?? env.int("MAX_CONCURRENT_REQUESTS") ?? 512
        server.maxBatchTokens = try maxBatchTokens ?? env.int("MAX_BATCH_TOKENS") ?? 16384
        server.maxBatchRequests = try maxBatchRequests ?? env.int("MAX_BATCH_REQUESTS")
        server.maxRunSize = try maxRunSize ?? env.int("MAX_RUN_SIZE") ?? 64
        server.packingLength = try packingLength ?? env.int("PACKING_LENGTH") ?? 64
        server.maxClientBatchSize = try maxClientBatchSize ?? env.int("MAX_CLIENT_BATCH_SIZE") ?? 32
        server.tokenizationWorkers = try tokenizationWorkers ?? env.int("TOKENIZATION_WORKERS")
        server.autoTruncate = autoTruncate || env.bool("AUTO_TRUNCATE")
        server.fastPath = !(noFastPath || env.bool("NO_FAST_PATH"))
        server.payloadLimit = try payloadLimit ?? env.int("PAYLOAD_LIMIT") ?? 2_000_000
        server.apiKey = apiKey ?? env.string("API_KEY")
        server.defaultPromptName = defaultPromptName ?? env.string("DEFAULT_PROMPT_NAME")
        server.defaultPrompt = defaultPrompt ?? env.string("DEFAULT_PROMPT")
        server.hostname = hostname ?? "0.0.0.0"
        server.port = try port ?? env.int("PORT") ?? 3000
        server.computeType = provider.rawValue

        let backend = ONNXBackendConfiguration(
            libraryPath: onnxruntimeLibrary ?? env.string("ONNXRUNTIME_LIBRARY") ?? "libonnxruntime.so",
            modelPath: "",
            executionProvider: provider,
            intraOpThreads: try intraOpThreads ?? env.int("INTRA_OP_THREADS") ?? 0,
            deviceId: try deviceId ?? env.int("DEVICE_ID") ?? 0,
            allowSpinning: intraOpSpinning ?? env.string("INTRA_OP_SPINNING").map { ["1", "true", "yes", "on"].contains($0.lowercased()) } ?? true)

        let hostname = server.hostname
        do {
            let app = try buildEmbeddingServer(
                configuration: server,
                backendFactory: { directory in
                    var configuration = backend
                    configuration.modelPath = directory.onnxURL.path
                    return try ONNXBackend(configuration: configuration)
                },
                logger: logger,
                onServerRunning: { port in
                    logger.info("listening", metadata: ["address": "\(hostname):\(port)"])
                })
            try await app.runService()
        } catch let error as EmbeddingError {
            throw ValidationError(error.message)
        }
    }
}

/// The environment, read in the executable only.
struct Environment {
    let values: [String: String]
    static var process: Environment { Environment(values: ProcessInfo.processInfo.environment) }

    func string(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    func int(_ name: String) throws -> Int? {
        guard let raw = string(name) else { return nil }
        guard let value = Int(raw) else { throw ValidationError("\(name)=\(raw) is not an integer") }
        return value
    }

    func bool(_ name: String) -> Bool {
        guard let raw = string(name)?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(raw)
    }

    func list(_ name: String) -> [String]? {
        string(name)?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
