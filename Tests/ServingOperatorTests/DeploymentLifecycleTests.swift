import Foundation
import KubeModel
import ServingAPI
import ServingOperator
import Testing

/// The Deployment reconciler's decisions, without I/O.
@Suite struct DeploymentLifecycleTests {
    typealias L = DeploymentLifecycle
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let url = "https://quiver.example/v2/inference/deployments/d1"

    static func deployment(target: V1Alpha1.TargetStatus = .running, ttl: String? = nil, status: V1Alpha1.DeploymentStatus? = nil,
                           finalizer: Bool = true, deleting: Bool = false) -> V1Alpha1.Deployment {
        var d = V1Alpha1.Deployment(
            metadata: ObjectMeta(name: "d1", namespace: "team-a", finalizers: finalizer ? [L.finalizer] : nil),
            spec: .init(configurationId: "c1", targetStatus: target, ttl: ttl), status: status)
        d.metadata.generation = 1
        if deleting { d.metadata.deletionTimestamp = KubeTime(t0) }
        return d
    }

    static func run(_ d: V1Alpha1.Deployment, render: L.Render = .rendered(specHash: "h1", replicas: 1, idleWindow: nil),
                    workload: L.Workload = .absent, at now: Date = t0) -> [L.Action] {
        L.reconcile(.init(deployment: d, render: render, workload: workload, now: now, url: url))
    }

    static func status(_ actions: [L.Action]) -> V1Alpha1.DeploymentStatus? {
        for case .updateStatus(let s) in actions { return s }
        return nil
    }

    @Test func aNewDeploymentGetsItsFinalizerItsObjectsAndGoesPending() throws {
        let actions = Self.run(Self.deployment(finalizer: false))
        #expect(actions.contains(.addFinalizer))
        #expect(actions.contains(.applyWorkload))
        let status = try #require(Self.status(actions))
        #expect(status.status == .pending)
        #expect(status.submissionTime == KubeTime(Self.t0))
        #expect(status.deploymentUrl == nil)
    }

    @Test func availableReplicasMakeItRunningWithItsURL() throws {
        var d = Self.deployment()
        d.status = Self.status(Self.run(d))
        let actions = Self.run(d, workload: .init(exists: true, specHash: "h1", desiredReplicas: 1, replicas: 1, availableReplicas: 1),
                               at: Self.t0.addingTimeInterval(5))
        #expect(!actions.contains(.applyWorkload))
        let status = try #require(Self.status(actions))
        #expect(status.status == .running)
        #expect(status.deploymentUrl == Self.url)
        #expect(status.latestRunningConfigurationId == "c1")
        #expect(status.startTime == KubeTime(Self.t0.addingTimeInterval(5)))
        #expect(actions.contains(.recordEvent(type: "Normal", reason: "Running", message: "serving")))
    }

    @Test func anUnchangedRunningDeploymentIsNotRewritten() {
        var d = Self.deployment()
        let workload = L.Workload(exists: true, specHash: "h1", desiredReplicas: 1, replicas: 1, availableReplicas: 1)
        d.status = Self.status(Self.run(d, workload: workload))
        let again = Self.run(d, workload: workload, at: Self.t0.addingTimeInterval(60))
        #expect(Self.status(again) == nil)
        #expect(again.filter { if case .recordEvent = $0 { true } else { false } }.isEmpty)
    }

    @Test func aWorkloadWithoutItsConfigurationAnnotationIsReappliedWhenItsHashDiffers() {
        var d = Self.deployment()
        d.status = Self.status(Self.run(d))
        let actions = Self.run(d, render: .rendered(specHash: "h2", replicas: 1, idleWindow: nil),
                               workload: .init(exists: true, specHash: "h1", desiredReplicas: 1, replicas: 1, availableReplicas: 1))
        #expect(actions.contains(.applyWorkload))
    }

    static let runningC1 = L.Workload(exists: true, specHash: "h1", desiredReplicas: 1, replicas: 1, availableReplicas: 1, configurationID: "c1")

