import Foundation
import KubeModel
import KubeRuntime
import ServingAPI
import ServingOperator
import Synchronization
import Testing

/// A clock the test moves; the operator's reconcilers read it.
final class TestClock: Sendable {
    private let time = Mutex(Date())
    var now: Date { time.withLock { $0 } }
    func advance(by seconds: TimeInterval) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// Time-driven behaviour against EmbeddedKube, with the reconcilers' clock moved by the test:
/// `ttl` expiry and the idle controller's scale-to-zero (DESIGN.md §4, as AI Core does them).
@Suite("Operator ttl and idle windows against EmbeddedKube", .serialized)
struct OperatorClockTests {
    typealias Seed = OperatorEmbeddedKubeTests
    static let golden = Fixtures.goldenDirectory.appendingPathComponent("quiver-embed-cpu")

    /// The quiver-embed CPU template with the golden case's Configuration (minReplicas 0, window 15m).
    static func install(_ kube: OperatorKube) async throws -> V1Alpha1.Configuration {
        try await kube.installCRDs()
        try await kube.installPlansAndTemplates([try Fixtures.template(named: "quiver-embed-cpu.yaml")])
        let artifact: V1Alpha1.Artifact = try Fixtures.yaml(golden.appendingPathComponent("artifacts.yaml")).decode()
        _ = try await kube.client.create(artifact)
        let configuration: V1Alpha1.Configuration = try Fixtures.yaml(golden.appendingPathComponent("configuration.yaml")).decode()
        return try await kube.client.create(configuration)
    }

    /// Makes the operator look at the Deployment again (its requeue timers run on the real clock).
    static func poke(_ client: KubeClient, _ n: Int) async throws {
        _ = try await client.patch(
            V1Alpha1.Deployment.self, name: Seed.deploymentName, namespace: Seed.namespace,
            patch: .merge(["metadata": ["annotations": ["test.quiver.dev/poke": .string("\(n)")]]]))
    }

    static func appsReplicas(_ client: KubeClient) async throws -> Int64? {
        try await client.get(OperatorKube.appsDeployments, name: Seed.deploymentName, namespace: Seed.namespace)[path: ["spec", "replicas"]]?.intValue
    }

    @Test("ttl: once it has passed since submission, the workload and the Deployment are deleted")
    func ttlExpiry() async throws {
        let clock = TestClock()
        try await withOperatorKube { kube in
            let client = kube.client
            let configuration = try await Self.install(kube)
            try await withOperator(kube, configuration: Seed.operatorConfiguration, now: { clock.now }) {
                _ = try await client.create(V1Alpha1.Deployment(
                    metadata: ObjectMeta(name: Seed.deploymentName, namespace: Seed.namespace),
                    spec: .init(configurationId: configuration.metadata.name ?? "", ttl: "30m")))
                #expect(try await operatorPoll { try await Seed.exists(client, OperatorKube.appsDeployments, Seed.deploymentName) },
                        "the apps Deployment was not created")
                try await Self.poke(client, 1)
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await Seed.exists(client, V1Alpha1.Deployment.groupVersionResource, Seed.deploymentName), "deleted before its ttl")

                clock.advance(by: 31 * 60)
                try await Self.poke(client, 2)
                #expect(try await operatorPoll {
                    let apps = try await Seed.exists(client, OperatorKube.appsDeployments, Seed.deploymentName)
                    let quiver = try await Seed.exists(client, V1Alpha1.Deployment.groupVersionResource, Seed.deploymentName)
                    return !apps && !quiver
                }, "the Deployment and its workload were not deleted after the ttl")
                let events = try await client.list(Event.self, namespace: Seed.namespace).items
                    .filter { $0.involvedObject.name == Seed.deploymentName }
                #expect(events.contains { $0.message == "ttl expired" }, "no event says the ttl expired: \(events.map { $0.message ?? "" })")
            }
        }
    }

    @Test("idle: with minReplicas 0 the workload scales to zero after the window, stays RUNNING with Idle, and wakes on activity")
    func idleScaleToZero() async throws {
        let clock = TestClock()
        try await withOperatorKube { kube in
            let client = kube.client
            let configuration = try await Self.install(kube)
            try await withOperator(kube, configuration: Seed.operatorConfiguration, now: { clock.now }) {
                _ = try await client.create(Seed.quiverDeployment(configurationID: configuration.metadata.name ?? ""))
                #expect(try await operatorPoll { try await Seed.exists(client, OperatorKube.appsDeployments, Seed.deploymentName) },
                        "the apps Deployment was not created")
                #expect(try await Self.appsReplicas(client) == 1, "minReplicas 0 still starts one replica")
                try await Seed.setWorkloadStatus(client, replicas: 1, available: 1)
                #expect(try await operatorPoll { try await Seed.phase(client) == .running }, "the Deployment did not become RUNNING")

                // Within the window: nothing changes.
                clock.advance(by: 14 * 60)
                try await Self.poke(client, 1)
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await Self.appsReplicas(client) == 1)

                // Past the 15m window without activity: scaled to zero, still RUNNING, Idle.
                clock.advance(by: 2 * 60)
                try await Self.poke(client, 2)
                #expect(try await operatorPoll { try await Self.appsReplicas(client) == 0 }, "the workload was not scaled to zero")
                try await Seed.setWorkloadStatus(client, replicas: 0, available: 0)
                #expect(try await operatorPoll {
                    try await Seed.get(client).status?.conditions?.contains { $0.type == ServingConditionType.idle && $0.status == "True" } == true
                }, "no Idle=True condition")
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await Seed.phase(client) == .running)

                // Activity (what the gateway writes) wakes it: back to one replica, Idle=False.
                _ = try await client.patch(
                    V1Alpha1.Deployment.self, name: Seed.deploymentName, namespace: Seed.namespace,
                    patch: .merge(["status": ["lastActivityTime": .string(KubeTime(clock.now).rfc3339)]]), subresource: "status")
                #expect(try await operatorPoll { try await Self.appsReplicas(client) == 1 }, "activity did not wake the workload")
                #expect(try await operatorPoll {
                    try await Seed.get(client).status?.conditions?.contains { $0.type == ServingConditionType.idle && $0.status == "False" } == true
                }, "Idle did not turn False after activity")
            }
        }
    }
}
