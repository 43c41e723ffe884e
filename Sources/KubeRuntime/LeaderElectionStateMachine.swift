import Foundation
import KubeModel

/// The decisions of leader election on a Lease (client-go's `leaderelection` with a LeaseLock), as a
/// pure value with the clock passed in:
///
/// - acquire when the lease is absent (create it), free (no holder), expired (`renewTime +
///   leaseDurationSeconds <= now`) or already ours; taking it from another holder increments
///   `leaseTransitions`;
/// - a lease another holder renewed recently is left alone: wait `retryPeriod` and look again;
/// - while leading, renew every `retryPeriod`; if renewals keep failing for `renewDeadline`, or the
///   lease turns out to be someone else's, leadership is lost;
/// - writes are conditional on the resourceVersion read; a 409 means "read again";
/// - on stop, a leader releases the lease (empty holder, 1 s duration, as `ReleaseOnCancel` does).
///
/// The shell performs each returned action in order and reports back with the matching input.
public struct LeaderElectionStateMachine: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var identity: String
        /// How long a lease is valid after its last renewal (what others wait before taking over).
        public var leaseDuration: Duration
        /// How long a leader keeps trying to renew before it gives up leadership (< leaseDuration).
        public var renewDeadline: Duration
        /// The pause between attempts.
        public var retryPeriod: Duration

        public init(
            identity: String, leaseDuration: Duration = .seconds(15), renewDeadline: Duration = .seconds(10),
            retryPeriod: Duration = .seconds(2)
        ) {
            self.identity = identity
            self.leaseDuration = leaseDuration
            self.renewDeadline = renewDeadline
            self.retryPeriod = retryPeriod
        }
    }

    public enum Action: Sendable, Hashable {
        /// Read the lease; answer `leaseRead(_:now:)` (nil when it does not exist) or `failed(now:)`.
        case getLease
        /// Create the lease with this spec; answer `written(_:now:)`, `conflict(now:)` (409 AlreadyExists) or `failed(now:)`.
        case createLease(LeaseSpec)
        /// Replace the spec of the lease last read (conditional on its resourceVersion); answer as for create.
        case updateLease(LeaseSpec)
        case becomeLeader
        case loseLeadership
        /// Sleep until then and call `timerFired(now:)`.
        case wait(until: Date)
        /// Stopped: nothing more to do.
        case finished
    }

    public enum Role: Sendable, Hashable {
        case candidate, leader, stopped
    }

    public let configuration: Configuration
    public private(set) var role: Role = .candidate
    /// The lease spec last read or written.
    public private(set) var observed: LeaseSpec?
    /// When this candidate last wrote the lease as its holder.
    public private(set) var lastRenewal: Date?
    private var releasing = false

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    public var isLeader: Bool { role == .leader }

    public mutating func start(now: Date) -> [Action] {
        guard role == .candidate else { return [] }
        return [.getLease]
    }

    public mutating func timerFired(now: Date) -> [Action] {
        switch role {
        case .stopped: return []
        case .leader:
            // Renew straight away from the lease we hold; a conflict sends us back to reading it.
            if let observed, observed.holderIdentity == configuration.identity {
                return [.updateLease(renewed(observed, now: now))]
            }
            return [.getLease]
        case .candidate:
            return [.getLease]
        }
    }

    /// The lease as read (`nil`: it does not exist).
    public mutating func leaseRead(_ spec: LeaseSpec?, now: Date) -> [Action] {
        guard role != .stopped, !releasing else { return [] }
        guard let spec else {
            return [.createLease(acquired(previous: nil, now: now))]
        }
        observed = spec
        if spec.holderIdentity == configuration.identity {
            return [.updateLease(renewed(spec, now: now))]
        }
        if Self.isHeld(spec, now: now, defaultDuration: configuration.leaseDuration) {
            // Someone else leads.
            var actions: [Action] = []
            if role == .leader {
                role = .candidate
                actions.append(.loseLeadership)
            }
            actions.append(.wait(until: now + configuration.retryPeriod.timeInterval))
            return actions
        }
        return [.updateLease(acquired(previous: spec, now: now))]
    }

    /// A create or update succeeded; `spec` is what the server stored.
    public mutating func written(_ spec: LeaseSpec, now: Date) -> [Action] {
        observed = spec
        if releasing {
            return finish()
        }
        guard role != .stopped else { return [] }
        guard spec.holderIdentity == configuration.identity else {
            return [.wait(until: now + configuration.retryPeriod.timeInterval)]
        }
        lastRenewal = now
        var actions: [Action] = []
        if role == .candidate {
            role = .leader
            actions.append(.becomeLeader)
        }
        actions.append(.wait(until: now + configuration.retryPeriod.timeInterval))
        return actions
    }

    /// A write was refused with 409 (stale resourceVersion, or the lease was created meanwhile).
    public mutating func conflict(now: Date) -> [Action] {
        if releasing { return finish() }
        guard role != .stopped else { return [] }
        if let expired = renewDeadlinePassed(now: now) { return expired }
        return [.getLease]
    }

    /// A read or write failed (connection, 5xx, 403, …).
    public mutating func failed(now: Date) -> [Action] {
        if releasing { return finish() }
        guard role != .stopped else { return [] }
        if let expired = renewDeadlinePassed(now: now) { return expired }
        return [.wait(until: now + configuration.retryPeriod.timeInterval)]
    }

    /// Stop campaigning; a leader releases the lease first when `release` is true.
    public mutating func stop(now: Date, release: Bool = true) -> [Action] {
        guard role != .stopped, !releasing else { return [] }
        if role == .leader, release, let observed, observed.holderIdentity == configuration.identity {
            releasing = true
            var released = observed
            released.holderIdentity = ""
            released.leaseDurationSeconds = 1
            released.acquireTime = MicroTime(now)
            released.renewTime = MicroTime(now)
            return [.updateLease(released)]
        }
        return finish()
    }

    /// Whether another holder's lease is still valid at `now`.
    public static func isHeld(_ spec: LeaseSpec, now: Date, defaultDuration: Duration) -> Bool {
        guard let holder = spec.holderIdentity, !holder.isEmpty, let renew = spec.renewTime else { return false }
        let duration = spec.leaseDurationSeconds.map { TimeInterval($0) } ?? defaultDuration.timeInterval
        return renew.date.addingTimeInterval(duration) > now
    }

    private var leaseDurationSeconds: Int32 {
        Int32(clamping: max(1, configuration.leaseDuration.components.seconds))
    }

    private func renewed(_ spec: LeaseSpec, now: Date) -> LeaseSpec {
        var next = spec
        next.holderIdentity = configuration.identity
        next.leaseDurationSeconds = leaseDurationSeconds
        next.renewTime = MicroTime(now)
        if next.acquireTime == nil { next.acquireTime = MicroTime(now) }
        if next.leaseTransitions == nil { next.leaseTransitions = 0 }
        return next
    }

    private func acquired(previous: LeaseSpec?, now: Date) -> LeaseSpec {
        var next = previous ?? LeaseSpec()
        next.holderIdentity = configuration.identity
        next.leaseDurationSeconds = leaseDurationSeconds
        next.acquireTime = MicroTime(now)
        next.renewTime = MicroTime(now)
        next.leaseTransitions = previous.map { ($0.leaseTransitions ?? 0) + 1 } ?? 0
        return next
    }

    private mutating func renewDeadlinePassed(now: Date) -> [Action]? {
        guard role == .leader else { return nil }
        let last = lastRenewal ?? .distantPast
        guard now.timeIntervalSince(last) >= configuration.renewDeadline.timeInterval else { return nil }
        role = .candidate
        return [.loseLeadership, .wait(until: now + configuration.retryPeriod.timeInterval)]
    }

    private mutating func finish() -> [Action] {
        let wasLeader = role == .leader
        role = .stopped
        releasing = false
        return wasLeader ? [.loseLeadership, .finished] : [.finished]
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        let c = components
        return TimeInterval(c.seconds) + TimeInterval(c.attoseconds) / 1e18
    }
}