    @Test func aTemplateChangeKeepsTheRunningWorkloadAndSaysSo() throws {
        var d = Self.deployment()
        d.status = Self.status(Self.run(d, workload: Self.runningC1))
        let actions = Self.run(d, render: .rendered(specHash: "h2", replicas: 1, idleWindow: nil), workload: Self.runningC1,
                               at: Self.t0.addingTimeInterval(60))
        #expect(!actions.contains(.applyWorkload))
        let status = try #require(Self.status(actions))
        #expect(status.status == .running)
        let condition = try #require(status.conditions?.first { $0.type == ServingConditionType.upToDate })
        #expect(condition.status == "False" && condition.reason == "TemplateChanged")
        #expect(actions.contains { if case .recordEvent("Warning", "TemplateChanged", _) = $0 { true } else { false } })
        // Said once: the next reconcile changes nothing.
        d.status = status
        let again = Self.run(d, render: .rendered(specHash: "h2", replicas: 1, idleWindow: nil), workload: Self.runningC1,
                             at: Self.t0.addingTimeInterval(120))
        #expect(again.isEmpty)
    }

    @Test func patchingConfigurationIdRerendersAndKeepsTheURL() throws {
        var d = Self.deployment()
        d.status = Self.status(Self.run(d, workload: Self.runningC1))
        d.spec.configurationId = "c2"
        let actions = Self.run(d, render: .rendered(specHash: "h2", replicas: 1, idleWindow: nil), workload: Self.runningC1,
                               at: Self.t0.addingTimeInterval(60))
        #expect(actions.contains(.applyWorkload))
        // Old pods still serve while the new ones roll out: RUNNING, same URL, still on c1 (the
        // status is not rewritten).
        #expect(Self.status(actions) == nil)
        let status = try #require(d.status)
        #expect(status.status == .running && status.deploymentUrl == Self.url)
        #expect(status.latestRunningConfigurationId == "c1")
        d.status = status
        var rolled = Self.runningC1
        rolled.specHash = "h2"
        rolled.configurationID = "c2"
        let after = Self.run(d, render: .rendered(specHash: "h2", replicas: 1, idleWindow: nil), workload: rolled,
                             at: Self.t0.addingTimeInterval(90))
        #expect(!after.contains(.applyWorkload))
        #expect(try #require(Self.status(after)).latestRunningConfigurationId == "c2")
    }

    @Test func aTemplateThatStopsRenderingDoesNotKillARunningWorkload() throws {
        var d = Self.deployment()
        d.status = Self.status(Self.run(d, workload: Self.runningC1))
        let actions = Self.run(d, render: .failed("parameter \"image\" has no binding and no default"), workload: Self.runningC1,
                               at: Self.t0.addingTimeInterval(60))
        let status = try #require(Self.status(actions))
        #expect(status.status == .running)
        #expect(!actions.contains(.applyWorkload) && !actions.contains(.deleteWorkload))
        let condition = try #require(status.conditions?.first { $0.type == ServingConditionType.upToDate })
        #expect(condition.reason == "RenderFailed" && condition.message?.contains("parameter \"image\"") == true)
    }

    @Test func restartingAStoppedWorkloadAfterATemplateChangeScalesTheKeptOne() {
        var d = Self.deployment(status: .init(status: .stopped))
        d.spec.targetStatus = .running
        var stopped = Self.runningC1
        stopped.desiredReplicas = 0
        stopped.replicas = 0
        stopped.availableReplicas = 0
        let actions = Self.run(d, render: .rendered(specHash: "h2", replicas: 2, idleWindow: nil), workload: stopped)
        #expect(actions.contains(.scale(to: 2)))
        #expect(!actions.contains(.applyWorkload))
    }

    @Test func stoppingScalesToZeroThenStops() throws {
        var d = Self.deployment(target: .stopped, status: .init(status: .running, startTime: KubeTime(Self.t0)))
        let first = Self.run(d, workload: .init(exists: true, specHash: "h1", desiredReplicas: 1, replicas: 1, availableReplicas: 1))
        #expect(first.contains(.scale(to: 0)))
        #expect(try #require(Self.status(first)).status == .stopping)
        d.status = Self.status(first)
        let second = Self.run(d, workload: .init(exists: true, specHash: "h1", desiredReplicas: 0, replicas: 0, availableReplicas: 0))
        let status = try #require(Self.status(second))
        #expect(status.status == .stopped)
        #expect(status.completionTime != nil)
        #expect(!second.contains(.scale(to: 0)))
    }

