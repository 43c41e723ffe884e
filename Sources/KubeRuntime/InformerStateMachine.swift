/// What an informer tells its handlers.
public enum InformerEvent<Object: Sendable>: Sendable {
    case added(Object)
    case updated(old: Object, new: Object)
    case deleted(Object)

    /// The object as it is now (for a delete, its last known state).
    public var object: Object {
        switch self {
        case .added(let o), .deleted(let o): o
        case .updated(_, let new): new
        }
    }
}

/// One event of the watch an informer follows.
public enum InformerWatchEvent<Object: Sendable>: Sendable {
    case added(InformerItem<Object>)
    case modified(InformerItem<Object>)
    case deleted(InformerItem<Object>)
    /// The server's progress notice: everything up to this resourceVersion has been sent.
    case bookmark(resourceVersion: String)
}

/// The decisions of an informer (client-go's reflector), as a pure value: list, then watch from the
/// list's resourceVersion; keep the cache; resume the watch from the last resourceVersion seen (events
/// and bookmarks) after a clean end or a dropped connection; relist on 410 Gone, emitting deletes for
/// objects that vanished and updates for those that changed; back off exponentially on failures.
///
/// Each input returns the actions the shell performs in order; after `.backoff(d)` it sleeps `d`
/// and calls `backoffElapsed()`.
public struct InformerStateMachine<Object: Sendable>: Sendable {
    public enum Action: Sendable {
        /// List everything (a consistent read), then call `listSucceeded` or `listFailed`.
        case list
        /// Watch from this resourceVersion with bookmarks, feed `received`, end with `watchEnded`.
        case watch(fromResourceVersion: String)
        /// Sleep, then call `backoffElapsed()`.
        case backoff(Duration)
        /// Hand these events to the handlers.
        case deliver([InformerEvent<Object>])
        /// The first list is in the cache: `hasSynced` becomes true.
        case synced
    }

    /// How a watch ended.
    public enum WatchEnd: Sendable, Hashable {
        /// The server ended the body (timeoutSeconds); `receivedEvents` says whether anything came.
        case closed(receivedEvents: Bool)
        /// 410 Gone / Expired (an ERROR event or the HTTP status): the resourceVersion is too old.
        case expired
        /// The connection dropped, or the server was overloaded (429/5xx): resume after a backoff.
        case disconnected
        /// Any other refusal (403, 404, …): relist after a backoff.
        case failed
    }

    public enum Phase: Sendable, Hashable {
        case idle, listing, watching, backingOff, stopped
    }

    public struct Configuration: Sendable, Hashable {
        public var initialBackoff: Duration
        public var maximumBackoff: Duration

        public init(initialBackoff: Duration = .milliseconds(800), maximumBackoff: Duration = .seconds(30)) {
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
        }
    }

    private enum AfterBackoff: Sendable, Hashable {
        case list, watch
    }

    public private(set) var store: InformerStore<Object>
    public private(set) var phase: Phase = .idle
    /// The resourceVersion the next watch starts from.
    public private(set) var lastResourceVersion: String?
    public private(set) var hasSynced = false
    public private(set) var consecutiveFailures = 0
    public let configuration: Configuration
    private var afterBackoff: AfterBackoff = .list

    public init(indexers: [Indexer<Object>] = [], configuration: Configuration = Configuration()) {
        self.store = InformerStore(indexers: indexers)
        self.configuration = configuration
    }

    public mutating func start() -> [Action] {
        guard phase == .idle else { return [] }
        phase = .listing
        return [.list]
    }

    public mutating func stop() {
        phase = .stopped
    }

    /// The list came back: replace the cache, emitting adds, updates (resourceVersion changed) and
    /// deletes (gone from the list), then watch from the list's resourceVersion.
    public mutating func listSucceeded(resourceVersion: String, items: [InformerItem<Object>]) -> [Action] {
        guard phase == .listing else { return [] }
        var events: [InformerEvent<Object>] = []
        var seen = Set<String>()
        for item in items {
            let key = item.key
            seen.insert(key)
            if let old = store.upsert(item) {
                if old.resourceVersion != item.resourceVersion {
                    events.append(.updated(old: old.object, new: item.object))
                }
            } else {
                events.append(.added(item.object))
            }
        }
        for key in store.keys where !seen.contains(key) {
            if let gone = store.remove(key: key) { events.append(.deleted(gone.object)) }
        }
        lastResourceVersion = resourceVersion
        consecutiveFailures = 0
        phase = .watching
        var actions: [Action] = []
        if !events.isEmpty { actions.append(.deliver(events)) }
        if !hasSynced {
            hasSynced = true
            actions.append(.synced)
        }
        actions.append(.watch(fromResourceVersion: resourceVersion))
        return actions
    }

    public mutating func listFailed() -> [Action] {
        guard phase == .listing else { return [] }
        return backOff(then: .list)
    }

    /// One watch event: update the cache and the resourceVersion.
    public mutating func received(_ event: InformerWatchEvent<Object>) -> [Action] {
        guard phase == .watching else { return [] }
        consecutiveFailures = 0
        switch event {
        case .bookmark(let rv):
            if !rv.isEmpty { lastResourceVersion = rv }
            return []
        case .added(let item), .modified(let item):
            if let rv = item.resourceVersion, !rv.isEmpty { lastResourceVersion = rv }
            if let old = store.upsert(item) {
                return [.deliver([.updated(old: old.object, new: item.object)])]
            }
            return [.deliver([.added(item.object)])]
        case .deleted(let item):
            if let rv = item.resourceVersion, !rv.isEmpty { lastResourceVersion = rv }
            store.remove(key: item.key)
            return [.deliver([.deleted(item.object)])]
        }
    }

    public mutating func watchEnded(_ end: WatchEnd) -> [Action] {
        guard phase == .watching else { return [] }
        switch end {
        case .closed(receivedEvents: true):
            consecutiveFailures = 0
            return [.watch(fromResourceVersion: lastResourceVersion ?? "")]
        case .closed(receivedEvents: false):
            // An empty watch that ends may be a quiet resource or a server closing at once: resume,
            // but after a (growing) pause so a misbehaving server is not hammered.
            return backOff(then: .watch)
        case .expired:
            phase = .listing
            return [.list]
        case .disconnected:
            return backOff(then: .watch)
        case .failed:
            return backOff(then: .list)
        }
    }

    public mutating func backoffElapsed() -> [Action] {
        guard phase == .backingOff else { return [] }
        switch afterBackoff {
        case .list:
            phase = .listing
            return [.list]
        case .watch:
            guard let rv = lastResourceVersion else {
                phase = .listing
                return [.list]
            }
            phase = .watching
            return [.watch(fromResourceVersion: rv)]
        }
    }

    /// The pause before retry number `consecutiveFailures`: initial · 2^(n-1), capped.
    public func backoffDelay(failures: Int) -> Duration {
        var delay = configuration.initialBackoff
        var n = 1
        while n < failures, delay < configuration.maximumBackoff {
            delay = delay * 2
            n += 1
        }
        return min(delay, configuration.maximumBackoff)
    }

    private mutating func backOff(then next: AfterBackoff) -> [Action] {
        consecutiveFailures += 1
        afterBackoff = next
        phase = .backingOff
        return [.backoff(backoffDelay(failures: consecutiveFailures))]
    }
}
