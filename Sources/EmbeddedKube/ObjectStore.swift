import DequeModule
import KubeModel
import Synchronization

/// One stored object: its JSON, the serialized bytes we answer with, and its resourceVersion.
struct StoredObject: Sendable {
    var value: JSONValue
    var bytes: [UInt8]
    var resourceVersion: Int64
}

/// A change, as watchers and the history see it.
struct WatchRecord: Sendable {
    var resourceVersion: Int64
    var storageKey: String
    var namespace: String
    var type: WatchEventType
    var object: JSONValue
    /// The object before this change (MODIFIED and DELETED), so that selector watches can turn a
    /// change that leaves their selection into DELETED and one that enters it into ADDED.
    var previous: JSONValue?
}

/// What a watcher's stream carries: changes, plus ticks (bookmark timer, with the resourceVersion
/// that every change before the tick is at or below) and the end of the watch's time.
enum WatchSignal: Sendable {
    case record(WatchRecord)
    case tick(Int64)
    case end
}

/// What a write does to one object.
enum StoreMutation: Sendable {
    case put(JSONValue)
    case delete
    case none
}

/// The in-memory state of every object, a global resourceVersion counter, a bounded history of
/// changes for watches, and the watchers. Writes are serialized under one lock, handed to the
/// persistence writer in order, and acknowledged by callers only after `waitDurable`.
final class ObjectStore: Sendable {
    struct State: Sendable {
        var resourceVersion: Int64 = 1
        var objects: [String: [String: StoredObject]] = [:]
        var history = Deque<WatchRecord>()
        var watchers: [String: [UInt64: Watcher]] = [:]
        var nextWatcherID: UInt64 = 1
        /// Watches and exact lists from before this resourceVersion get 410 Gone, as after an etcd compaction.
        var compactedRevision: Int64 = 1
        /// When each history entry was recorded (parallel to `history`), for time-based compaction.
        var historyTimes = Deque<ContinuousClock.Instant>()
    }

    final class Watcher: Sendable {
        let namespace: String?
        let continuation: AsyncStream<WatchSignal>.Continuation
        init(namespace: String?, continuation: AsyncStream<WatchSignal>.Continuation) {
            self.namespace = namespace
            self.continuation = continuation
        }
    }

    private let state: Mutex<State>
    let persistence: Persistence?
    let historyLimit: Int
    /// Events a slow watcher may have queued before the server ends its watch (the client resumes).
    let watcherBufferLimit: Int

    init(persistence: Persistence?, loaded: [String: [String: StoredObject]] = [:], resourceVersion: Int64 = 1,
         historyLimit: Int = 10_000, watcherBufferLimit: Int = 100_000) {
        var s = State()
        s.objects = loaded
        s.resourceVersion = resourceVersion
        s.compactedRevision = resourceVersion
        self.state = Mutex(s)
        self.persistence = persistence
        self.historyLimit = historyLimit
        self.watcherBufferLimit = watcherBufferLimit
    }

    var currentResourceVersion: Int64 { state.withLock { $0.resourceVersion } }

    /// The oldest resourceVersion a watch may start from; older ones get 410 Gone.
    var oldestWatchableResourceVersion: Int64 {
        state.withLock { s in Self.oldestWatchable(s) }
    }

    private static func oldestWatchable(_ s: State) -> Int64 {
        let historyStart = s.history.first.map { $0.resourceVersion - 1 } ?? s.resourceVersion
        return max(s.compactedRevision, historyStart)
    }

    /// Forgets changes recorded before `age` ago (all of them for zero), like the periodic etcd
    /// compaction kube-apiserver runs: watches from before that get 410 Gone and clients relist.
    func compact(olderThan age: Duration) {
        let cutoff = ContinuousClock.now - age
        state.withLock { s in
            while let t = s.historyTimes.first, t <= cutoff, let record = s.history.first {
                s.compactedRevision = record.resourceVersion
                s.history.removeFirst()
                s.historyTimes.removeFirst()
            }
            if s.history.isEmpty { s.compactedRevision = s.resourceVersion }
        }
    }

