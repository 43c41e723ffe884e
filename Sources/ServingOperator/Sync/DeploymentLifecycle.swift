import Foundation
import KubeModel
import ServingAPI

/// The decisions of the Deployment reconciler as a pure value: given what was observed (the
/// Deployment, whether its Configuration rendered, the workload's replicas and pods, the clock),
/// which actions to take and what the status becomes. The reconciler performs the actions; tests
/// drive this without I/O.
///
/// Statuses follow AI Core: UNKNOWN (just submitted) → PENDING (objects created, no replica ready)
/// → RUNNING (a replica available, `deploymentUrl` set); `targetStatus: STOPPED` → STOPPING →
/// STOPPED (scaled to zero); render errors and crash-looping pods → DEAD with the reason;
/// `ttl` expiry stops and then deletes; `targetStatus: DELETED` or a delete removes the workload
/// through the finalizer.
public enum DeploymentLifecycle {
    public static let finalizer = "quiver.dev/deployment-cleanup"

    /// What the workload looks like now.
    public struct Workload: Sendable, Hashable {
        /// Whether the rendered objects exist.
        public var exists: Bool
        /// The spec hash they were rendered with (annotation `quiver.dev/spec-hash`).
        public var specHash: String?
        /// Desired replicas on the workload (`spec.replicas`).
        public var desiredReplicas: Int32
        /// Replicas that exist, and those available.
        public var replicas: Int32
        public var availableReplicas: Int32
        /// A pod in CrashLoopBackOff (or failing to pull its image), with the container's message.
        public var crashLoop: String?
        /// The Configuration the workload was rendered from (annotation `quiver.dev/configuration-id`).
        public var configurationID: String?

        public init(exists: Bool, specHash: String? = nil, desiredReplicas: Int32 = 0, replicas: Int32 = 0,
                    availableReplicas: Int32 = 0, crashLoop: String? = nil, configurationID: String? = nil) {
            self.exists = exists
            self.configurationID = configurationID
            self.specHash = specHash
            self.desiredReplicas = desiredReplicas
            self.replicas = replicas
            self.availableReplicas = availableReplicas
            self.crashLoop = crashLoop
        }

        public static let absent = Workload(exists: false)
    }

    /// The outcome of rendering the Deployment's Configuration.
    public enum Render: Sendable, Hashable {
        /// Rendered: the spec hash, the initial replica count and the scale-to-zero window, if any.
        case rendered(specHash: String, replicas: Int32, idleWindow: Duration?)
        /// The configuration or template is missing or does not render; the message says why.
        case failed(String)
    }

    public struct Observation: Sendable {
        public var deployment: V1Alpha1.Deployment
        public var render: Render
        public var workload: Workload
        public var now: Date
        /// Where clients reach the deployment (the gateway URL).
        public var url: String

        public init(deployment: V1Alpha1.Deployment, render: Render, workload: Workload, now: Date, url: String) {
            self.deployment = deployment
            self.render = render
            self.workload = workload
            self.now = now
            self.url = url
        }
    }

    public enum Action: Sendable, Hashable {
        case addFinalizer
        case removeFinalizer
        /// Create or update the rendered objects (their spec hash differs or they are missing).
        case applyWorkload
        case scale(to: Int32)
        case deleteWorkload
        /// Delete the Deployment itself (ttl expiry, or targetStatus DELETED).
        case deleteDeployment
        /// Write this status (only when it differs from the stored one).
        case updateStatus(V1Alpha1.DeploymentStatus)
        /// A Kubernetes Event on the Deployment: type (Normal/Warning), reason, message.
        case recordEvent(type: String, reason: String, message: String)
        case requeue(after: Duration)
        /// Make sure the deployment's API key Secret exists (on each transition to RUNNING).
        case ensureAPIKey
    }

