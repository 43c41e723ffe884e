import Foundation

/// The parts of a `tokenizer.json` this port uses. The `truncation` and `padding` sections are
/// ignored (callers pass `maxLength`; padding is the batch scheduler's job), except `pad_id`.
struct TokenizerConfiguration {
    var model: WordPiece
    var normalizer: BertNormalizer?
    var preTokenizer: PreTokenizerKind
    var postProcessor: PostProcessor
    var decoder: WordPieceDecoder?
    var addedTokens: [AddedToken]
    var padId: Int32?

    static let supportedModels = ["WordPiece"]
    static let supportedNormalizers = ["BertNormalizer", "NFD", "Lowercase", "StripAccents", "Sequence"]
    static let supportedPreTokenizers = ["BertPreTokenizer", "Whitespace", "WhitespaceSplit", "Sequence"]
    static let supportedPostProcessors = ["TemplateProcessing", "BertProcessing"]
    static let supportedDecoders = ["WordPiece"]

    init(data: Data) throws {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw TokenizerError.malformed("tokenizer.json is not valid JSON: \(error.localizedDescription)")
        }
        guard let root = json as? [String: Any] else {
            throw TokenizerError.malformed("tokenizer.json: the top level is not a JSON object")
        }

        // The model first, so that a non-WordPiece file reports its model type.
        guard let modelObject = root["model"] as? [String: Any] else {
            throw TokenizerError.malformed("tokenizer.json has no \"model\" object")
        }
        model = try Self.parseModel(modelObject)
        normalizer = try Self.object(root["normalizer"]).map { BertNormalizer(steps: try Self.normalizerSteps($0)) }
        preTokenizer = try Self.object(root["pre_tokenizer"]).map(Self.parsePreTokenizer) ?? .none
        addedTokens = Self.assignIds(try Self.parseAddedTokens(root["added_tokens"]), model: model)
        postProcessor = try Self.object(root["post_processor"]).map(Self.parsePostProcessor) ?? .none
        decoder = try Self.object(root["decoder"]).map(Self.parseDecoder)
        if let padding = try Self.object(root["padding"]), let padId = Self.int(padding["pad_id"]) {
            self.padId = Int32(padId)
        }
    }

    // MARK: Components

    private static func parseModel(_ object: [String: Any]) throws -> WordPiece {
        let type = object["type"] as? String ?? inferModelType(object)
        guard type == "WordPiece" else {
            throw TokenizerError.unsupported("tokenizer model", type, supported: supportedModels)
        }
        guard let vocabObject = object["vocab"] as? [String: Any] else {
            throw TokenizerError.malformed("tokenizer.json: WordPiece model has no \"vocab\" object")
        }
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(vocabObject.count)
        for (token, value) in vocabObject {
            guard let id = int(value), id >= 0, id <= Int(Int32.max) else {
                throw TokenizerError.malformed("tokenizer.json: vocabulary entry \"\(token)\" has no valid id")
            }
            vocabulary[token] = Int32(id)
        }
        return try WordPiece(vocabulary: vocabulary,
                             unkToken: object["unk_token"] as? String ?? "[UNK]",
                             continuingSubwordPrefix: object["continuing_subword_prefix"] as? String ?? "##",
                             maxInputCharsPerWord: int(object["max_input_chars_per_word"]) ?? 100)
    }

    /// Old files have no `type` in the model: guess it from its fields as serde's untagged enum does.
    private static func inferModelType(_ object: [String: Any]) -> String {
        if object["merges"] != nil { return "BPE" }
        if object["vocab"] is [Any] { return "Unigram" }
        if object["continuing_subword_prefix"] != nil || object["max_input_chars_per_word"] != nil { return "WordPiece" }
        if object["vocab"] != nil { return "WordLevel" }
        return "<missing type>"
    }

    static func normalizerSteps(_ object: [String: Any]) throws -> [BertNormalizer.Step] {
        let type = object["type"] as? String ?? "<missing type>"
        switch type {
        case "BertNormalizer":
            return BertNormalizer.bertSteps(cleanText: object["clean_text"] as? Bool ?? true,
                                            handleChineseChars: object["handle_chinese_chars"] as? Bool ?? true,
                                            stripAccents: object["strip_accents"] as? Bool,
                                            lowercase: object["lowercase"] as? Bool ?? true)
        case "NFD":
            return [.nfd]
        case "Lowercase":
            return [.lowercase]
        case "StripAccents":
            return [.stripCombiningMarks]
        case "Sequence":
            guard let list = object["normalizers"] as? [Any] else {
                throw TokenizerError.malformed("tokenizer.json: Sequence normalizer has no \"normalizers\" list")
            }
            var steps: [BertNormalizer.Step] = []
            for item in list {
                guard let child = item as? [String: Any] else {
                    throw TokenizerError.malformed("tokenizer.json: Sequence normalizer has a non-object element")
                }
                steps += try normalizerSteps(child)
            }
            return steps
        default:
            throw TokenizerError.unsupported("normalizer", type, supported: supportedNormalizers)
        }
    }

    private static func parsePreTokenizer(_ object: [String: Any]) throws -> PreTokenizerKind {
        let type = object["type"] as? String ?? "<missing type>"
        switch type {
        case "BertPreTokenizer":
            return .bert
        case "Whitespace":
            return .whitespace
        case "WhitespaceSplit":
            return .whitespaceSplit
        case "Sequence":
            // Only a sequence of one supported pre-tokenizer.
            let list = object["pretokenizers"] as? [Any] ?? []
            if list.count == 1, let child = list[0] as? [String: Any] {
                return try parsePreTokenizer(child)
            }
            let names = list.compactMap { ($0 as? [String: Any])?["type"] as? String }
            throw TokenizerError.unsupported(
                "unsupported pre-tokenizer \"Sequence\" of [\(names.joined(separator: ", "))] in tokenizer.json "
                    + "(supported: BertPreTokenizer, Whitespace, WhitespaceSplit, or a Sequence of exactly one of them)")
        default:
            throw TokenizerError.unsupported("pre-tokenizer", type, supported: supportedPreTokenizers)
        }
    }

    private static func parsePostProcessor(_ object: [String: Any]) throws -> PostProcessor {
        let type = object["type"] as? String ?? "<missing type>"
        switch type {
        case "TemplateProcessing":
            return try parseTemplate(object)
        case "BertProcessing":
            func pair(_ key: String) throws -> Int32 {
                guard let list = object[key] as? [Any], list.count == 2, let id = int(list[1]) else {
                    throw TokenizerError.malformed("tokenizer.json: BertProcessing has no valid \"\(key)\" [token, id] pair")
                }
                return Int32(id)
            }
            return PostProcessor.bert(cls: try pair("cls"), sep: try pair("sep"))
        default:
            throw TokenizerError.unsupported("post-processor", type, supported: supportedPostProcessors)
        }
    }

    private static func parseTemplate(_ object: [String: Any]) throws -> PostProcessor {
        guard let single = object["single"] as? [Any] else {
            throw TokenizerError.malformed("tokenizer.json: TemplateProcessing has no \"single\" template")
        }
        let specialTokens = object["special_tokens"] as? [String: Any] ?? [:]
        var prefix: [PostProcessor.Special] = []
        var suffix: [PostProcessor.Special] = []
        var sequenceTypeId: Int32?
        for item in single {
            guard let piece = item as? [String: Any] else {
                throw TokenizerError.malformed("tokenizer.json: TemplateProcessing has a malformed piece")
            }
            if let sequence = piece["Sequence"] as? [String: Any] {
                guard sequenceTypeId == nil else {
                    throw TokenizerError.unsupported("unsupported TemplateProcessing in tokenizer.json: the single template uses the sequence twice")
                }
                sequenceTypeId = Int32(int(sequence["type_id"]) ?? 0)
            } else if let special = piece["SpecialToken"] as? [String: Any], let name = special["id"] as? String {
                let typeId = Int32(int(special["type_id"]) ?? 0)
                guard let entry = specialTokens[name] as? [String: Any], let ids = entry["ids"] as? [Any] else {
                    throw TokenizerError.malformed("tokenizer.json: TemplateProcessing special token \"\(name)\" is not in \"special_tokens\"")
                }
                for value in ids {
                    guard let id = int(value) else {
                        throw TokenizerError.malformed("tokenizer.json: TemplateProcessing special token \"\(name)\" has a non-integer id")
                    }
                    let special = PostProcessor.Special(id: Int32(id), typeId: typeId)
                    if sequenceTypeId == nil { prefix.append(special) } else { suffix.append(special) }
                }
            } else {
                throw TokenizerError.malformed("tokenizer.json: TemplateProcessing has a malformed piece")
            }
        }
        guard let sequenceTypeId else {
            throw TokenizerError.unsupported("unsupported TemplateProcessing in tokenizer.json: the single template has no sequence")
        }
        return PostProcessor(prefix: prefix, suffix: suffix, sequenceTypeId: sequenceTypeId)
    }

    private static func parseDecoder(_ object: [String: Any]) throws -> WordPieceDecoder {
        let type = object["type"] as? String ?? "<missing type>"
        guard type == "WordPiece" else {
            throw TokenizerError.unsupported("decoder", type, supported: supportedDecoders)
        }
        return WordPieceDecoder(prefix: object["prefix"] as? String ?? "##", cleanup: object["cleanup"] as? Bool ?? true)
    }

    private static func parseAddedTokens(_ value: Any?) throws -> [AddedToken] {
        guard let value, !(value is NSNull) else { return [] }
        guard let list = value as? [Any] else {
            throw TokenizerError.malformed("tokenizer.json: \"added_tokens\" is not a list")
        }
        return try list.map { item in
            guard let object = item as? [String: Any], let id = int(object["id"]),
                  let content = object["content"] as? String else {
                throw TokenizerError.malformed("tokenizer.json: an added token has no id or content")
            }
            let special = object["special"] as? Bool ?? false
            return AddedToken(id: Int32(id), content: content, special: special,
                              normalized: object["normalized"] as? Bool ?? !special,
                              lstrip: object["lstrip"] as? Bool ?? false,
                              rstrip: object["rstrip"] as? Bool ?? false,
                              singleWord: object["single_word"] as? Bool ?? false)
        }
    }

    /// Hugging Face re-derives added-token ids when loading (the `id` in the file only triggers a
    /// warning when it differs): a token already in the vocabulary (or added before) keeps that id,
    /// others get the next id after the vocabulary. Files it saved are consistent, so this only
    /// matters for hand-edited ones.
    private static func assignIds(_ tokens: [AddedToken], model: WordPiece) -> [AddedToken] {
        let vocabularyCount = Int32(model.vocabulary.count)
        var assigned: [String: Int32] = [:]
        var result: [AddedToken] = []
        for var token in tokens where !token.content.isEmpty {
            if let id = assigned[token.content] ?? model.vocabulary[token.content] {
                token.id = id
            } else if let maxAdded = assigned.values.max() {
                token.id = maxAdded >= vocabularyCount || vocabularyCount == 0 ? maxAdded + 1 : vocabularyCount
            } else {
                token.id = vocabularyCount
            }
            if let previous = result.firstIndex(where: { $0.content == token.content }) {
                result[previous] = token
            } else {
                result.append(token)
            }
            assigned[token.content] = token.id
        }
        return result
    }

    // MARK: JSON helpers

    /// The value as an object; nil for null or absent; throws for anything else.
    private static func object(_ value: Any?) throws -> [String: Any]? {
        guard let value, !(value is NSNull) else { return nil }
        guard let object = value as? [String: Any] else {
            throw TokenizerError.malformed("tokenizer.json: expected an object, found \(type(of: value))")
        }
        return object
    }

    static func int(_ value: Any?) -> Int? {
        switch value {
        case let i as Int: return i
        case let d as Double where d.rounded() == d && abs(d) < 1e15: return Int(d)
        case let n as NSNumber: return n.intValue
        default: return nil
        }
    }
}