    func get(_ storageKey: String, key: String) -> StoredObject? {
        state.withLock { $0.objects[storageKey]?[key] }
    }

    /// Every object of a resource (optionally one namespace), in key order, with the
    /// resourceVersion the snapshot was taken at.
    func list(_ storageKey: String, namespace: String?) -> (objects: [(key: String, object: StoredObject)], resourceVersion: Int64) {
        let (all, rv) = state.withLock { s in (s.objects[storageKey] ?? [:], s.resourceVersion) }
        var items: [(key: String, object: StoredObject)] = []
        items.reserveCapacity(all.count)
        if let namespace {
            let prefix = namespace + "/"
            for (k, v) in all where k.hasPrefix(prefix) { items.append((k, v)) }
        } else {
            for (k, v) in all { items.append((k, v)) }
        }
        items.sort { $0.key < $1.key }
        return (items, rv)
    }

    /// All objects of every resource whose JSON satisfies `predicate` (used by the garbage collector
    /// and the namespace controller).
    func scanAll(_ predicate: (String, StoredObject) -> Bool) -> [(storageKey: String, key: String, object: StoredObject)] {
        state.withLock { s in
            var out: [(storageKey: String, key: String, object: StoredObject)] = []
            for (storageKey, objects) in s.objects {
                for (key, object) in objects where predicate(storageKey, object) {
                    out.append((storageKey, key, object))
                }
            }
            return out
        }
    }

    struct WriteResult: Sendable {
        /// The object as stored (nil after a delete or a no-op on a missing object).
        var object: StoredObject?
        /// The object before the write.
        var previous: StoredObject?
        var durableTicket: UInt64?
    }

    /// Runs `body` on the current object under the store lock and applies what it returns: a put
    /// gets the next resourceVersion (written into `metadata.resourceVersion`), a delete removes the
    /// object. Both are recorded in the history, sent to watchers and queued for persistence.
    func write<R>(
        _ storageKey: String, key: String, namespace: String,
        _ body: (StoredObject?, _ nextResourceVersion: Int64) throws -> (StoreMutation, R)
    ) throws -> (WriteResult, R) {
        try state.withLock { s in
            let current = s.objects[storageKey]?[key]
            let nextRV = s.resourceVersion + 1
            let (mutation, extra) = try body(current, nextRV)
            switch mutation {
            case .none:
                return (WriteResult(object: current, previous: current, durableTicket: nil), extra)
            case .put(var value):
                s.resourceVersion = nextRV
                value[path: ["metadata", "resourceVersion"]] = .string(String(nextRV))
                let stored = StoredObject(value: value, bytes: value.serialized(), resourceVersion: nextRV)
                s.objects[storageKey, default: [:]][key] = stored
                let record = WatchRecord(
                    resourceVersion: nextRV, storageKey: storageKey, namespace: namespace,
                    type: current == nil ? .added : .modified, object: value, previous: current?.value)
                Self.record(record, in: &s, historyLimit: historyLimit)
                let ticket = persistence?.append(.upsert(storageKey: storageKey, key: key, resourceVersion: nextRV, bytes: stored.bytes))
                return (WriteResult(object: stored, previous: current, durableTicket: ticket), extra)
            case .delete:
                guard let current else {
                    return (WriteResult(object: nil, previous: nil, durableTicket: nil), extra)
                }
                s.resourceVersion = nextRV
                s.objects[storageKey]?[key] = nil
                var last = current.value
                last[path: ["metadata", "resourceVersion"]] = .string(String(nextRV))
                let record = WatchRecord(
                    resourceVersion: nextRV, storageKey: storageKey, namespace: namespace,
                    type: .deleted, object: last, previous: current.value)
                Self.record(record, in: &s, historyLimit: historyLimit)
                let ticket = persistence?.append(.delete(storageKey: storageKey, key: key, resourceVersion: nextRV))
                return (WriteResult(object: nil, previous: current, durableTicket: ticket), extra)
            }
        }
    }

