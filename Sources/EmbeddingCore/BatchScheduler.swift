import DequeModule

/// The token-budget scheduler of quiver-embed as a value-type state machine.
///
/// It owns three decisions and nothing else:
/// - **admission**: a counter of in-flight inputs; a request that would exceed
///   `maxConcurrentInputs` is rejected at once (HTTP 429), so there is no unbounded queue;
/// - **packing**: queued inputs are packed first-in first-out into batches whose *padded* cost
///   (longest sequence × number of sequences) stays within `maxBatchTokens`, and whose size stays
///   within `maxBatchRequests`;
/// - **pipelining**: while one batch runs on the inference thread, exactly one more is prepared
///   (padded into tensors), so the inference thread does not wait for padding. Inputs that arrive
///   while the prepared batch waits join it (``Action/grow(_:)``) as long as the budget allows, so
///   a batch prepared early with few inputs does not run half empty. A grown batch is padded again
///   once, when the inference thread takes it, rather than once per arrival: under load a batch
///   of n inputs would otherwise be padded n times, O(n²) work on the threads that serve HTTP.
///
/// Every method returns an ``Action`` that a thin shell (``EmbeddingPipeline``) performs. No method
/// does I/O, reads a clock or blocks, so every transition is tested directly.
public struct BatchScheduler: Sendable {
    public typealias EntryID = UInt64

    public struct Configuration: Sendable, Equatable {
        /// Budget of one batch in padded tokens (longest × count).
        public var maxBatchTokens: Int
        /// Most sequences in one batch; `nil` means only the token budget limits it.
        public var maxBatchRequests: Int?
        /// Most inputs admitted at once (queued, batched or running) before new work gets 429.
        public var maxConcurrentInputs: Int

        public init(maxBatchTokens: Int = 16384, maxBatchRequests: Int? = nil, maxConcurrentInputs: Int = 512) {
            self.maxBatchTokens = maxBatchTokens
            self.maxBatchRequests = maxBatchRequests
            self.maxConcurrentInputs = maxConcurrentInputs
        }
    }

    /// One tokenized input waiting for a batch.
    public struct Entry: Sendable, Equatable {
        public var id: EntryID
        public var tokens: Int
        public init(id: EntryID, tokens: Int) {
            self.id = id
            self.tokens = tokens
        }
    }

    /// What the shell must do after an event.
    public enum Action: Sendable, Equatable {
        /// Nothing to do.
        case none
        /// Pad these entries into a batch (off the inference thread), then call ``batchPrepared()``.
        case prepare([Entry])
        /// The prepared batch gains these entries (queued inputs within its budget). The shell
        /// pads them into it when it hands the batch to the inference thread; no
        /// ``batchPrepared()`` follows.
        case grow([Entry])
        /// Hand the prepared batch to the inference thread.
        case run
        /// Hand the prepared batch to the inference thread, and pad these entries as the next one.
        case runAndPrepare([Entry])
        /// The entry was removed from the queue before it was batched: fail its waiter.
        case drop(EntryID)
    }

    public enum AdmissionResult: Sendable, Equatable {
        case admitted
        /// Too many inputs in flight; `inFlight` is the count at the time of refusal.
        case overloaded(inFlight: Int)
    }

    private enum Stage: Sendable, Equatable {
        /// Nothing is being padded and nothing waits for the inference thread.
        case empty
        /// The shell is padding a batch of these entries.
        case preparing([Entry])
        /// A padded batch of these entries waits for the inference thread.
        case prepared([Entry])
    }

    public let configuration: Configuration
    private var queue: Deque<Entry> = []
    private var stage: Stage = .empty
    private var inferenceBusy = false
    public private(set) var inFlightInputs = 0

    public init(configuration: Configuration) {
        precondition(configuration.maxBatchTokens > 0, "maxBatchTokens must be positive")
        precondition((configuration.maxBatchRequests ?? 1) > 0, "maxBatchRequests must be positive")
        self.configuration = configuration
    }

