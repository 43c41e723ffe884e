import DequeModule

/// The token-budget scheduler of quiver-embed as a value-type state machine.
///
/// It owns three decisions and nothing else:
/// - **admission**: a counter of in-flight inputs; a request that would exceed
///   `maxConcurrentInputs` is rejected at once (HTTP 429), so there is no unbounded queue;
/// - **packing**: queued inputs are packed first-in first-out into batches whose *padded* cost
///   (longest sequence × number of sequences) stays within `maxBatchTokens`, and whose size stays
///   within `maxBatchRequests`;
/// - **pipelining**: while batches run on the inference threads, exactly one more is prepared
///   (padded into tensors), so an inference thread never waits for padding. Inputs that arrive
///   while the prepared batch waits are packed into it (it is prepared again, bigger) as long as
///   the budget allows, so a batch prepared early with few inputs does not run half empty.
/// - **concurrency**: up to `concurrentBatches` batches run at once, each ``RunMode/shared`` (on
///   its share of the cores). A small batch that starts while nothing runs is
///   ``RunMode/exclusive`` instead: it gets every core, and nothing else starts until it ends,
///   so a lone request keeps the latency of a single run on all cores.
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
        /// Batches that may run at the same time (one per inference thread). With 1, every batch
        /// runs ``RunMode/exclusive``.
        public var concurrentBatches: Int
        /// A batch that starts while nothing runs, and holds one entry or at most this many
        /// tokens, runs ``RunMode/exclusive``; any other runs ``RunMode/shared``.
        public var exclusiveBatchTokens: Int

        public init(maxBatchTokens: Int = 16384, maxBatchRequests: Int? = nil, maxConcurrentInputs: Int = 512,
                    concurrentBatches: Int = 1, exclusiveBatchTokens: Int = 64) {
            self.maxBatchTokens = maxBatchTokens
            self.maxBatchRequests = maxBatchRequests
            self.maxConcurrentInputs = maxConcurrentInputs
            self.concurrentBatches = concurrentBatches
            self.exclusiveBatchTokens = exclusiveBatchTokens
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
        /// The entries may repeat those of the batch prepared before, which this one replaces.
        case prepare([Entry])
        /// Hand the prepared batch to an inference thread, to run in this mode.
        case run(RunMode)
        /// Hand the prepared batch to an inference thread, to run in this mode, and pad these
        /// entries as the next one.
        case runAndPrepare(RunMode, [Entry])
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
    private var running = 0
    private var exclusiveRunning = false
    public private(set) var inFlightInputs = 0

    public init(configuration: Configuration) {
        precondition(configuration.maxBatchTokens > 0, "maxBatchTokens must be positive")
        precondition((configuration.maxBatchRequests ?? 1) > 0, "maxBatchRequests must be positive")
        precondition(configuration.concurrentBatches > 0, "concurrentBatches must be positive")
        precondition(configuration.exclusiveBatchTokens >= 0, "exclusiveBatchTokens must not be negative")
        self.configuration = configuration
    }

    /// Number of entries waiting to be batched.
    public var queuedCount: Int { queue.count }
    /// Whether an inference thread is running a batch.
    public var isRunning: Bool { running > 0 }
    /// Batches running now.
    public var runningBatches: Int { running }
    /// Whether no further batch may start now.
    private var saturated: Bool { exclusiveRunning || running >= configuration.concurrentBatches }

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
        guard !saturated else { return topUp(entries) }
        return startPrepared()
    }

    /// An inference thread finished its batch.
    public mutating func batchCompleted() -> Action {
        precondition(running > 0, "batchCompleted() while nothing runs")
        running -= 1
        if running == 0 { exclusiveRunning = false }
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
        guard case .prepared(let entries) = stage else { preconditionFailure("no prepared batch to start") }
        let mode = mode(of: entries)
        running += 1
        exclusiveRunning = mode == .exclusive
        stage = .empty
        let next = takeBatch()
        if next.isEmpty { return .run(mode) }
        stage = .preparing(next)
        return .runAndPrepare(mode, next)
    }

    private func mode(of entries: [Entry]) -> RunMode {
        if configuration.concurrentBatches == 1 { return .exclusive }
        guard running == 0 else { return .shared }
        let small = entries.count == 1 || entries.reduce(0) { $0 + $1.tokens } <= configuration.exclusiveBatchTokens
        return small ? .exclusive : .shared
    }

    private mutating func prepareIfPossible() -> Action {
        guard stage == .empty else { return .none }
        let batch = takeBatch()
        guard !batch.isEmpty else { return .none }
        stage = .preparing(batch)
        return .prepare(batch)
    }

    /// While every inference thread is busy, grows the prepared batch with queued entries that fit.
    private mutating func topUp(_ entries: [Entry]) -> Action {
        guard saturated else { return .none }
        let added = takeBatch(after: entries)
        guard !added.isEmpty else { return .none }
        let grown = entries + added
        stage = .preparing(grown)
        return .prepare(grown)
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
