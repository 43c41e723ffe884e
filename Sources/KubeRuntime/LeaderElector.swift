import Foundation
import KubeModel
import Logging

/// Where and as whom to campaign.
public struct LeaderElectionConfiguration: Sendable, Hashable {
    public var leaseName: String
    public var leaseNamespace: String
    /// Unique per process, e.g. `<pod name>_<uuid>`.
    public var identity: String
    public var leaseDuration: Duration
    public var renewDeadline: Duration
    public var retryPeriod: Duration
    /// Release the lease when `run` is cancelled, so a successor need not wait for it to expire.
    public var releaseOnCancel: Bool

    public init(
        leaseName: String, leaseNamespace: String, identity: String, leaseDuration: Duration = .seconds(15),
        renewDeadline: Duration = .seconds(10), retryPeriod: Duration = .seconds(2), releaseOnCancel: Bool = true
    ) {
        self.leaseName = leaseName
        self.leaseNamespace = leaseNamespace
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.releaseOnCancel = releaseOnCancel
    }
}

/// Reads and writes the lock object. `lease(client:name:namespace:)` uses a coordination.k8s.io/v1
/// Lease; tests can pass closures.
public struct LeaseLock: Sendable {
    /// The lease, or nil if it does not exist.
    public var get: @Sendable () async throws -> Lease?
    public var create: @Sendable (Lease) async throws -> Lease
    /// A PUT conditional on the lease's resourceVersion.
    public var update: @Sendable (Lease) async throws -> Lease

    public init(
        get: @escaping @Sendable () async throws -> Lease?, create: @escaping @Sendable (Lease) async throws -> Lease,
        update: @escaping @Sendable (Lease) async throws -> Lease
    ) {
        self.get = get
        self.create = create
        self.update = update
    }

    public static func lease(client: KubeClient, name: String, namespace: String) -> LeaseLock {
        LeaseLock(
            get: {
                do {
                    return try await client.get(Lease.self, name: name, namespace: namespace)
                } catch let error as KubeAPIError where error.isNotFound {
                    return nil
                }
            },
            create: { try await client.create($0, namespace: namespace) },
            update: { try await client.update($0, namespace: namespace) })
    }
}

/// Campaigns for leadership on a Lease and runs work while leading (client-go's LeaderElector).
///
/// `run(onStartedLeading:onStoppedLeading:)` campaigns until its task is cancelled. On becoming leader
/// it starts `onStartedLeading` in a task of its own, which is cancelled when leadership is lost;
/// `onStoppedLeading` follows. On cancellation a leader releases the lease (`releaseOnCancel`).
public actor LeaderElector {
    public let configuration: LeaderElectionConfiguration
    private let lock: LeaseLock
    private let logger: Logger
    private var machine: LeaderElectionStateMachine
    private var lease: Lease?
    private var watchers: [Int: AsyncStream<Bool>.Continuation] = [:]
    private var nextID = 0

    public init(configuration: LeaderElectionConfiguration, lock: LeaseLock, logger: Logger = Logger(label: "quiver.leader-election")) {
        self.configuration = configuration
        self.lock = lock
        var logger = logger
        logger[metadataKey: "lease"] = "\(configuration.leaseNamespace)/\(configuration.leaseName)"
        logger[metadataKey: "identity"] = "\(configuration.identity)"
        self.logger = logger
        self.machine = LeaderElectionStateMachine(
            configuration: .init(
                identity: configuration.identity, leaseDuration: configuration.leaseDuration,
                renewDeadline: configuration.renewDeadline, retryPeriod: configuration.retryPeriod))
    }

    /// Campaigns on a Lease through `client`.
    public init(configuration: LeaderElectionConfiguration, client: KubeClient, logger: Logger = Logger(label: "quiver.leader-election")) {
        self.init(
            configuration: configuration,
            lock: .lease(client: client, name: configuration.leaseName, namespace: configuration.leaseNamespace),
            logger: logger)
    }

    public var isLeader: Bool { machine.isLeader }

    /// True when leadership is gained, false when it is lost; ends when `run` returns.
    public func leadershipChanges() -> AsyncStream<Bool> {
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self)
        let id = nextID
        nextID += 1
        watchers[id] = continuation
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeWatcher(id) }
        }
        return stream
    }

    private func removeWatcher(_ id: Int) {
        watchers[id] = nil
    }

    public func run(
        onStartedLeading: @escaping @Sendable () async -> Void = {},
        onStoppedLeading: @escaping @Sendable () async -> Void = {}
    ) async {
        var leading: Task<Void, Never>?
        var actions = machine.start(now: Date())
        var stopping = false
        while true {
            if Task.isCancelled, !stopping {
                stopping = true
                actions = machine.stop(now: Date(), release: configuration.releaseOnCancel)
            }
            guard !actions.isEmpty else { break }
            let action = actions.removeFirst()
            switch action {
            case .getLease:
                do {
                    let current = try await detached { try await self.lock.get() }
                    lease = current
                    actions += machine.leaseRead(current?.spec, now: Date())
                } catch {
                    logger.warning("reading the lease failed", metadata: ["error": "\(error)"])
                    actions += machine.failed(now: Date())
                }
            case .createLease(let spec):
                let new = Lease(
                    metadata: ObjectMeta(name: configuration.leaseName, namespace: configuration.leaseNamespace), spec: spec)
                actions += await write { try await self.lock.create(new) }
            case .updateLease(let spec):
                guard var updated = lease else {
                    actions += machine.conflict(now: Date())
                    continue
                }
                updated.spec = spec
                let toWrite = updated
                actions += await write { try await self.lock.update(toWrite) }
            case .becomeLeader:
                logger.info("became leader")
                notify(true)
                leading = Task { await onStartedLeading() }
            case .loseLeadership:
                logger.warning("lost leadership")
                leading?.cancel()
                if let task = leading { await task.value }
                leading = nil
                notify(false)
                await onStoppedLeading()
            case .wait(let until):
                let delay = until.timeIntervalSinceNow
                if delay > 0 {
                    try? await Task.sleep(for: .nanoseconds(Int64(delay * 1e9)))
                }
                if !Task.isCancelled { actions += machine.timerFired(now: Date()) }
            case .finished:
                actions.removeAll()
            }
        }
        if let task = leading {
            task.cancel()
            await task.value
        }
        for (_, watcher) in watchers { watcher.finish() }
        watchers.removeAll()
    }

    /// Performs a create or update and feeds its outcome to the machine.
    private func write(_ operation: @escaping @Sendable () async throws -> Lease) async -> [LeaderElectionStateMachine.Action] {
        do {
            let stored = try await detached(operation)
            lease = stored
            return machine.written(stored.spec ?? LeaseSpec(), now: Date())
        } catch let error as KubeAPIError where error.isConflict || error.isAlreadyExists {
            logger.debug("lease write conflict; reading it again")
            return machine.conflict(now: Date())
        } catch {
            logger.warning("writing the lease failed", metadata: ["error": "\(error)"])
            return machine.failed(now: Date())
        }
    }

    /// Runs a request outside the caller's cancellation, so the release on shutdown still goes out.
    private nonisolated func detached<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task { try await operation() }.value
    }

    private func notify(_ leading: Bool) {
        for (_, watcher) in watchers { watcher.yield(leading) }
    }
}
