import KubeModel
import KubeRuntime
import Logging
import ServingAPI

/// Keeps a Configuration's `Valid` condition: its own validation plus its fit with the
/// ServingTemplate whose executable id it names. The status is written only when it changes.
public struct ConfigurationReconciler: Reconciler {
    public static let validReason = "Valid"
    public static let invalidReason = "InvalidBindings"
    public static let templateNotFoundReason = "TemplateNotFound"

    let client: KubeClient
    let logger: Logger

    public init(client: KubeClient, logger: Logger = Logger(label: "quiver.operator.configuration")) {
        self.client = client
        self.logger = logger
    }

    /// The `Valid` condition's status, reason and message for `configuration` among `templates`.
    public static func validity(
        of configuration: V1Alpha1.Configuration, templates: [V1Alpha1.ServingTemplate]
    ) -> (valid: Bool, reason: String, message: String) {
        var errors = configuration.spec.validate()
        let executableID = configuration.spec.executableId
        guard let template = templates.first(where: { $0.executableID == executableID }) else {
            let message = (["no ServingTemplate with executable id \(executableID)"] + errors.map(\.description)).joined(separator: "; ")
            return (false, templateNotFoundReason, message)
        }
        errors += configuration.spec.validate(against: template)
        if errors.isEmpty {
            return (true, validReason, "the bindings fit ServingTemplate \"\(template.metadata.name ?? "")\"")
        }
        return (false, invalidReason, errors.map(\.description).joined(separator: "; "))
    }

    public func reconcile(_ request: ReconcileRequest) async throws -> ReconcileResult {
        let configuration: V1Alpha1.Configuration
        do {
            configuration = try await client.get(V1Alpha1.Configuration.self, name: request.name, namespace: request.namespace)
        } catch let error as KubeAPIError where error.isNotFound {
            return .done
        }
        if configuration.metadata.deletionTimestamp != nil { return .done }
        let templates = try await client.list(V1Alpha1.ServingTemplate.self).items
        let (valid, reason, message) = Self.validity(of: configuration, templates: templates)

        var status = configuration.status ?? V1Alpha1.ConfigurationStatus()
        let before = status
        var conditions = status.conditions ?? []
        let text = valid ? "True" : "False"
        if let i = conditions.firstIndex(where: { $0.type == ServingConditionType.valid }) {
            if conditions[i].status != text { conditions[i].lastTransitionTime = KubeTime.now() }
            conditions[i].status = text
            conditions[i].reason = reason
            conditions[i].message = message
            conditions[i].observedGeneration = configuration.metadata.generation
        } else {
            conditions.append(Condition(
                type: ServingConditionType.valid, status: text, observedGeneration: configuration.metadata.generation,
                lastTransitionTime: KubeTime.now(), reason: reason, message: message))
        }
        status.conditions = conditions
        status.observedGeneration = configuration.metadata.generation
        guard status != before else { return .done }

        var updated = configuration
        updated.status = status
        do {
            _ = try await client.updateStatus(updated)
        } catch let error as KubeAPIError where error.isConflict {
            return .requeue
        } catch let error as KubeAPIError where error.isNotFound {
            return .done
        }
        logger.info("configuration validity", metadata: ["configuration": "\(request)", "valid": "\(valid)", "reason": "\(reason)"])
        return .done
    }
}
