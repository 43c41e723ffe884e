/// The embedding request bodies read from a ``FlatJSONObject``: one text and plain options. Each
/// reader gives `nil` where a field has a shape it does not take (a list of inputs, a value of
/// the wrong type, an unknown direction), and callers then decode with `JSONDecoder`, which
/// accepts or refuses the body with its own message. Unknown keys are ignored, as `JSONDecoder`
/// ignores them.
extension OpenAIEmbeddingRequest {
    init?(flat object: FlatJSONObject) {
        guard case .string(let text)? = object["input"],
              let model = object.optionalString("model"),
              let encodingFormat = object.optionalString("encoding_format"),
              let dimensions = object.optionalInteger("dimensions"),
              let user = object.optionalString("user") else { return nil }
        self.init(input: .single(text), model: model, encoding_format: encodingFormat, dimensions: dimensions, user: user)
    }
}

extension TEIEmbedRequest {
    init?(flat object: FlatJSONObject) {
        guard case .string(let text)? = object["inputs"],
              let truncate = object.optionalBool("truncate"),
              let direction = object.optionalString("truncation_direction"),
              let normalize = object.optionalBool("normalize"),
              let promptName = object.optionalString("prompt_name"),
              let dimensions = object.optionalInteger("dimensions") else { return nil }
        var truncationDirection: TruncationDirectionField?
        if let direction {
            guard let field = TruncationDirectionField(direction) else { return nil }
            truncationDirection = field
        }
        self.init(inputs: .single(text), truncate: truncate, truncation_direction: truncationDirection,
                  normalize: normalize, prompt_name: promptName, dimensions: dimensions)
    }
}

extension FlatJSONObject {
    /// `.some(nil)` when the key is absent or null, `.some(value)` for a string, `nil` otherwise.
    fileprivate func optionalString(_ key: String) -> String?? {
        switch self[key] {
        case nil, .null?: return .some(nil)
        case .string(let text)?: return .some(text)
        default: return nil
        }
    }

    fileprivate func optionalInteger(_ key: String) -> Int?? {
        switch self[key] {
        case nil, .null?: return .some(nil)
        case .integer(let value)?: return .some(value)
        default: return nil
        }
    }

    fileprivate func optionalBool(_ key: String) -> Bool?? {
        switch self[key] {
        case nil, .null?: return .some(nil)
        case .bool(let value)?: return .some(value)
        default: return nil
        }
    }
}
