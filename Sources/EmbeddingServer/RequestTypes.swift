import EmbeddingCore
import Foundation

/// `input` / `inputs` as OpenAI and TEI accept it: a string, a list of strings, a list of token
/// ids, or a list of lists of token ids.
enum InputPayload: Decodable, Sendable {
    case single(String)
    case batch([String])
    case ids([Int32])
    case idBatch([[Int32]])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .single(text)
        } else if let texts = try? container.decode([String].self) {
            self = .batch(texts)
        } else if let ids = try? container.decode([Int32].self) {
            self = .ids(ids)
        } else if let lists = try? container.decode([[Int32]].self) {
            self = .idBatch(lists)
        } else {
            throw DecodingError.typeMismatch(InputPayload.self, .init(
                codingPath: decoder.codingPath,
                debugDescription: "expected a string, an array of strings, an array of token ids or an array of arrays of token ids"))
        }
    }

    var inputs: [EmbeddingInput] {
        switch self {
        case .single(let text): [.text(text)]
        case .batch(let texts): texts.map { .text($0) }
        case .ids(let ids): [.tokens(ids)]
        case .idBatch(let lists): lists.map { .tokens($0) }
        }
    }

    var count: Int {
        switch self {
        case .single: 1
        case .batch(let texts): texts.count
        case .ids: 1
        case .idBatch(let lists): lists.count
        }
    }

    /// Whether the client sent a JSON array of inputs (TEI's `batch` metric label).
    var isBatch: Bool {
        switch self {
        case .single, .ids: false
        case .batch, .idBatch: true
        }
    }

    /// Characters in text inputs (TEI's `x-compute-characters`).
    var characterCount: Int {
        switch self {
        case .single(let text): text.count
        case .batch(let texts): texts.reduce(0) { $0 + $1.count }
        case .ids, .idBatch: 0
        }
    }
}

/// OpenAI's `POST /v1/embeddings` body.
struct OpenAIEmbeddingRequest: Decodable, Sendable {
    var input: InputPayload
    var model: String?
    var encoding_format: String?
    var dimensions: Int?
    var user: String?
}

/// TEI's `POST /embed` body.
struct TEIEmbedRequest: Decodable, Sendable {
    var inputs: InputPayload
    var truncate: Bool?
    var truncation_direction: TruncationDirectionField?
    var normalize: Bool?
    var prompt_name: String?
    var dimensions: Int?
}

/// TEI's `POST /embed_sparse` body.
struct TEIEmbedSparseRequest: Decodable, Sendable {
    var inputs: InputPayload
    var truncate: Bool?
    var truncation_direction: TruncationDirectionField?
    var prompt_name: String?
}

/// TEI's `POST /tokenize` body.
struct TEITokenizeRequest: Decodable, Sendable {
    var inputs: InputPayload
    var add_special_tokens: Bool?
    var prompt_name: String?
}

/// TEI's `POST /decode` body: `ids` is a list of ids or a list of lists.
struct TEIDecodeRequest: Decodable, Sendable {
    enum IDs: Decodable, Sendable {
        case single([Int32])
        case batch([[Int32]])
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let ids = try? container.decode([Int32].self) {
                self = .single(ids)
            } else if let lists = try? container.decode([[Int32]].self) {
                self = .batch(lists)
            } else {
                throw DecodingError.typeMismatch(IDs.self, .init(
                    codingPath: decoder.codingPath, debugDescription: "expected an array of token ids or an array of arrays of token ids"))
            }
        }
        var lists: [[Int32]] {
            switch self {
            case .single(let ids): [ids]
            case .batch(let lists): lists
            }
        }
    }
    var ids: IDs
    var skip_special_tokens: Bool?
}

/// TEI spells the direction "Right"/"Left"; accept lower case too.
struct TruncationDirectionField: Decodable, Sendable {
    var value: TruncationDirection

    init?(_ raw: String) {
        switch raw.lowercased() {
        case "right": value = .right
        case "left": value = .left
        default: return nil
        }
    }

    init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let field = Self(raw) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "unknown variant `\(raw)`, expected `Left` or `Right`"))
        }
        self = field
    }
}

extension JSONDecoder {
    /// Decodes a request body, turning decoding failures into a validation error that names the
    /// field, in the wording serde users know.
    static func decodeRequest<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw EmbeddingError.validation("Failed to deserialize the JSON body into the target type: \(describe(error))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let prefix = path(context.codingPath)
            return "missing field `\(prefix.isEmpty ? key.stringValue : prefix + "." + key.stringValue)`"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let where_ = path(context.codingPath)
            return "invalid type at `\(where_.isEmpty ? "body" : where_)`: \(context.debugDescription)"
        case .dataCorrupted(let context):
            let where_ = path(context.codingPath)
            return where_.isEmpty ? "the body is not valid JSON" : "invalid value at `\(where_)`: \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
