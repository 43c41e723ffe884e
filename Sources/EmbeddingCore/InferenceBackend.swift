/// The model runner behind the scheduler, kept small and synchronous like TEI's `Backend`.
/// Asynchrony (the inference thread, the queues) lives around it in `EmbeddingPipeline`.
///
/// `run` is only ever called from one thread at a time.
public protocol InferenceBackend: AnyObject, Sendable {
    /// Throws when the backend can no longer serve (for example a lost GPU).
    func health() throws
    /// The largest batch (in sequences) the backend accepts, if it has a limit.
    var maxBatchSize: Int? { get }
    /// Runs the model on a padded batch and returns its token-level output.
    func run(_ batch: Batch) throws -> ModelOutput
}

/// A padded batch of token sequences, laid out row-major `[size, sequenceLength]`, ready to be
/// bound as ONNX tensors without further copies.
public struct Batch: Sendable {
    public var size: Int
    public var sequenceLength: Int
    public var inputIds: [Int64]
    public var attentionMask: [Int64]
    public var tokenTypeIds: [Int64]
    /// Unpadded length of each row.
    public var lengths: [Int]

    public init(size: Int, sequenceLength: Int, inputIds: [Int64], attentionMask: [Int64], tokenTypeIds: [Int64], lengths: [Int]) {
        self.size = size
        self.sequenceLength = sequenceLength
        self.inputIds = inputIds
        self.attentionMask = attentionMask
        self.tokenTypeIds = tokenTypeIds
        self.lengths = lengths
    }

    /// Pads `encodings` to the longest one with `padId`.
    public init(encodings: [Encoding], padId: Int32 = 0) {
        let seq = encodings.map(\.count).max() ?? 0
        let n = encodings.count
        var ids = [Int64](repeating: Int64(padId), count: n * seq)
        var mask = [Int64](repeating: 0, count: n * seq)
        var types = [Int64](repeating: 0, count: n * seq)
        ids.withUnsafeMutableBufferPointer { idp in
            mask.withUnsafeMutableBufferPointer { mp in
                types.withUnsafeMutableBufferPointer { tp in
                    for (row, e) in encodings.enumerated() {
                        let base = row * seq
                        for j in 0..<e.ids.count {
                            idp[base + j] = Int64(e.ids[j])
                            mp[base + j] = 1
                            tp[base + j] = Int64(e.typeIds[j])
                        }
                    }
                }
            }
        }
        self.init(size: n, sequenceLength: seq, inputIds: ids, attentionMask: mask, tokenTypeIds: types,
                  lengths: encodings.map(\.count))
    }
}

/// Token-level model output, row-major `[batch, sequenceLength, width]`: `last_hidden_state`
/// (width = hidden size) or, for SPLADE models, MLM logits (width = vocabulary size).
public struct ModelOutput: Sendable {
    public var batchSize: Int
    public var sequenceLength: Int
    public var width: Int
    public var values: [Float]

    public init(batchSize: Int, sequenceLength: Int, width: Int, values: [Float]) {
        precondition(values.count == batchSize * sequenceLength * width, "ModelOutput shape mismatch")
        self.batchSize = batchSize
        self.sequenceLength = sequenceLength
        self.width = width
        self.values = values
    }
}
