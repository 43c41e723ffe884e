import CONNXRuntime
import EmbeddingCore
import Synchronization

/// Runs an ONNX encoder (BERT-style: `input_ids`, `attention_mask`, optional `token_type_ids`)
/// with ONNX Runtime, loaded at run time from `configuration.libraryPath`.
///
/// One `OrtEnv` serves the whole process (created with the library, on first use); each backend
/// owns one `OrtSession`, or two on the CPU with `concurrentRuns` above 1: one with every intra-op
/// thread for exclusive runs, one with a share of them for concurrent shared runs. (A CPU
/// session's threads work in lock step, so two runs on one session with many threads stall each
/// other; two runs each on its own core do not.)
public final class ONNXBackend: InferenceBackend {
    public let configuration: ONNXBackendConfiguration
    private let session: ORTSession
    private let sharedSession: ORTSession
    /// Why the session can no longer serve (a GPU failure seen by `run`); nil while healthy.
    private let lost = Mutex<String?>(nil)

    /// Loads ONNX Runtime (once per process), creates the session and checks the model's inputs
    /// and outputs. Throws `ONNXBackendError`.
    public init(configuration: ONNXBackendConfiguration) throws {
        self.configuration = configuration
        guard configuration.concurrentRuns >= 1 else {
            throw ONNXBackendError(.sessionCreation, "invalid concurrent runs \(configuration.concurrentRuns) (1 or more expected)")
        }
        let library = try ORTLibrary.shared(path: configuration.libraryPath)
        let session = try ORTSession(library: library, configuration: configuration)
        self.session = session
        if configuration.concurrentRuns > 1 && configuration.executionProvider == .cpu {
            var shared = configuration
            shared.intraOpThreads = configuration.sharedIntraOpThreads
            self.sharedSession = try ORTSession(library: library, configuration: shared)
        } else {
            self.sharedSession = session
        }
    }

    /// Every input the model takes, in the model's order (all of them are bound by `run`).
    public var inputNames: [String] { session.modelInputs.map(\.name) }
    /// The output `run` reads: `last_hidden_state`, else `token_embeddings`, else `logits`, else
    /// the first rank-3 float output.
    public var outputName: String { session.output.name }
    /// The output's last dimension when the model fixes it (384 for all-MiniLM-L6-v2).
    public var hiddenSize: Int? { session.outputWidth }
    /// The ONNX Runtime version the backend runs on, e.g. "1.31.1".
    public var runtimeVersion: String { session.library.version }

    public var maxBatchSize: Int? { nil }

    public var maxConcurrentRuns: Int { configuration.concurrentRuns }

    /// True for models whose `attention_mask` may hold segment numbers (see ``InferenceBackend``).
    public var acceptsPackedRows: Bool { session.acceptsSegments }

    public func health() throws {
        if let reason = lost.withLock({ $0 }) {
            throw ONNXBackendError(.run, "the ONNX Runtime session for \(configuration.modelPath) was lost: \(reason)")
        }
    }

    public func run(_ batch: Batch) throws -> ModelOutput {
        try run(batch, mode: .exclusive)
    }

    public func run(_ batch: Batch, mode: RunMode) throws -> ModelOutput {
        do {
            return try (mode == .shared ? sharedSession : session).run(batch)
        } catch let failure as ORTSession.RunFailure {
            let message = ExecutionProvider.oneLine(failure.message)
            if failure.ortCode == ORT_EP_FAIL || failure.ortCode == ORT_ENGINE_ERROR
                || (configuration.executionProvider != .cpu && ORTSession.looksLikeGPUFailure(message)
                    && !message.lowercased().contains("out of memory"))
            {
                lost.withLock { if $0 == nil { $0 = message } }
            }
            throw ONNXBackendError(.run, "ONNX Runtime run failed on a \(batch.size)×\(batch.sequenceLength) batch: \(message)")
        }
    }
}
