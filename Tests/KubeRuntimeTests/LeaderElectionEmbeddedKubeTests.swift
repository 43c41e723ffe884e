import EmbeddedKube
import Foundation
import KubeModel
@testable import KubeRuntime
import Synchronization
import Testing

/// Two LeaderElectors campaigning on one real Lease.
@Suite("LeaderElector against EmbeddedKube")
struct LeaderElectionEmbeddedKubeTests {
    func elector(_ identity: String, client: KubeClient) -> LeaderElector {
        LeaderElector(
            configuration: LeaderElectionConfiguration(
                leaseName: "quiver-operator-leader", leaseNamespace: "demo", identity: identity,
                leaseDuration: .seconds(4), renewDeadline: .seconds(3), retryPeriod: .milliseconds(200)),
            client: client)
    }

    @Test("one of two electors leads; cancelling it releases the lease and the other takes over")
    func handOver() async throws {
        try await withEmbeddedKube { kube in
            let client = kube.client
            let a = elector("operator-a", client: client)
            let b = elector("operator-b", client: client)
            let leading = Leaders()
            let runA = Task {
                await a.run(onStartedLeading: { @Sendable in leading.append("a") })
            }
            #expect(try await poll { await a.isLeader }, "a did not become leader")
            let first = try await client.get(Lease.self, name: "quiver-operator-leader", namespace: "demo")
            #expect(first.spec?.holderIdentity == "operator-a")
            #expect(first.spec?.leaseTransitions == 0)
            #expect(first.spec?.leaseDurationSeconds == 4)

            let runB = Task {
                await b.run(onStartedLeading: { @Sendable in leading.append("b") })
            }
            defer { runB.cancel() }
            // b campaigns while a renews: a stays the holder and renews the lease.
            let renewed = try await poll {
                let lease = try await client.get(Lease.self, name: "quiver-operator-leader", namespace: "demo")
                return lease.spec?.renewTime != first.spec?.renewTime && lease.spec?.holderIdentity == "operator-a"
            }
            #expect(renewed, "a renews the lease")
            #expect(await b.isLeader == false)

            runA.cancel()
            await runA.value
            #expect(await a.isLeader == false)
            // Released: b takes over well before the 4 s lease would have expired.
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await poll { await b.isLeader }, "b did not take over")
            #expect(clock.now - start < .seconds(15))
            let taken = try await client.get(Lease.self, name: "quiver-operator-leader", namespace: "demo")
            #expect(taken.spec?.holderIdentity == "operator-b")
            #expect(taken.spec?.leaseTransitions == 1)
            #expect(leading.all == ["a", "b"])

            runB.cancel()
            await runB.value
            let released = try await client.get(Lease.self, name: "quiver-operator-leader", namespace: "demo")
            #expect(released.spec?.holderIdentity == "" || released.spec?.holderIdentity == nil, "b released the lease on cancel")
        }
    }
}

/// Who started leading, in order.
final class Leaders: Sendable {
    private let names = Mutex<[String]>([])
    func append(_ name: String) { names.withLock { $0.append(name) } }
    var all: [String] { names.withLock { $0 } }
}
