/// The model runner behind the scheduler, kept small and synchronous like TEI's `Backend`.
/// Asynchrony (the inference thread, the queues) lives around it in `EmbeddingPipeline`.
///
/// `run` is only ever called from one thread at a time.
public protocol InferenceBackend: AnyObject, Sendable {
    /// Throws when the backend can no longer serve (for example a lost GPU).
    func health() throws
    /// The largest batch (in sequences) the backend accepts, if it has a limit.
    var maxBatchSize: Int? { get }
    /// Whether `run` takes packed rows: `attentionMask` holding segment numbers (0 padding, then
    /// 1, 2, … for sequences placed one after another in a row), each sequence attending only to
    /// itself, with positions restarting where a segment starts.
    var acceptsPackedRows: Bool { get }
    /// Runs the model on a padded batch and returns its token-level output.
    func run(_ batch: Batch) throws -> ModelOutput
}

extension InferenceBackend {
    public var acceptsPackedRows: Bool { false }
}

/// A padded batch of token sequences, laid out row-major `[size, sequenceLength]`, ready to be
/// bound as ONNX tensors without further copies.
public struct Batch: Sendable {
    public var size: Int
    public var sequenceLength: Int
    public var inputIds: [Int64]
    public var attentionMask: [Int64]
    public var tokenTypeIds: [Int64]
    /// Real tokens in each row (for packed rows, of all its sequences together).
    public var lengths: [Int]

    public init(size: Int, sequenceLength: Int, inputIds: [Int64], attentionMask: [Int64], tokenTypeIds: [Int64], lengths: [Int]) {
        self.size = size
        self.sequenceLength = sequenceLength
        self.inputIds = inputIds
        self.attentionMask = attentionMask
        self.tokenTypeIds = tokenTypeIds
        self.lengths = lengths
    }

    /// Packs each row's `encodings` one after another, padded to the longest row with `padId`.
    /// `attentionMask` holds the segment number (1, 2, …) of each real token, 0 on padding, so
    /// only a backend that ``InferenceBackend/acceptsPackedRows`` may run it, unless every row
    /// holds one encoding (a plain padded batch, mask 1 on real tokens).
    public init(packedRows rows: [[Encoding]], padId: Int32 = 0) {
        let fills = rows.map { $0.reduce(0) { $0 + $1.count } }
        let seq = fills.max() ?? 0
        let n = rows.count
        var ids = [Int64](repeating: Int64(padId), count: n * seq)
        var mask = [Int64](repeating: 0, count: n * seq)
        var types = [Int64](repeating: 0, count: n * seq)
        ids.withUnsafeMutableBufferPointer { idp in
            mask.withUnsafeMutableBufferPointer { mp in
                types.withUnsafeMutableBufferPointer { tp in
                    for (row, encodings) in rows.enumerated() {
                        var position = row * seq
                        for (segment, e) in encodings.enumerated() {
                            for j in 0..<e.ids.count {
                                idp[position] = Int64(e.ids[j])
                                mp[position] = Int64(segment + 1)
                                tp[position] = Int64(e.typeIds[j])
                                position += 1
                            }
                        }
                    }
                }
            }
        }
        self.init(size: n, sequenceLength: seq, inputIds: ids, attentionMask: mask, tokenTypeIds: types, lengths: fills)
    }

    /// Pads `encodings` to the longest one with `padId`: one sequence per row.
    public init(encodings: [Encoding], padId: Int32 = 0) {
        self.init(packedRows: encodings.map { [$0] }, padId: padId)
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