    /// The actions for one reconcile.
    public static func reconcile(_ o: Observation) -> [Action] {
        let d = o.deployment
        var status = d.status ?? V1Alpha1.DeploymentStatus()
        let before = status
        var actions: [Action] = []
        let time = KubeTime(o.now)
        if status.submissionTime == nil { status.submissionTime = time }
        if status.status == nil { status.status = .unknown }
        status.observedGeneration = d.metadata.generation

        // Deleting: tear the workload down, then let the Deployment go.
        if d.metadata.deletionTimestamp != nil {
            guard (d.metadata.finalizers ?? []).contains(finalizer) else { return [] }
            if o.workload.exists { return [.deleteWorkload, .requeue(after: .seconds(1))] }
            return [.removeFinalizer]
        }
        if !(d.metadata.finalizers ?? []).contains(finalizer) { actions.append(.addFinalizer) }

        var target = d.spec.effectiveTargetStatus
        // ttl: AI Core stops and then deletes a deployment whose ttl has passed since submission.
        var ttlExpired = false
        if let ttl = d.spec.ttlDuration, let submitted = status.submissionTime {
            let expiry = submitted.date.addingTimeInterval(seconds(ttl))
            if o.now >= expiry {
                ttlExpired = true
                target = .deleted
            } else {
                actions.append(.requeue(after: .seconds(max(1, Int64(expiry.timeIntervalSince(o.now).rounded(.up))))))
            }
        }

        switch target {
        case .deleted:
            if o.workload.exists { actions.append(.deleteWorkload) }
            transition(&status, to: .stopped, message: ttlExpired ? "ttl expired" : "deleted on request", actions: &actions, time: time)
            actions.append(.deleteDeployment)
        case .stopped:
            if o.workload.exists && o.workload.desiredReplicas > 0 { actions.append(.scale(to: 0)) }
            if o.workload.exists && o.workload.replicas > 0 {
                transition(&status, to: .stopping, message: "scaling to zero", actions: &actions, time: time)
                actions.append(.requeue(after: .seconds(2)))
            } else {
                transition(&status, to: .stopped, message: "stopped", actions: &actions, time: time)
            }
            setCondition(&status, ServingConditionType.ready, false, reason: "Stopped", message: "targetStatus is STOPPED", time: time)
        case .running:
            // A running workload keeps what it was rendered with while its configurationId stays
            // the same: a template (or plan) that changes, or stops rendering, does not silently
            // alter it. Patching configurationId re-renders it in place (same name, same URL).
            let pinned = o.workload.exists && o.workload.configurationID == d.spec.configurationId
            switch o.render {
            case .failed(let message) where !pinned:
                transition(&status, to: .dead, message: message, actions: &actions, time: time, warning: "RenderFailed")
                setCondition(&status, ServingConditionType.rendered, false, reason: "RenderFailed", message: message, time: time)
            case .failed(let message):
                setCondition(&status, ServingConditionType.rendered, false, reason: "RenderFailed", message: message, time: time)
                markOutdated(&status, reason: "RenderFailed", message: "keeps running as rendered; the template no longer renders: \(message)",
                             actions: &actions, time: time)
                run(o, &status, &actions, time: time, current: false, replicas: max(1, o.workload.desiredReplicas), idleWindow: nil)
            case .rendered(let hash, let replicas, let idleWindow):
                setCondition(&status, ServingConditionType.rendered, true, reason: "Rendered", message: "objects rendered from the template", time: time)
                let current = o.workload.exists && o.workload.specHash == hash
                if !o.workload.exists || (!current && !pinned) {
                    actions.append(.applyWorkload)
                }
                if o.workload.exists && !current && pinned {
                    markOutdated(&status, reason: "TemplateChanged",
                                 message: "the ServingTemplate or ResourcePlan changed after this deployment was rendered; it keeps running as rendered. Patch configurationId, or start a new deployment, to use the change",
                                 actions: &actions, time: time)
                } else if status.conditions?.contains(where: { $0.type == ServingConditionType.upToDate }) == true {
                    setCondition(&status, ServingConditionType.upToDate, true, reason: "Rendered", message: "the workload matches the template", time: time)
                }
                run(o, &status, &actions, time: time, current: current, replicas: replicas, idleWindow: idleWindow)
            }
        }
        status.replicas = o.workload.exists ? o.workload.replicas : 0
        if status != before { actions.append(.updateStatus(status)) }
        return actions
    }

