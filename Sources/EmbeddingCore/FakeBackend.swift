import Foundation

/// A deterministic ``InferenceBackend`` for tests of everything around the model: each token's
/// vector is derived from its id and position, so pooling results are predictable. It can be told
/// to fail, to be unhealthy, or to take a fixed time per batch.
public final class FakeBackend: InferenceBackend, @unchecked Sendable {
    public let width: Int
    private let lock = NSLock()
    private var _delay: Duration = .zero
    private var _failure: String?
    private var _unhealthy: String?
    private var _batches: [Batch] = []
    private let gate = NSCondition()
    private var paused = false

    /// Whether it takes packed rows, as a segment-aware model does: a token's position then counts
    /// from the start of its segment (for segments after the first).
    public let acceptsPackedRows: Bool

    public init(width: Int = 8, acceptsPackedRows: Bool = false) {
        self.width = width
        self.acceptsPackedRows = acceptsPackedRows
    }

    public var maxBatchSize: Int? { nil }

    /// Time each `run` sleeps, to hold batches on the inference thread.
    public var delay: Duration {
        get { lock.withLock { _delay } }
        set { lock.withLock { _delay = newValue } }
    }

    /// When set, `run` throws with this message.
    public var failure: String? {
        get { lock.withLock { _failure } }
        set { lock.withLock { _failure = newValue } }
    }

    /// When set, `health()` throws with this message.
    public var unhealthy: String? {
        get { lock.withLock { _unhealthy } }
        set { lock.withLock { _unhealthy = newValue } }
    }

    /// Holds every following `run` (after it has recorded its batch) until ``resume()``.
    public func pause() {
        gate.lock()
        paused = true
        gate.unlock()
    }

    /// Lets held and later runs go on.
    public func resume() {
        gate.lock()
        paused = false
        gate.broadcast()
        gate.unlock()
    }

    /// Every batch `run` was given, in order.
    public var batches: [Batch] { lock.withLock { _batches } }

    public func health() throws {
        if let message = unhealthy { throw EmbeddingError.unhealthy(message) }
    }

    public func run(_ batch: Batch) throws -> ModelOutput {
        let (delay, failure) = lock.withLock { () -> (Duration, String?) in
            _batches.append(batch)
            return (_delay, _failure)
        }
        gate.lock()
        while paused { gate.wait() }
        gate.unlock()
        if delay > .zero {
            let c = delay.components
            Thread.sleep(forTimeInterval: Double(c.seconds) + Double(c.attoseconds) / 1e18)
        }
        if let failure { throw EmbeddingError.backend(failure) }
        var values = [Float](repeating: 0, count: batch.size * batch.sequenceLength * width)
        for row in 0..<batch.size {
            var segmentStart = 0
            for t in 0..<batch.sequenceLength {
                let index = row * batch.sequenceLength + t
                let segment = batch.attentionMask[index]
                if t > 0, batch.attentionMask[index - 1] != segment { segmentStart = t }
                if segment > 1 && !acceptsPackedRows {
                    throw EmbeddingError.backend("FakeBackend: packed rows given to a backend that does not take them")
                }
                let position = acceptsPackedRows && segment > 1 ? t - segmentStart : t
                let base = index * width
                for j in 0..<width {
                    values[base + j] = Self.value(tokenId: batch.inputIds[index], position: position, component: j)
                }
            }
        }
        return ModelOutput(batchSize: batch.size, sequenceLength: batch.sequenceLength, width: width, values: values)
    }

    /// The value of component `component` of the vector of token `tokenId` at `position`.
    public static func value(tokenId: Int64, position: Int, component: Int) -> Float {
        Float((tokenId &* 31 &+ Int64(position) &* 7 &+ Int64(component) &* 3) % 97) / 97 - 0.5
    }
}