    /// Number of entries waiting to be batched.
    public var queuedCount: Int { queue.count }
    /// Whether the inference thread is running a batch.
    public var isRunning: Bool { inferenceBusy }

    // MARK: admission

    /// Admits `inputs` new inputs, or refuses them all when the counter would pass the limit.
    public mutating func admit(inputs: Int) -> AdmissionResult {
        precondition(inputs > 0)
        if inFlightInputs + inputs > configuration.maxConcurrentInputs {
            return .overloaded(inFlight: inFlightInputs)
        }
        inFlightInputs += inputs
        return .admitted
    }

    /// Gives back admission for inputs that finished, failed or were abandoned.
    public mutating func release(inputs: Int) {
        precondition(inputs >= 0 && inputs <= inFlightInputs, "released more inputs than admitted")
        inFlightInputs -= inputs
    }

    // MARK: queue events

    /// A tokenized input joins the queue.
    public mutating func enqueue(_ entry: Entry) -> Action {
        enqueue(contentsOf: [entry])
    }

    /// Tokenized inputs join the queue together, in order (the inputs of one request), so that a
    /// batch started now takes all of them that fit instead of only the first.
    public mutating func enqueue(contentsOf entries: [Entry]) -> Action {
        queue.append(contentsOf: entries)
        switch stage {
        case .empty: return prepareIfPossible()
        case .preparing: return .none
        case .prepared(let entries): return topUp(entries)
        }
    }

    /// The client of a queued entry went away. Entries already in a batch still run; their
    /// results are discarded by the shell.
    public mutating func cancel(_ id: EntryID) -> Action {
        guard let index = queue.firstIndex(where: { $0.id == id }) else { return .none }
        queue.remove(at: index)
        return .drop(id)
    }

    /// The shell finished padding the batch it was asked to prepare.
    public mutating func batchPrepared() -> Action {
        guard case .preparing(let entries) = stage else {
            preconditionFailure("batchPrepared() without a batch being prepared")
        }
        stage = .prepared(entries)
        guard !inferenceBusy else { return topUp(entries) }
        return startPrepared()
    }

    /// The inference thread finished its batch.
    public mutating func batchCompleted() -> Action {
        precondition(inferenceBusy, "batchCompleted() while nothing runs")
        inferenceBusy = false
        switch stage {
        case .prepared:
            return startPrepared()
        case .preparing:
            return .none
        case .empty:
            return prepareIfPossible()
        }
    }

    // MARK: internals

    private mutating func startPrepared() -> Action {
        inferenceBusy = true
        stage = .empty
        let next = takeBatch()
        if next.isEmpty { return .run }
        stage = .preparing(next)
        return .runAndPrepare(next)
    }

    private mutating func prepareIfPossible() -> Action {
        guard stage == .empty else { return .none }
        let batch = takeBatch()
        guard !batch.isEmpty else { return .none }
        stage = .preparing(batch)
        return .prepare(batch)
    }

    /// While the inference thread is busy, grows the prepared batch with queued entries that fit.
    private mutating func topUp(_ entries: [Entry]) -> Action {
        guard inferenceBusy else { return .none }
        let added = takeBatch(after: entries)
        guard !added.isEmpty else { return .none }
        stage = .prepared(entries + added)
        return .grow(added)
    }

    /// Packs queued entries FIFO within the padded token budget and the request limit. The first
    /// entry is always taken, so an entry larger than the budget cannot block the queue (startup
    /// refuses a budget below the model's maximum input length, so this only guards misuse).
    private mutating func takeBatch(after existing: [Entry] = []) -> [Entry] {
        var batch: [Entry] = []
        var count = existing.count
        var longest = existing.map(\.tokens).max() ?? 0
        let maxRequests = configuration.maxBatchRequests ?? Int.max
        while let next = queue.first, count < maxRequests {
            let newLongest = max(longest, next.tokens)
            if count > 0 && newLongest * (count + 1) > configuration.maxBatchTokens { break }
            longest = newLongest
            count += 1
            batch.append(queue.removeFirst())
        }
        return batch
    }
}
