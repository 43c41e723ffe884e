import CONNXRuntime
import EmbeddingCore
import Synchronization

/// Runs an ONNX encoder (BERT-style: `input_ids`, `attention_mask`, optional `token_type_ids`)
/// with ONNX Runtime, loaded at run time from `configuration.libraryPath`.
///
/// One `OrtEnv` serves the whole process (created with the library, on first use); each backend
/// owns one `OrtSession`.
public final class ONNXBackend: InferenceBackend {
    public let configuration: ONNXBackendConfiguration
    private let session: ORTSession
    /// Why the session can no longer serve (a GPU failure seen by `run`); nil while healthy.
    private let lost = Mutex<String?>(nil)

    /// Loads ONNX Runtime (once per process), creates the session and checks the model's inputs
    /// and outputs. Throws `ONNXBackendError`.
    public init(configuration: ONNXBackendConfiguration) throws {
        self.configuration = configuration
        let library = try ORTLibrary.shared(path: configuration.libraryPath)
        self.session = try ORTSession(library: library, configuration: configuration)
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

    /// True for models whose `attention_mask` may hold segment numbers (see ``InferenceBackend``).
    public var acceptsPackedRows: Bool { session.acceptsSegments }

    public func health() throws {
        if let reason = lost.withLock({ $0 }) {
            throw ONNXBackendError(.run, "the ONNX Runtime session for \(configuration.modelPath) was lost: \(reason)")
        }
    }

    public func run(_ batch: Batch) throws -> ModelOutput {
        do {
            return try session.run(batch)
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
