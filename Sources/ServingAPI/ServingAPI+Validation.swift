import KubeModel

/// A problem with one of our resources, naming the field (as Kubernetes causes and AI Core's
/// `target` do).
public struct ServingValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

extension V1Alpha1.DeploymentSpec {
    /// AI Core's ttl: a positive whole number and a unit: `m` minutes, `h` hours or `d` days.
    /// AI Core's ttl: a positive number of at most six digits and a unit, m, h or d (either case).
    public static func parseTTL(_ text: String) -> Duration? {
        guard let unit = text.last, text.count <= 7, let value = Int64(text.dropLast()), value > 0 else { return nil }
        switch unit {
        case "m", "M": return .seconds(value * 60)
        case "h", "H": return .seconds(value * 3600)
        case "d", "D": return .seconds(value * 86400)
        default: return nil
        }
    }

    public var ttlDuration: Duration? { ttl.flatMap(Self.parseTTL) }
    public var effectiveTargetStatus: V1Alpha1.TargetStatus { targetStatus ?? .running }

    public func validate() -> [ServingValidationError] {
        var errors: [ServingValidationError] = []
        if configurationId.isEmpty {
            errors.append(.init(field: "spec.configurationId", message: "must not be empty"))
        }
        if let ttl, Self.parseTTL(ttl) == nil {
            errors.append(.init(field: "spec.ttl", message: "\"\(ttl)\" is not a ttl: use a positive number (at most six digits) followed by m, h or d (e.g. 30m, 2h, 1d)"))
        }
        return errors
    }
}

extension V1Alpha1.ConfigurationSpec {
    public func validate() -> [ServingValidationError] {
        var errors: [ServingValidationError] = []
        if name.isEmpty { errors.append(.init(field: "spec.name", message: "must not be empty")) }
        if scenarioId.isEmpty { errors.append(.init(field: "spec.scenarioId", message: "must not be empty")) }
        if executableId.isEmpty { errors.append(.init(field: "spec.executableId", message: "must not be empty")) }
        var seen = Set<String>()
        for (i, binding) in (parameterBindings ?? []).enumerated() where !seen.insert(binding.key).inserted {
            errors.append(.init(field: "spec.parameterBindings[\(i)].key", message: "parameter \"\(binding.key)\" is bound twice"))
        }
        seen = []
        for (i, binding) in (inputArtifactBindings ?? []).enumerated() where !seen.insert(binding.key).inserted {
            errors.append(.init(field: "spec.inputArtifactBindings[\(i)].key", message: "artifact \"\(binding.key)\" is bound twice"))
        }
        return errors
    }

    /// Whether this configuration fits `template`: scenario and executable match, every bound key
    /// is declared, and every artifact is bound. Errors name both sides.
    public func validate(against template: V1Alpha1.ServingTemplate) -> [ServingValidationError] {
        var errors: [ServingValidationError] = []
        if let scenario = template.scenarioID, scenario != scenarioId {
            errors.append(.init(field: "spec.scenarioId", message: "\"\(scenarioId)\" does not match the template's scenario \"\(scenario)\""))
        }
        if let executable = template.executableID, executable != executableId {
            errors.append(.init(field: "spec.executableId", message: "\"\(executableId)\" does not match the template's executable \"\(executable)\""))
        }
        let declared = Set(template.parameters.map(\.name))
        for (i, binding) in (parameterBindings ?? []).enumerated() where !declared.contains(binding.key) {
            errors.append(.init(
                field: "spec.parameterBindings[\(i)].key",
                message: "parameter \"\(binding.key)\" is not declared by template \"\(template.metadata.name ?? "")\" (it declares: \(declared.sorted().joined(separator: ", ")))"))
        }
        let artifacts = Set(template.artifacts.map(\.name))
        let bound = Set((inputArtifactBindings ?? []).map(\.key))
        for (i, binding) in (inputArtifactBindings ?? []).enumerated() where !artifacts.contains(binding.key) {
            errors.append(.init(
                field: "spec.inputArtifactBindings[\(i)].key",
                message: "artifact \"\(binding.key)\" is not declared by template \"\(template.metadata.name ?? "")\" (it declares: \(artifacts.sorted().joined(separator: ", ")))"))
        }
        for name in artifacts.sorted() where !bound.contains(name) {
            errors.append(.init(field: "spec.inputArtifactBindings", message: "template artifact \"\(name)\" is not bound"))
        }
        return errors
    }
}

extension V1Alpha1.ArtifactSpec {
    public static let supportedSchemes = ["ai", "s3", "hf", "https", "http", "pvc", "file"]

    public func validate() -> [ServingValidationError] {
        var errors: [ServingValidationError] = []
        if name.isEmpty { errors.append(.init(field: "spec.name", message: "must not be empty")) }
        guard let colon = url.range(of: "://"), !url[colon.upperBound...].isEmpty else {
            errors.append(.init(field: "spec.url", message: "\"\(url)\" is not a URL (scheme://…)"))
            return errors
        }
        let scheme = String(url[..<colon.lowerBound]).lowercased()
        if !Self.supportedSchemes.contains(scheme) {
            errors.append(.init(field: "spec.url", message: "scheme \"\(scheme)\" is not supported; use one of \(Self.supportedSchemes.map { $0 + "://" }.joined(separator: ", "))"))
        }
        return errors
    }
}

/// Condition types our resources report.
public enum ServingConditionType {
    /// Configuration: the bindings fit the template.
    public static let valid = "Valid"
    /// Deployment: the workload has available replicas.
    public static let ready = "Ready"
    /// Deployment: scaled to zero by the idle controller after its window without requests.
    public static let idle = "Idle"
    /// Deployment: the objects were rendered from the template.
    public static let rendered = "Rendered"
    /// Deployment: False when the workload is kept as rendered earlier although the template, a
    /// plan or the render itself has changed since (only a `configurationId` patch re-renders it).
    public static let upToDate = "UpToDate"
}
