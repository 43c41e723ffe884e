import Foundation

/// A sentence-transformers model in Hugging Face layout, as read from disk: `config.json`,
/// `tokenizer.json`, `sentence_bert_config.json`, `1_Pooling/config.json`, `modules.json`,
/// `config_sentence_transformers.json`, and `model.onnx` or `onnx/model.onnx`.
public struct ModelDirectory: Sendable {
    public var url: URL
    /// `model_type` from config.json (for example "bert").
    public var modelType: String
    public var hiddenSize: Int
    public var vocabularySize: Int
    public var maxPositionEmbeddings: Int
    /// The longest input in tokens, special tokens included: `max_seq_length` from
    /// sentence_bert_config.json, else `max_position_embeddings`.
    public var maxInputLength: Int
    /// Pooling from `1_Pooling/config.json` (mean when the file is absent).
    public var pooling: Pooling
    /// Whether `modules.json` lists a Normalize module.
    public var hasNormalizeModule: Bool
    /// Named prompts from config_sentence_transformers.json.
    public var prompts: [String: String]
    public var defaultPromptName: String?
    public var tokenizerURL: URL
    public var onnxURL: URL

    public init(url: URL) throws {
        self.url = url
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw EmbeddingError.configuration("model directory \(url.path) does not exist")
        }
        let config = try Self.readJSON(url.appendingPathComponent("config.json"), required: true) ?? [:]
        modelType = config["model_type"] as? String ?? "unknown"
        hiddenSize = config["hidden_size"] as? Int ?? 0
        vocabularySize = config["vocab_size"] as? Int ?? 0
        maxPositionEmbeddings = config["max_position_embeddings"] as? Int ?? 512

        let sbert = try Self.readJSON(url.appendingPathComponent("sentence_bert_config.json"), required: false)
        if let max = sbert?["max_seq_length"] as? Int, max > 0 {
            maxInputLength = min(max, maxPositionEmbeddings)
        } else {
            maxInputLength = maxPositionEmbeddings
        }

        let modules = try Self.readJSONArray(url.appendingPathComponent("modules.json"))
        var poolingPath = "1_Pooling"
        hasNormalizeModule = false
        for module in modules {
            let type = module["type"] as? String ?? ""
            if type.hasSuffix(".Pooling"), let path = module["path"] as? String { poolingPath = path }
            if type.hasSuffix(".Normalize") { hasNormalizeModule = true }
        }
        let poolingConfig = try Self.readJSON(url.appendingPathComponent(poolingPath).appendingPathComponent("config.json"), required: false)
        pooling = try Self.pooling(from: poolingConfig)

        let st = try Self.readJSON(url.appendingPathComponent("config_sentence_transformers.json"), required: false)
        prompts = st?["prompts"] as? [String: String] ?? [:]
        defaultPromptName = st?["default_prompt_name"] as? String

        tokenizerURL = url.appendingPathComponent("tokenizer.json")
        guard fm.fileExists(atPath: tokenizerURL.path) else {
            throw EmbeddingError.configuration("model directory \(url.path) has no tokenizer.json")
        }
        let candidates = ["model.onnx", "onnx/model.onnx"].map { url.appendingPathComponent($0) }
        guard let onnx = candidates.first(where: { fm.fileExists(atPath: $0.path) }) else {
            throw EmbeddingError.configuration(
                "model directory \(url.path) has no model.onnx or onnx/model.onnx (export one with hack/export-onnx.py)")
        }
        onnxURL = onnx
    }

    /// The name the model is served under by default: the directory's last path component.
    public var defaultServedName: String { url.standardizedFileURL.lastPathComponent }

    private static func pooling(from config: [String: Any]?) throws -> Pooling {
        guard let config else { return .mean }
        if config["pooling_mode_cls_token"] as? Bool == true { return .cls }
        if config["pooling_mode_lasttoken"] as? Bool == true { return .lastToken }
        if config["pooling_mode_mean_tokens"] as? Bool == true { return .mean }
        if config["pooling_mode_max_tokens"] as? Bool == true {
            throw EmbeddingError.configuration("pooling mode \"max_tokens\" from 1_Pooling/config.json is not supported; pass --pooling cls|mean|splade|last-token")
        }
        if config["pooling_mode_mean_sqrt_len_tokens"] as? Bool == true {
            throw EmbeddingError.configuration("pooling mode \"mean_sqrt_len_tokens\" from 1_Pooling/config.json is not supported; pass --pooling cls|mean|splade|last-token")
        }
        return .mean
    }

    private static func readJSON(_ file: URL, required: Bool) throws -> [String: Any]? {
        guard FileManager.default.fileExists(atPath: file.path) else {
            if required { throw EmbeddingError.configuration("\(file.path) is missing") }
            return nil
        }
        do {
            let data = try Data(contentsOf: file)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw EmbeddingError.configuration("\(file.path) is not a JSON object")
            }
            return object
        } catch let error as EmbeddingError {
            throw error
        } catch {
            throw EmbeddingError.configuration("cannot read \(file.path): \(error.localizedDescription)")
        }
    }

    private static func readJSONArray(_ file: URL) throws -> [[String: Any]] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        do {
            let data = try Data(contentsOf: file)
            return try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        } catch {
            throw EmbeddingError.configuration("cannot read \(file.path): \(error.localizedDescription)")
        }
    }
}
