#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// How token vectors become one sentence vector (TEI's `--pooling`).
public enum Pooling: String, Sendable, CaseIterable, Codable {
    case cls
    case mean
    case splade
    case lastToken = "last-token"

    /// Pools the `length` tokens of row `row` of `output` that start at token `offset` (0 unless
    /// several sequences share the row).
    /// `mean` averages over the attention mask, `cls` takes the first token, `last-token` the last
    /// real one, and `splade` takes max over tokens of log(1 + relu(logit)) (a vocabulary-sized
    /// sparse vector).
    public func pool(_ output: ModelOutput, row: Int, offset: Int = 0, length: Int) -> [Float] {
        precondition(row < output.batchSize && offset >= 0 && length > 0 && offset + length <= output.sequenceLength)
        let width = output.width
        let rowBase = (row * output.sequenceLength + offset) * width
        var result = [Float](repeating: 0, count: width)
        output.values.withUnsafeBufferPointer { values in
            result.withUnsafeMutableBufferPointer { out in
                switch self {
                case .cls:
                    for j in 0..<width { out[j] = values[rowBase + j] }
                case .lastToken:
                    let base = rowBase + (length - 1) * width
                    for j in 0..<width { out[j] = values[base + j] }
                case .mean:
                    Self.mean(values.baseAddress! + rowBase, width: width, length: length, into: out.baseAddress!)
                case .splade:
                    for t in 0..<length {
                        let base = rowBase + t * width
                        for j in 0..<width {
                            let v = values[base + j]
                            if v > 0 {
                                let activated = log1pf(v)
                                if activated > out[j] { out[j] = activated }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// The mean of `length` vectors of `width` floats stored one after another at `tokens`, eight
    /// components at a time (the same sums in the same order as one component at a time).
    private static func mean(_ tokens: UnsafePointer<Float>, width: Int, length: Int, into out: UnsafeMutablePointer<Float>) {
        let scale = 1 / Float(length)
        var j = 0
        while j + 8 <= width {
            var sum = SIMD8<Float>()
            for t in 0..<length {
                sum += UnsafeRawPointer(tokens + t * width + j).loadUnaligned(as: SIMD8<Float>.self)
            }
            sum *= scale
            UnsafeMutableRawPointer(out + j).storeBytes(of: sum, as: SIMD8<Float>.self)
            j += 8
        }
        while j < width {
            var sum: Float = 0
            for t in 0..<length { sum += tokens[t * width + j] }
            out[j] = sum * scale
            j += 1
        }
    }
}

extension Array where Element == Float {
    /// Scales the vector to unit L2 norm (a zero vector stays zero).
    public mutating func normalizeL2() {
        var sum: Float = 0
        for v in self { sum += v * v }
        guard sum > 0 else { return }
        let scale = 1 / sum.squareRoot()
        for i in indices { self[i] *= scale }
    }

    /// Matryoshka truncation: keeps the first `dimensions` values, then renormalizes if asked.
    public func truncated(toDimensions dimensions: Int, normalize: Bool) -> [Float] {
        guard dimensions < count else { return self }
        var head = Array(self[0..<dimensions])
        if normalize { head.normalizeL2() }
        return head
    }
}