    @Test func aRenderErrorIsDeadWithTheReason() throws {
        let actions = Self.run(Self.deployment(), render: .failed("parameter \"image\" has no binding and no default"))
        let status = try #require(Self.status(actions))
        #expect(status.status == .dead)
        #expect(status.statusMessage == "parameter \"image\" has no binding and no default")
        #expect(!actions.contains(.applyWorkload))
        #expect(actions.contains(.recordEvent(type: "Warning", reason: "RenderFailed", message: "parameter \"image\" has no binding and no default")))
    }

    @Test func aCrashLoopIsDead() throws {
        let actions = Self.run(Self.deployment(), workload: .init(
            exists: true, specHash: "h1", desiredReplicas: 1, replicas: 1, availableReplicas: 0,
            crashLoop: "container kserve-container: CrashLoopBackOff (exit code 1)"))
        let status = try #require(Self.status(actions))
        #expect(status.status == .dead)
        #expect(status.statusMessage?.contains("CrashLoopBackOff") == true)
    }

    @Test func ttlExpiryDeletesTheWorkloadAndTheDeployment() throws {
        let d = Self.deployment(ttl: "1h", status: .init(status: .running, submissionTime: KubeTime(Self.t0)))
        let early = Self.run(d, workload: .init(exists: true, specHash: "h1", desiredReplicas: 1, replicas: 1, availableReplicas: 1),
                             at: Self.t0.addingTimeInterval(600))
        #expect(early.contains(.requeue(after: .seconds(3000))))
        #expect(!early.contains(.deleteDeployment))
        let late = Self.run(d, workload: .init(exists: true, specHash: "h1", desiredReplicas: 1, replicas: 1, availableReplicas: 1),
                            at: Self.t0.addingTimeInterval(3601))
        #expect(late.contains(.deleteWorkload))
        #expect(late.contains(.deleteDeployment))
        #expect(try #require(Self.status(late)).statusMessage == "ttl expired")
    }

    @Test func deletionRemovesTheWorkloadBeforeTheFinalizer() {
        let d = Self.deployment(deleting: true)
        #expect(Self.run(d, workload: .init(exists: true, specHash: "h1")) == [.deleteWorkload, .requeue(after: .seconds(1))])
        #expect(Self.run(d, workload: .absent) == [.removeFinalizer])
        #expect(Self.run(Self.deployment(finalizer: false, deleting: true)).isEmpty)
    }

    @Test func idleDeploymentsScaleToZeroAndStayRunning() throws {
        let window: Duration = .seconds(600)
        let d = Self.deployment(status: .init(status: .running, deploymentUrl: Self.url, startTime: KubeTime(Self.t0),
                                              lastActivityTime: KubeTime(Self.t0.addingTimeInterval(100))))
        let render = L.Render.rendered(specHash: "h1", replicas: 1, idleWindow: window)
        let busy = L.Workload(exists: true, specHash: "h1", desiredReplicas: 1, replicas: 1, availableReplicas: 1)
        // Before the window has passed: requeue for when it will.
        let before = Self.run(d, render: render, workload: busy, at: Self.t0.addingTimeInterval(400))
        #expect(before.contains(.requeue(after: .seconds(300))))
        #expect(!before.contains(.scale(to: 0)))
        // After: scale to zero, still RUNNING, with the Idle condition.
        let after = Self.run(d, render: render, workload: busy, at: Self.t0.addingTimeInterval(701))
        #expect(after.contains(.scale(to: 0)))
        let status = try #require(Self.status(after))
        #expect(status.status == .running)
        #expect(status.conditions?.first { $0.type == "Idle" }?.status == "True")
        // A request (lastActivityTime moves) wakes it: scale back up, Idle false.
        var woken = d
        woken.status = status
        woken.status?.lastActivityTime = KubeTime(Self.t0.addingTimeInterval(800))
        let wake = Self.run(woken, render: render, workload: .init(exists: true, specHash: "h1", desiredReplicas: 0), at: Self.t0.addingTimeInterval(801))
        #expect(wake.contains(.scale(to: 1)))
        #expect(try #require(Self.status(wake)).conditions?.first { $0.type == "Idle" }?.status == "False")
    }

    @Test func targetDeletedDeletesTheDeployment() {
        let actions = Self.run(Self.deployment(target: .deleted), workload: .init(exists: true, specHash: "h1"))
        #expect(actions.contains(.deleteWorkload))
        #expect(actions.contains(.deleteDeployment))
    }
}
