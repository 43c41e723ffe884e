import KubeModel
import KubeRuntime

/// The KServe backend: the rendered InferenceService is the workload. KServe (with Knative or raw
/// deployments) runs the pods; the operator reads readiness and the URL from the InferenceService's
/// status, and stops it with the `serving.kserve.io/stop` annotation.
extension DeploymentReconciler {
    static let stopAnnotation = "serving.kserve.io/stop"

    /// The InferenceService as a workload. Replicas are not counted by KServe's status, so a Ready
    /// InferenceService counts as one available replica; a stopped one wants none.
    func observeInferenceService(name: String, namespace: String) async throws -> (DeploymentLifecycle.Workload, url: String?) {
        guard let service = try await getIfPresent(OperatorResources.inferenceServices, name: name, namespace: namespace) else {
            return (.absent, nil)
        }
        let stopped = service[path: ["metadata", "annotations", Self.stopAnnotation]]?.stringValue == "true"
        let conditions = service[path: ["status", "conditions"]]?.arrayValue ?? []
        func condition(_ type: String) -> JSONValue? { conditions.first { $0["type"]?.stringValue == type } }
        let ready = condition("Ready")?["status"]?.stringValue == "True"
        let running: Int32 = ready && condition("Stopped")?["status"]?.stringValue != "True" ? 1 : 0
        let minReplicas = service[path: ["spec", "predictor", "minReplicas"]]?.intValue ?? 1
        let workload = DeploymentLifecycle.Workload(
            exists: true, specHash: Self.specHash(of: service),
            desiredReplicas: stopped ? 0 : Int32(clamping: max(1, minReplicas)),
            replicas: running, availableReplicas: running,
            crashLoop: try await crashLoop(name: name, namespace: namespace) ?? Self.failure(conditions),
            configurationID: service[path: ["metadata", "annotations", RenderMetadata.configurationIDAnnotation]]?.stringValue)
        let url = service[path: ["status", "url"]]?.stringValue ?? service[path: ["status", "address", "url"]]?.stringValue
        return (workload, url)
    }

    /// A predictor that failed for good (KServe's `RevisionFailed`, or a model that failed to load).
    static func failure(_ conditions: [JSONValue]) -> String? {
        for condition in conditions where condition["status"]?.stringValue == "False" {
            let reason = condition["reason"]?.stringValue ?? ""
            guard ["RevisionFailed", "ModelLoadFailed", "InvalidPredictorSpec"].contains(reason) else { continue }
            let message = condition["message"]?.stringValue ?? ""
            return "InferenceService condition \(condition["type"]?.stringValue ?? "?"): \(reason)" + (message.isEmpty ? "" : ": \(message)")
        }
        return nil
    }

    /// Stops (0) or starts (more) the InferenceService through its stop annotation.
    func setStopped(name: String, namespace: String, _ stopped: Bool) async throws {
        do {
            _ = try await client.patch(
                OperatorResources.inferenceServices, name: name, namespace: namespace,
                patch: .merge(["metadata": ["annotations": [Self.stopAnnotation: stopped ? "true" : .null]]]))
            logger.info(stopped ? "stopped" : "started", metadata: ["inferenceservice": "\(namespace)/\(name)"])
        } catch let error as KubeAPIError where error.isNotFound {}
    }
}
