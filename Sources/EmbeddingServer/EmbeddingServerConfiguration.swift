import EmbeddingCore

/// Everything quiver-embed's HTTP server needs, filled in by the executable from flags and the
/// environment (this library reads neither). Defaults follow TEI's where TEI has the setting.
public struct EmbeddingServerConfiguration: Sendable {
    /// One model directory to serve.
    public struct Model: Sendable {
        /// Directory in Hugging Face layout with model.onnx or onnx/model.onnx.
        public var directory: String
        /// Name clients use in `model`; defaults to the directory's name.
        public var servedName: String?
        /// Overrides the pooling of `1_Pooling/config.json`.
        public var pooling: Pooling?
        public init(directory: String, servedName: String? = nil, pooling: Pooling? = nil) {
            self.directory = directory
            self.servedName = servedName
            self.pooling = pooling
        }
    }

    public var models: [Model]
    public var hostname: String = "0.0.0.0"
    public var port: Int = 3000
    /// Most inputs in flight per model before 429 (`--max-concurrent-requests`).
    public var maxConcurrentRequests: Int = 512
    public var maxBatchTokens: Int = 16384
    public var maxBatchRequests: Int? = nil
    /// Most sequences per model run; each batch is sorted by length and cut into runs to cut padding.
    public var maxRunSize: Int = 64
    /// Tokens of one packed row (`--packing-length`): with a segment-aware model, sequences
    /// shorter than this share rows instead of being padded. 0: never.
    public var packingLength: Int = 64
    /// Most inputs in one request (`--max-client-batch-size`).
    public var maxClientBatchSize: Int = 32
    public var tokenizationWorkers: Int? = nil
    /// Truncate inputs that are too long instead of refusing them, unless the request says otherwise.
    public var autoTruncate: Bool = false
    /// Serve the embedding routes in the HTTP pipeline on the connection's event loop
    /// (``EmbeddingFastPath``); false (`--no-fast-path`) sends them through the router like the rest.
    public var fastPath: Bool = true
    /// Largest request body in bytes (`--payload-limit`).
    public var payloadLimit: Int = 2_000_000
    /// When set, every route but the health checks and /metrics requires `Authorization: Bearer <key>`.
    public var apiKey: String? = nil
    /// Prompt name from config_sentence_transformers.json applied when a request names none.
    public var defaultPromptName: String? = nil
    /// Literal prompt applied when a request names none (TEI's `--default-prompt`).
    public var defaultPrompt: String? = nil
    /// What `x-compute-type` reports ("cpu", "cuda", "tensorrt").
    public var computeType: String = "cpu"
    /// Version string reported by /info.
    public var version: String = "0.1.0"

    public init(models: [Model]) {
        self.models = models
    }

    /// Refuses settings that cannot work, naming the flag.
    public func validate() throws {
        if models.isEmpty { throw EmbeddingError.configuration("at least one --model-id is required") }
        if maxClientBatchSize < 1 { throw EmbeddingError.configuration("--max-client-batch-size must be at least 1") }
        if payloadLimit < 1 { throw EmbeddingError.configuration("--payload-limit must be at least 1") }
        if !(0...65535).contains(port) { throw EmbeddingError.configuration("--port must be between 0 and 65535") }
        if defaultPrompt != nil && defaultPromptName != nil {
            throw EmbeddingError.configuration("--default-prompt and --default-prompt-name cannot both be set")
        }
        var seen = Set<String>()
        for model in models {
            let name = model.servedName ?? model.directory
            if !seen.insert(name).inserted {
                throw EmbeddingError.configuration("two models are served under the same name \"\(name)\"; give each a --served-model-name")
            }
        }
    }
}
