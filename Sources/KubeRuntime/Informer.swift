import KubeModel
import Logging

/// Tuning of an `Informer`.
public struct InformerConfiguration: Sendable, Hashable {
    /// Each watch asks the server to end after a random time in [minimum, 2·minimum), as client-go does,
    /// so that many informers do not reconnect at once.
    public var minimumWatchTimeoutSeconds: Int
    public var initialBackoff: Duration
    public var maximumBackoff: Duration

    public init(minimumWatchTimeoutSeconds: Int = 300, initialBackoff: Duration = .milliseconds(800), maximumBackoff: Duration = .seconds(30)) {
        self.minimumWatchTimeoutSeconds = minimumWatchTimeoutSeconds
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }
}

/// A list-watch cache of one kind of object (client-go's SharedIndexInformer): `run()` lists, then
/// watches, keeps an indexed cache and tells subscribers about adds, updates and deletes. It resumes
/// after a dropped watch and relists after 410 Gone (see `InformerStateMachine`).
///
/// Subscribe with `events()` (an AsyncStream; a subscriber that joins late first gets an `.added` for
/// every cached object) or `addHandler(_:)`. Query the cache with `get`, `list` and `byIndex`.
public actor Informer<Object: Sendable> {
    private let source: InformerSource<Object>
    private let configuration: InformerConfiguration
    private let logger: Logger
    private var machine: InformerStateMachine<Object>
    private var subscribers: [Int: AsyncStream<InformerEvent<Object>>.Continuation] = [:]
    private var syncWaiters: [Int: CheckedContinuation<Bool, Never>] = [:]
    private var nextID = 0
    private var finished = false

    public init(
        source: InformerSource<Object>, indexers: [Indexer<Object>] = [],
        configuration: InformerConfiguration = InformerConfiguration(),
        logger: Logger = Logger(label: "quiver.informer")
    ) {
        self.source = source
        self.configuration = configuration
        self.logger = logger
        self.machine = InformerStateMachine(
            indexers: indexers,
            configuration: .init(initialBackoff: configuration.initialBackoff, maximumBackoff: configuration.maximumBackoff))
    }

    // MARK: Cache

    public var hasSynced: Bool { machine.hasSynced }
    /// The resourceVersion the informer has seen up to.
    public var lastResourceVersion: String? { machine.lastResourceVersion }

    public func get(key: String) -> Object? { machine.store.get(key) }
    public func get(name: String, namespace: String? = nil) -> Object? {
        machine.store.get(namespace.map { "\($0)/\(name)" } ?? name)
    }
    public func list() -> [Object] { machine.store.list() }
    public func list(namespace: String) -> [Object] { machine.store.byIndex(Indexer<Object>.namespaceIndexName, namespace) }
    public func byIndex(_ name: String, _ value: String) -> [Object] { machine.store.byIndex(name, value) }
    public var keys: [String] { machine.store.keys }
    public var count: Int { machine.store.count }
    public nonisolated func metadata(of object: Object) -> ObjectMeta { source.metadata(object) }

    // MARK: Subscriptions

    /// A stream of every event from now on, preceded by an `.added` for each cached object.
    /// It ends when the informer stops.
    public func events() -> AsyncStream<InformerEvent<Object>> {
        let (stream, continuation) = AsyncStream.makeStream(of: InformerEvent<Object>.self)
        if finished {
            continuation.finish()
            return stream
        }
        for object in machine.store.list() { continuation.yield(.added(object)) }
        let id = nextID
        nextID += 1
        subscribers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    /// Runs `handler` for every event, in order, in a task of its own; returns that task.
    @discardableResult
    public func addHandler(_ handler: @escaping @Sendable (InformerEvent<Object>) async -> Void) -> Task<Void, Never> {
        let stream = events()
        return Task {
            for await event in stream { await handler(event) }
        }
    }

    /// Waits until the first list is cached. False if the informer stopped first or the task was cancelled.
    public func waitForSync() async -> Bool {
        if machine.hasSynced { return true }
        if finished { return false }
        let id = nextID
        nextID += 1
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: false)
                } else {
                    syncWaiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.resumeSyncWaiter(id, synced: false) }
        }
    }

    private func unsubscribe(_ id: Int) {
        subscribers[id] = nil
    }

    private func resumeSyncWaiter(_ id: Int, synced: Bool) {
        syncWaiters.removeValue(forKey: id)?.resume(returning: synced)
    }

    // MARK: Running

    /// Lists and watches until the task is cancelled or `stop()` is called; then ends every
    /// subscriber's stream.
    public func run() async {
        var actions = machine.start()
        while !actions.isEmpty, !Task.isCancelled, machine.phase != .stopped {
            let action = actions.removeFirst()
            switch action {
            case .deliver(let events):
                deliver(events)
            case .synced:
                for (_, waiter) in syncWaiters { waiter.resume(returning: true) }
                syncWaiters.removeAll()
            case .list:
                do {
                    let (rv, objects) = try await source.list()
                    let items = objects.map { InformerItem(object: $0, metadata: source.metadata($0)) }
                    actions += machine.listSucceeded(resourceVersion: rv, items: items)
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("list failed", metadata: ["error": "\(error)"])
                    actions += machine.listFailed()
                }
            case .watch(let rv):
                actions += await watch(from: rv)
            case .backoff(let delay):
                do {
                    try await Task.sleep(for: delay)
                } catch {
                    break
                }
                actions += machine.backoffElapsed()
            }
        }
        machine.stop()
        finish()
    }

    /// Stops a running informer at its next step.
    public func stop() {
        machine.stop()
    }

    private func watch(from rv: String) async -> [InformerStateMachine<Object>.Action] {
        let minimum = max(1, configuration.minimumWatchTimeoutSeconds)
        let timeout = Int.random(in: minimum..<(2 * minimum))
        var received = false
        do {
            let stream = try await source.watch(rv, timeout)
            for try await event in stream {
                received = true
                for action in machine.received(event) {
                    if case .deliver(let events) = action { deliver(events) }
                }
                if machine.phase == .stopped { return [] }
            }
            if Task.isCancelled { return [] }
            return machine.watchEnded(.closed(receivedEvents: received))
        } catch {
            if Task.isCancelled { return [] }
            let end = Self.classify(error)
            logger.debug("watch ended", metadata: ["error": "\(error)", "resourceVersion": "\(machine.lastResourceVersion ?? "")"])
            if end == .expired {
                logger.info("watch resourceVersion expired; relisting", metadata: ["resourceVersion": "\(rv)"])
            }
            return machine.watchEnded(end)
        }
    }

    static func classify(_ error: any Error) -> InformerStateMachine<Object>.WatchEnd {
        if let api = error as? KubeAPIError {
            if api.isGone { return .expired }
            if api.code == 429 || api.code >= 500 { return .disconnected }
            return .failed
        }
        if let client = error as? KubeClientError, client == .transport { return .disconnected }
        if error is KubeClientError { return .failed }
        return .disconnected
    }

    private func deliver(_ events: [InformerEvent<Object>]) {
        for (_, subscriber) in subscribers {
            for event in events { subscriber.yield(event) }
        }
    }

    private func finish() {
        finished = true
        for (_, subscriber) in subscribers { subscriber.finish() }
        subscribers.removeAll()
        for (_, waiter) in syncWaiters { waiter.resume(returning: machine.hasSynced) }
        syncWaiters.removeAll()
    }
}
