/// The async work queue controllers use: `WorkQueueState` plus sleeping workers and a timer for
/// delayed keys. Workers loop `while let key = await queue.get() { …; await queue.done(key) }`.
public actor WorkQueue<Key: Hashable & Sendable> {
    private var state: WorkQueueState<Key>
    private var getters: [(id: Int, continuation: CheckedContinuation<Key?, Never>)] = []
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []
    private var nextID = 0
    private var timer: Task<Void, Never>?
    private var timerDeadline: ContinuousClock.Instant?

    public init(configuration: WorkQueueState<Key>.Configuration = .init()) {
        state = WorkQueueState(configuration: configuration)
    }

    public var count: Int { state.count }
    public var isShuttingDown: Bool { state.isShuttingDown }
    public func numRequeues(_ key: Key) -> Int { state.numRequeues(key) }

    public func add(_ key: Key) {
        if state.add(key) { dispatch() }
    }

    public func addAfter(_ key: Key, delay: Duration) {
        if state.addAfter(key, delay: delay, now: .now) {
            dispatch()
        } else {
            scheduleTimer()
        }
    }

    /// Adds after the key's exponential backoff; returns the delay.
    @discardableResult
    public func addRateLimited(_ key: Key) -> Duration {
        let delay = state.addRateLimited(key, now: .now)
        if delay <= .zero { dispatch() } else { scheduleTimer() }
        return delay
    }

    public func forget(_ key: Key) {
        state.forget(key)
    }

    /// The next key, waiting for one if none is queued; nil once shut down (or if the task is cancelled).
    public func get() async -> Key? {
        switch state.get() {
        case .key(let key): return key
        case .shutDown: return nil
        case .empty: break
        }
        let id = nextID
        nextID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: nil)
                } else {
                    getters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelGetter(id) }
        }
    }

    public func done(_ key: Key) {
        if state.done(key) { dispatch() }
        if state.isDrained { resumeDrainWaiters() }
    }

    /// Stops accepting keys and wakes idle workers (they get nil once the queue is empty).
    public func shutDown() {
        state.shutDown()
        timer?.cancel()
        timer = nil
        dispatch()
        if state.isDrained { resumeDrainWaiters() }
    }

    /// As `shutDown`, then waits until no key is being processed.
    public func shutDownWithDrain() async {
        state.shutDownWithDrain()
        timer?.cancel()
        timer = nil
        dispatch()
        if state.isDrained { return }
        await withCheckedContinuation { continuation in
            if state.isDrained {
                continuation.resume()
            } else {
                drainWaiters.append(continuation)
            }
        }
    }

    private func dispatch() {
        while !getters.isEmpty {
            switch state.get() {
            case .key(let key):
                getters.removeFirst().continuation.resume(returning: key)
            case .shutDown:
                for getter in getters { getter.continuation.resume(returning: nil) }
                getters.removeAll()
                return
            case .empty:
                return
            }
        }
    }

    private func cancelGetter(_ id: Int) {
        if let index = getters.firstIndex(where: { $0.id == id }) {
            getters.remove(at: index).continuation.resume(returning: nil)
        }
    }

    private func resumeDrainWaiters() {
        for waiter in drainWaiters { waiter.resume() }
        drainWaiters.removeAll()
    }

    private func scheduleTimer() {
        guard let next = state.nextReadyAt else { return }
        if let current = timerDeadline, timer != nil, current <= next { return }
        timer?.cancel()
        timerDeadline = next
        timer = Task { [weak self] in
            do {
                try await Task.sleep(until: next, clock: .continuous)
            } catch {
                return
            }
            await self?.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        if state.promoteDue(now: .now) > 0 { dispatch() }
        scheduleTimer()
    }
}