    /// The RUNNING side: idle scale-to-zero, waking, crash loops, and PENDING until a replica is
    /// available. `current`: the workload carries the latest render (not kept from an older one).
    private static func run(
        _ o: Observation, _ status: inout V1Alpha1.DeploymentStatus, _ actions: inout [Action], time: KubeTime,
        current: Bool, replicas: Int32, idleWindow: Duration?
    ) {
        let d = o.deployment
        let idle = isIdle(status: status, window: idleWindow, now: o.now)
        if idle {
            if o.workload.exists && o.workload.desiredReplicas > 0 { actions.append(.scale(to: 0)) }
            setCondition(&status, ServingConditionType.idle, true, reason: "NoRecentRequests",
                         message: "scaled to zero after \(Int64(seconds(idleWindow ?? .zero)))s without requests; the next request wakes it", time: time)
        } else {
            if o.workload.exists && o.workload.desiredReplicas == 0 && replicas > 0 && !actions.contains(.applyWorkload) {
                actions.append(.scale(to: replicas))
            }
            if status.conditions?.contains(where: { $0.type == ServingConditionType.idle && $0.status == "True" }) == true {
                setCondition(&status, ServingConditionType.idle, false, reason: "Active", message: "serving requests", time: time)
            }
            if let window = idleWindow, status.status == .running {
                let last = status.lastActivityTime?.date ?? status.startTime?.date ?? o.now
                let due = last.addingTimeInterval(seconds(window))
                actions.append(.requeue(after: .seconds(max(1, Int64(due.timeIntervalSince(o.now).rounded(.up))))))
            }
        }
        if let crash = o.workload.crashLoop {
            transition(&status, to: .dead, message: crash, actions: &actions, time: time, warning: "CrashLoop")
            setCondition(&status, ServingConditionType.ready, false, reason: "CrashLoop", message: crash, time: time)
        } else if idle || o.workload.availableReplicas > 0 {
            if status.status != .running {
                status.startTime = time
                actions.append(.ensureAPIKey)
            }
            transition(&status, to: .running, message: idle ? "idle: scaled to zero" : "serving", actions: &actions, time: time)
            status.deploymentUrl = o.url
            if current || status.latestRunningConfigurationId == nil { status.latestRunningConfigurationId = o.workload.configurationID ?? d.spec.configurationId }
            setCondition(&status, ServingConditionType.ready, !idle || o.workload.availableReplicas > 0,
                         reason: idle ? "Idle" : "Available", message: "\(o.workload.availableReplicas) replica(s) available", time: time)
        } else {
            transition(&status, to: .pending, message: "waiting for a replica to become available", actions: &actions, time: time)
            setCondition(&status, ServingConditionType.ready, false, reason: "Pending", message: "no replica available yet", time: time)
            actions.append(.requeue(after: .seconds(2)))
        }
    }

    /// The workload no longer matches what would be rendered now and is kept as it is: the
    /// `UpToDate` condition says why, with a Warning event when it turns False.
    private static func markOutdated(_ status: inout V1Alpha1.DeploymentStatus, reason: String, message: String,
                                     actions: inout [Action], time: KubeTime) {
        let wasOutdated = status.conditions?.contains { $0.type == ServingConditionType.upToDate && $0.status == "False" && $0.reason == reason } == true
        setCondition(&status, ServingConditionType.upToDate, false, reason: reason, message: message, time: time)
        if !wasOutdated { actions.append(.recordEvent(type: "Warning", reason: reason, message: message)) }
    }

    static func isIdle(status: V1Alpha1.DeploymentStatus, window: Duration?, now: Date) -> Bool {
        guard let window, status.status == .running || status.status == .pending else { return false }
        guard let last = status.lastActivityTime?.date ?? status.startTime?.date else { return false }
        return now.timeIntervalSince(last) >= seconds(window)
    }

    private static func transition(
        _ status: inout V1Alpha1.DeploymentStatus, to phase: V1Alpha1.DeploymentPhase, message: String,
        actions: inout [Action], time: KubeTime, warning: String? = nil
    ) {
        let changed = status.status != phase
        status.status = phase
        status.statusMessage = message
        if phase == .stopped || phase == .dead || phase == .completed {
            if changed { status.completionTime = time }
        } else {
            status.completionTime = nil
        }
        if changed {
            actions.append(.recordEvent(type: warning == nil ? "Normal" : "Warning", reason: warning ?? phase.rawValue.capitalized, message: message))
        }
    }

    /// Sets a condition; its lastTransitionTime changes only when its status does.
    static func setCondition(_ status: inout V1Alpha1.DeploymentStatus, _ type: String, _ value: Bool, reason: String, message: String, time: KubeTime) {
        var conditions = status.conditions ?? []
        let text = value ? "True" : "False"
        if let i = conditions.firstIndex(where: { $0.type == type }) {
            if conditions[i].status != text { conditions[i].lastTransitionTime = time }
            conditions[i].status = text
            conditions[i].reason = reason
            conditions[i].message = message
        } else {
            conditions.append(Condition(type: type, status: text, lastTransitionTime: time, reason: reason, message: message))
        }
        status.conditions = conditions
    }

    static func seconds(_ d: Duration) -> TimeInterval {
        TimeInterval(d.components.seconds) + TimeInterval(d.components.attoseconds) / 1e18
    }
}
