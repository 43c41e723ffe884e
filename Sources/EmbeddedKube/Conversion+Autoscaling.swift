import KubeModel

/// autoscaling/v1 HorizontalPodAutoscalers (what `kubectl autoscale` writes) are stored as
/// autoscaling/v2, as the real server does: `targetCPUUtilizationPercentage` is the v2 CPU
/// utilization metric (80 when absent, v1's default). Metrics v1 cannot express travel in the
/// `autoscaling.alpha.kubernetes.io/metrics` annotation, so a v1 read-modify-write keeps them.
extension Conversion {
    static let metricsAnnotation = "autoscaling.alpha.kubernetes.io/metrics"
    static let defaultCPUUtilization: Int64 = 80

    static func isCPUUtilization(_ metric: JSONValue) -> Bool {
        metric["type"] == "Resource" && metric[path: ["resource", "name"]] == "cpu"
            && metric[path: ["resource", "target", "type"]] == "Utilization"
    }

    static func autoscalingV1ToV2(_ value: JSONValue) -> JSONValue {
        guard case .object = value else { return value }
        var o = value
        o["apiVersion"] = "autoscaling/v2"
        var metrics: [JSONValue] = []
        if let text = o[path: ["metadata", "annotations", metricsAnnotation]]?.stringValue,
           let kept = (try? JSONValue(parsing: Array(text.utf8)))?.arrayValue {
            metrics = kept.filter { !isCPUUtilization($0) }
            o[path: ["metadata", "annotations", metricsAnnotation]] = nil
            if o[path: ["metadata", "annotations"]]?.objectValue?.isEmpty == true { o[path: ["metadata", "annotations"]] = nil }
        }
        if case .object(var spec) = o["spec"] ?? .null {
            let target = spec.removeValue(forKey: "targetCPUUtilizationPercentage")?.intValue ?? defaultCPUUtilization
            metrics.insert([
                "type": "Resource",
                "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": .int(target)]],
            ], at: 0)
            spec["metrics"] = .array(metrics)
            o["spec"] = .object(spec)
        }
        if case .object(var status) = o["status"] ?? .null {
            if let current = status.removeValue(forKey: "currentCPUUtilizationPercentage") {
                status["currentMetrics"] = [["type": "Resource", "resource": ["name": "cpu", "current": ["averageUtilization": current]]]]
            }
            o["status"] = .object(status)
        }
        return o
    }

    static func autoscalingV2ToV1(_ value: JSONValue) -> JSONValue {
        guard case .object = value else { return value }
        var o = value
        o["apiVersion"] = "autoscaling/v1"
        if case .object(var spec) = o["spec"] ?? .null {
            let metrics = spec.removeValue(forKey: "metrics")?.arrayValue ?? []
            spec.removeValue(forKey: "behavior")
            if let cpu = metrics.first(where: isCPUUtilization) {
                spec["targetCPUUtilizationPercentage"] = cpu[path: ["resource", "target", "averageUtilization"]]
            }
            let others = metrics.filter { !isCPUUtilization($0) }
            if !others.isEmpty {
                o[path: ["metadata", "annotations", metricsAnnotation]] = .string(JSONValue.array(others).serializedString())
            }
            o["spec"] = .object(spec)
        }
        if case .object(var status) = o["status"] ?? .null {
            let current = status.removeValue(forKey: "currentMetrics")?.arrayValue ?? []
            status.removeValue(forKey: "conditions")
            if let cpu = current.first(where: { $0["type"] == "Resource" && $0[path: ["resource", "name"]] == "cpu" }),
               let utilization = cpu[path: ["resource", "current", "averageUtilization"]] {
                status["currentCPUUtilizationPercentage"] = utilization
            }
            o["status"] = .object(status)
        }
        return o
    }
}
