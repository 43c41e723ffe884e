/// How to build an `ONNXBackend`: which ONNX Runtime library, which model, where to run it.
public struct ONNXBackendConfiguration: Sendable {
    /// Path of `libonnxruntime.so` (dlopen'ed; a bare file name is searched on the library path).
    public var libraryPath: String
    /// The `.onnx` model file.
    public var modelPath: String
    public var executionProvider: ExecutionProvider = .cpu
    /// Threads used within an operator; 0 lets ONNX Runtime choose (one per physical core).
    public var intraOpThreads: Int = 0
    /// Threads used across operators; execution is sequential, so 1 is the sensible value.
    public var interOpThreads: Int = 1
    /// GPU ordinal for the CUDA and TensorRT providers.
    public var deviceId: Int = 0
    /// Whether idle intra-op threads spin before sleeping (ONNX Runtime's
    /// `session.intra_op.allow_spinning`). Spinning lowers the latency of the next operator but
    /// burns CPU that tokenization and HTTP share on a small machine.
    public var allowSpinning: Bool = true
    /// Further `AddSessionConfigEntry` key/value pairs, applied in key order.
    public var sessionConfigEntries: [String: String] = [:]

    public init(
        libraryPath: String,
        modelPath: String,
        executionProvider: ExecutionProvider = .cpu,
        intraOpThreads: Int = 0,
        interOpThreads: Int = 1,
        deviceId: Int = 0,
        allowSpinning: Bool = true,
        sessionConfigEntries: [String: String] = [:]
    ) {
        self.libraryPath = libraryPath
        self.modelPath = modelPath
        self.executionProvider = executionProvider
        self.intraOpThreads = intraOpThreads
        self.interOpThreads = interOpThreads
        self.deviceId = deviceId
        self.allowSpinning = allowSpinning
        self.sessionConfigEntries = sessionConfigEntries
    }
}
