/// The work queue of client-go (`util/workqueue`: queue + delaying + rate limiting) as a pure value;
/// `WorkQueue` is the actor that sleeps and wakes workers around it.
///
/// - A key is never handed to two workers at once: while it is processing, adding it again only marks
///   it dirty, and `done` puts it back in the queue, so it runs exactly once more afterwards.
/// - Adding a key that is already queued does nothing (a burst of events collapses into one run).
/// - `addRateLimited` waits `baseDelay · 2^failures` (capped at `maximumDelay`) before adding; `forget`
///   resets the count.
/// - `addAfter` holds a key until its time; a key already waiting keeps the earlier time.
/// - After `shutDown` nothing is accepted; queued keys are still handed out, then `get` says `.shutDown`.
public struct WorkQueueState<Key: Hashable & Sendable>: Sendable {
    public typealias Instant = ContinuousClock.Instant

    public enum GetResult: Sendable, Hashable {
        case key(Key)
        /// Nothing queued: wait for an add.
        case empty
        /// Shut down and drained of queued keys: the worker stops.
        case shutDown
    }

    public struct Configuration: Sendable, Hashable {
        public var baseDelay: Duration
        public var maximumDelay: Duration

        public init(baseDelay: Duration = .milliseconds(5), maximumDelay: Duration = .seconds(1000)) {
            self.baseDelay = baseDelay
            self.maximumDelay = maximumDelay
        }
    }

    private struct Waiting: Sendable {
        var readyAt: Instant
        var sequence: UInt64
    }

    public let configuration: Configuration
    private var queue: [Key] = []
    private var head = 0
    private var dirty: Set<Key> = []
    private var processing: Set<Key> = []
    private var waiting: [Key: Waiting] = [:]
    private var sequence: UInt64 = 0
    private var failures: [Key: Int] = [:]
    public private(set) var isShuttingDown = false
    public private(set) var isDraining = false

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Keys ready to be handed out.
    public var count: Int { queue.count - head }
    public var processingCount: Int { processing.count }
    public var waitingCount: Int { waiting.count }
    public func isProcessing(_ key: Key) -> Bool { processing.contains(key) }
    public func isQueued(_ key: Key) -> Bool { dirty.contains(key) && !processing.contains(key) }
    /// Shut down, and no key is being processed.
    public var isDrained: Bool { isShuttingDown && processing.isEmpty }

    /// Adds a key. Returns whether it went into the queue (a waiting worker should be woken).
    @discardableResult
    public mutating func add(_ key: Key) -> Bool {
        guard !isShuttingDown else { return false }
        guard !dirty.contains(key) else { return false }
        dirty.insert(key)
        if processing.contains(key) { return false }
        queue.append(key)
        return true
    }

    /// The next key, now marked processing.
    public mutating func get() -> GetResult {
        guard head < queue.count else { return isShuttingDown ? .shutDown : .empty }
        let key = queue[head]
        head += 1
        if head > 64, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        processing.insert(key)
        dirty.remove(key)
        return .key(key)
    }

    /// The worker finished `key`. Returns whether it went back into the queue (it was added meanwhile).
    @discardableResult
    public mutating func done(_ key: Key) -> Bool {
        processing.remove(key)
        if dirty.contains(key) {
            queue.append(key)
            return true
        }
        return false
    }

    /// Adds `key` once `delay` has passed. Returns whether it was added at once (delay ≤ 0).
    @discardableResult
    public mutating func addAfter(_ key: Key, delay: Duration, now: Instant) -> Bool {
        guard !isShuttingDown else { return false }
        if delay <= .zero { return add(key) }
        let readyAt = now.advanced(by: delay)
        if let existing = waiting[key], existing.readyAt <= readyAt { return false }
        sequence += 1
        waiting[key] = Waiting(readyAt: readyAt, sequence: sequence)
        return false
    }

    /// Adds `key` after its per-key exponential backoff; returns the delay used.
    @discardableResult
    public mutating func addRateLimited(_ key: Key, now: Instant) -> Duration {
        let delay = nextDelay(for: key)
        failures[key, default: 0] += 1
        addAfter(key, delay: delay, now: now)
        return delay
    }

    /// The backoff the next `addRateLimited(key)` will use.
    public func nextDelay(for key: Key) -> Duration {
        let exponent = failures[key] ?? 0
        var delay = configuration.baseDelay
        var n = 0
        while n < exponent, delay < configuration.maximumDelay {
            delay = delay * 2
            n += 1
        }
        return min(delay, configuration.maximumDelay)
    }

    /// Clears the failure count of `key`.
    public mutating func forget(_ key: Key) {
        failures[key] = nil
    }

    public func numRequeues(_ key: Key) -> Int { failures[key] ?? 0 }

    /// When the earliest waiting key is due.
    public var nextReadyAt: Instant? { waiting.values.map(\.readyAt).min() }

    /// Moves every waiting key due at `now` into the queue, earliest first. Returns how many were added.
    @discardableResult
    public mutating func promoteDue(now: Instant) -> Int {
        let due = waiting.filter { $0.value.readyAt <= now }
            .sorted { ($0.value.readyAt, $0.value.sequence) < ($1.value.readyAt, $1.value.sequence) }
        var added = 0
        for (key, _) in due {
            waiting[key] = nil
            if add(key) { added += 1 }
        }
        return added
    }

    /// Stops accepting keys; waiting keys are dropped. Queued keys are still handed out.
    public mutating func shutDown() {
        isShuttingDown = true
        waiting.removeAll()
    }

    /// As `shutDown`; the caller then waits until `isDrained`.
    public mutating func shutDownWithDrain() {
        isDraining = true
        shutDown()
    }
}
