import Foundation
import KubeModel
import Testing

@testable import KubeRuntime

@Suite struct LeaderElectionStateMachineTests {
    typealias Machine = LeaderElectionStateMachine
    let t0 = Date(timeIntervalSince1970: 1_795_516_203.25)

    func machine(_ identity: String = "me") -> Machine {
        Machine(configuration: .init(identity: identity, leaseDuration: .seconds(15), renewDeadline: .seconds(10), retryPeriod: .seconds(2)))
    }

    func spec(of action: Machine.Action?) -> LeaseSpec? {
        switch action {
        case .createLease(let s), .updateLease(let s): s
        default: nil
        }
    }

    @Test func acquiresAnAbsentLeaseByCreatingIt() throws {
        var m = machine()
        do { let v = m.start(now: t0); #expect(v == [.getLease]) }
        let actions = m.leaseRead(nil, now: t0)
        guard case .createLease(let spec) = actions.first else {
            Issue.record("expected a create, got \(actions)")
            return
        }
        #expect(spec.holderIdentity == "me")
        #expect(spec.leaseTransitions == 0)
        #expect(spec.leaseDurationSeconds == 15)
        #expect(spec.renewTime == MicroTime(t0))
        #expect(spec.renewTime?.rfc3339 == "2026-11-24T10:30:03.250000Z")
        let written = m.written(spec, now: t0)
        #expect(written == [.becomeLeader, .wait(until: t0 + 2)])
        #expect(m.isLeader)
    }

    @Test func renewsEveryRetryPeriodKeepingAcquireTime() throws {
        var m = machine()
        _ = m.start(now: t0)
        let created = try #require(spec(of: m.leaseRead(nil, now: t0).first))
        _ = m.written(created, now: t0)
        let t1 = t0 + 2
        let renew = m.timerFired(now: t1)
        let renewed = try #require(spec(of: renew.first))
        #expect(renewed.holderIdentity == "me")
        #expect(renewed.acquireTime == created.acquireTime)
        #expect(renewed.renewTime == MicroTime(t1))
        #expect(renewed.leaseTransitions == 0)
        do { let v = m.written(renewed, now: t1); #expect(v == [.wait(until: t1 + 2)]) }
    }

    @Test func doesNotTakeAFreshLeaseHeldByAnother() {
        var m = machine()
        _ = m.start(now: t0)
        let theirs = LeaseSpec(holderIdentity: "other", leaseDurationSeconds: 15, acquireTime: MicroTime(t0 - 5), renewTime: MicroTime(t0 - 5), leaseTransitions: 3)
        do { let v = m.leaseRead(theirs, now: t0); #expect(v == [.wait(until: t0 + 2)]) }
        #expect(!m.isLeader)
        do { let v = m.timerFired(now: t0 + 2); #expect(v == [.getLease]) }
        // Renewed meanwhile: still theirs.
        var renewed = theirs
        renewed.renewTime = MicroTime(t0 + 1)
        do { let v = m.leaseRead(renewed, now: t0 + 2); #expect(v == [.wait(until: t0 + 4)]) }
    }

    @Test func takesOverAnExpiredLeaseIncrementingTransitions() throws {
        var m = machine()
        _ = m.start(now: t0)
        let stale = LeaseSpec(holderIdentity: "other", leaseDurationSeconds: 15, acquireTime: MicroTime(t0 - 100), renewTime: MicroTime(t0 - 16), leaseTransitions: 3)
        let actions = m.leaseRead(stale, now: t0)
        let taken = try #require(spec(of: actions.first))
        guard case .updateLease = actions.first else {
            Issue.record("expected an update")
            return
        }
        #expect(taken.holderIdentity == "me")
        #expect(taken.leaseTransitions == 4)
        #expect(taken.acquireTime == MicroTime(t0))
        do { let v = m.written(taken, now: t0); #expect(v.first == .becomeLeader) }
    }

    @Test func aReleasedLeaseIsFree() throws {
        var m = machine()
        _ = m.start(now: t0)
        let released = LeaseSpec(holderIdentity: "", leaseDurationSeconds: 1, acquireTime: MicroTime(t0 - 1), renewTime: MicroTime(t0 - 0.5), leaseTransitions: 2)
        let taken = try #require(spec(of: m.leaseRead(released, now: t0).first))
        #expect(taken.holderIdentity == "me")
        #expect(taken.leaseTransitions == 3)
    }

    @Test func conflictReReadsTheLease() throws {
        var m = machine()
        _ = m.start(now: t0)
        _ = m.leaseRead(nil, now: t0)
        // Someone created it first (409 AlreadyExists): read again, find it held.
        do { let v = m.conflict(now: t0); #expect(v == [.getLease]) }
        let theirs = LeaseSpec(holderIdentity: "other", leaseDurationSeconds: 15, renewTime: MicroTime(t0), leaseTransitions: 0)
        do { let v = m.leaseRead(theirs, now: t0); #expect(v == [.wait(until: t0 + 2)]) }
    }

    @Test func failingRenewalsLoseLeadershipAfterTheRenewDeadline() throws {
        var m = machine()
        _ = m.start(now: t0)
        let created = try #require(spec(of: m.leaseRead(nil, now: t0).first))
        _ = m.written(created, now: t0)
        _ = m.timerFired(now: t0 + 2)
        do { let v = m.failed(now: t0 + 2); #expect(v == [.wait(until: t0 + 4)]) }
        _ = m.timerFired(now: t0 + 4)
        do { let v = m.failed(now: t0 + 9.9); #expect(v == [.wait(until: t0 + 11.9)]) }
        #expect(m.isLeader)
        _ = m.timerFired(now: t0 + 10)
        do { let v = m.failed(now: t0 + 10); #expect(v == [.loseLeadership, .wait(until: t0 + 12)]) }
        #expect(!m.isLeader)
    }

    @Test func aLeaderThatFindsAnotherHolderStepsDown() throws {
        var m = machine()
        _ = m.start(now: t0)
        let created = try #require(spec(of: m.leaseRead(nil, now: t0).first))
        _ = m.written(created, now: t0)
        do { let v = m.conflict(now: t0 + 2); #expect(v == [.getLease]) }
        let theirs = LeaseSpec(holderIdentity: "other", leaseDurationSeconds: 15, renewTime: MicroTime(t0 + 1), leaseTransitions: 1)
        do { let v = m.leaseRead(theirs, now: t0 + 2); #expect(v == [.loseLeadership, .wait(until: t0 + 4)]) }
    }

    @Test func stoppingReleasesTheLease() throws {
        var m = machine()
        _ = m.start(now: t0)
        let created = try #require(spec(of: m.leaseRead(nil, now: t0).first))
        _ = m.written(created, now: t0)
        let stop = m.stop(now: t0 + 3)
        let released = try #require(spec(of: stop.first))
        #expect(released.holderIdentity == "")
        #expect(released.leaseDurationSeconds == 1)
        #expect(released.leaseTransitions == 0)
        do { let v = m.written(released, now: t0 + 3); #expect(v == [.loseLeadership, .finished]) }
        #expect(m.role == .stopped)
        do { let v = m.timerFired(now: t0 + 5); #expect(v.isEmpty) }
    }

    @Test func stoppingACandidateJustFinishes() {
        var m = machine()
        _ = m.start(now: t0)
        do { let v = m.stop(now: t0); #expect(v == [.finished]) }
    }

    @Test func expiryIsRenewTimePlusDuration() {
        let s = LeaseSpec(holderIdentity: "x", leaseDurationSeconds: 15, renewTime: MicroTime(t0))
        #expect(Machine.isHeld(s, now: t0 + 14.9, defaultDuration: .seconds(15)))
        #expect(!Machine.isHeld(s, now: t0 + 15.1, defaultDuration: .seconds(15)))
        #expect(!Machine.isHeld(LeaseSpec(holderIdentity: "x"), now: t0, defaultDuration: .seconds(15)))
    }
}

/// The elector over an in-memory lock: two candidates, one leads, the other takes over after release.
@Suite(.timeLimit(.minutes(1))) struct LeaderElectorTests {
    actor FakeLeaseStore {
        var lease: Lease?
        var version = 0
        func get() -> Lease? { lease }
        func create(_ l: Lease) throws -> Lease {
            guard lease == nil else {
                throw KubeAPIError(status: Status(message: "exists", reason: "AlreadyExists", code: 409), httpStatus: 409)
            }
            return store(l)
        }
        func update(_ l: Lease) throws -> Lease {
            guard let current = lease, current.metadata.resourceVersion == l.metadata.resourceVersion else {
                throw KubeAPIError(status: Status(message: "modified", reason: "Conflict", code: 409), httpStatus: 409)
            }
            return store(l)
        }
        private func store(_ l: Lease) -> Lease {
            version += 1
            var stored = l
            stored.metadata.resourceVersion = String(version)
            lease = stored
            return stored
        }
    }

    func elector(_ identity: String, _ store: FakeLeaseStore) -> LeaderElector {
        LeaderElector(
            configuration: LeaderElectionConfiguration(
                leaseName: "quiver-operator-leader", leaseNamespace: "demo", identity: identity, leaseDuration: .seconds(2),
                renewDeadline: .milliseconds(1500), retryPeriod: .milliseconds(50)),
            lock: LeaseLock(
                get: { await store.get() }, create: { try await store.create($0) }, update: { try await store.update($0) }))
    }

    @Test func oneLeadsAndTheOtherTakesOverAfterRelease() async throws {
        let store = FakeLeaseStore()
        let a = elector("a", store)
        let b = elector("b", store)
        let aChanges = await a.leadershipChanges()
        let runA = Task { await a.run() }
        var iterator = aChanges.makeAsyncIterator()
        #expect(await iterator.next() == true)
        let runB = Task { await b.run() }
        try await Task.sleep(for: .milliseconds(200))
        #expect(await a.isLeader)
        #expect(await !b.isLeader)

        let bChanges = await b.leadershipChanges()
        runA.cancel()
        await runA.value
        let released = await store.get()
        #expect(released?.spec?.holderIdentity == "")
        var bIterator = bChanges.makeAsyncIterator()
        #expect(await bIterator.next() == true)
        let lease = await store.get()
        #expect(lease?.spec?.holderIdentity == "b")
        #expect(lease?.spec?.leaseTransitions == 1)
        runB.cancel()
        await runB.value
    }
}