    private static func record(_ record: WatchRecord, in s: inout State, historyLimit: Int) {
        s.history.append(record)
        s.historyTimes.append(ContinuousClock.now)
        if s.history.count > historyLimit {
            let excess = s.history.count - historyLimit
            s.compactedRevision = s.history[excess - 1].resourceVersion
            s.history.removeFirst(excess)
            s.historyTimes.removeFirst(excess)
        }
        if let watchers = s.watchers[record.storageKey] {
            for (_, watcher) in watchers {
                if let ns = watcher.namespace, ns != record.namespace { continue }
                if case .dropped = watcher.continuation.yield(.record(record)) {
                    // Too slow: end its watch; the client resumes from its last resourceVersion.
                    watcher.continuation.finish()
                }
            }
        }
        // Internal controllers watch everything.
        if let watchers = s.watchers["*"] {
            for (_, watcher) in watchers {
                if case .dropped = watcher.continuation.yield(.record(record)) { watcher.continuation.finish() }
            }
        }
    }

    /// Waits until the write with this ticket is on disk (returns at once without persistence).
    func waitDurable(_ ticket: UInt64?) async throws {
        guard let ticket, let persistence else { return }
        try await persistence.waitCommitted(ticket)
    }

    enum WatchStart: Sendable {
        /// Synthetic ADDED events for the current objects first, then live changes.
        case currentState
        /// Changes after this resourceVersion.
        case after(Int64)
    }

    struct Subscription: Sendable {
        var initial: [WatchRecord]
        var stream: AsyncStream<WatchSignal>
        var cancel: @Sendable () -> Void
        /// Puts a tick or the end into this watcher's stream, after every change already sent to it.
        var inject: @Sendable (WatchSignal) -> Void
        var resourceVersion: Int64
    }

    /// Registers a watcher atomically with a snapshot: either the current objects as ADDED records
    /// or the history after `rv`. Throws 410 Expired when `rv` is older than the history.
    /// `storageKey` "*" watches every resource (internal controllers).
    func subscribe(_ storageKey: String, namespace: String?, from start: WatchStart) throws -> Subscription {
        let (stream, continuation) = AsyncStream<WatchSignal>.makeStream(bufferingPolicy: .bufferingOldest(watcherBufferLimit))
        let watcher = Watcher(namespace: namespace, continuation: continuation)
        let (id, initial, rv): (UInt64, [WatchRecord], Int64) = try state.withLock { s in
            var initial: [WatchRecord] = []
            switch start {
            case .currentState:
                let objects = (s.objects[storageKey] ?? [:]).sorted { $0.key < $1.key }
                for (key, object) in objects {
                    let parts = key.split(separator: "/", maxSplits: 1)
                    let ns = parts.count == 2 ? String(parts[0]) : ""
                    if let namespace, ns != namespace { continue }
                    initial.append(WatchRecord(
                        resourceVersion: object.resourceVersion, storageKey: storageKey, namespace: ns,
                        type: .added, object: object.value, previous: nil))
                }
            case .after(let rv):
                let oldest = Self.oldestWatchable(s)
                if rv < oldest {
                    throw APIServerError.expired("too old resource version: \(rv) (\(oldest))")
                }
                for record in s.history where record.resourceVersion > rv && (storageKey == "*" || record.storageKey == storageKey) {
                    if let namespace, record.namespace != namespace { continue }
                    initial.append(record)
                }
            }
            let id = s.nextWatcherID
            s.nextWatcherID += 1
            s.watchers[storageKey, default: [:]][id] = watcher
            return (id, initial, s.resourceVersion)
        }
        let remove: @Sendable () -> Watcher? = { [weak self] in
            self?.state.withLock { s in s.watchers[storageKey]?.removeValue(forKey: id) }
        }
        let cancel: @Sendable () -> Void = { remove()?.continuation.finish() }
        // finish() may run under the store lock (a watcher that fell behind), so remove it later.
        continuation.onTermination = { _ in Task { _ = remove() } }
        return Subscription(
            initial: initial, stream: stream, cancel: cancel,
            inject: { signal in continuation.yield(signal) }, resourceVersion: rv)
    }
}
