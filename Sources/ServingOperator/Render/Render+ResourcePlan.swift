import KubeModel
import ServingAPI

/// Applies a ResourcePlan to the InferenceService's predictor, so both backends get the same pods:
/// the serving container (the first of `containers`, else `model`) gets the plan's CPU and memory as
/// requests and limits, and `<gpuResource>: <gpu>` as a limit when the plan has GPUs, unless the
/// template sets that limit itself (then the template's count wins, so GPU count can be a
/// parameter). The plan's node selector is merged in (the plan wins on a shared key) and its
/// tolerations are added.
enum ResourcePlanApplication {
    static func planName(labels: [String: String], options: RenderOptions) -> String {
        for key in RenderMetadata.resourcePlanLabels {
            if let name = labels[key], !name.isEmpty { return name }
        }
        return options.defaultResourcePlan
    }

    static func plan(named name: String, in plans: [String: V1Alpha1.ResourcePlan], documents: TemplateDocuments) throws(RenderError) -> V1Alpha1.ResourcePlanSpec {
        guard let plan = plans[name] else {
            let origin = RenderMetadata.resourcePlanLabels
                .compactMap { documents.origin(of: "\(TemplateDocuments.labelsField).\($0)") }.first
            let from = origin.map { " (from \($0.placeholder))" } ?? ""
            throw .resourcePlanNotFound(
                "resource plan \"\(name)\"\(from) does not exist (plans: \(plans.keys.sorted().joined(separator: ", ")))",
                field: origin?.name ?? "quiver.dev/resourcePlan")
        }
        return plan.spec
    }

    static func apply(_ plan: V1Alpha1.ResourcePlanSpec, to spec: inout JSONValue, documents: TemplateDocuments) throws(RenderError) {
        guard var predictor = spec["predictor"], case .object = predictor else {
            throw .invalidTemplate("spec.template.spec has no predictor", field: "spec.template.spec.predictor")
        }
        if var containers = predictor["containers"]?.arrayValue, var first = containers.first {
            try applyResources(plan, to: &first, path: "spec.template.spec.predictor.containers[0]", documents: documents)
            containers[0] = first
            predictor["containers"] = .array(containers)
        } else if var model = predictor["model"], case .object = model {
            try applyResources(plan, to: &model, path: "spec.template.spec.predictor.model", documents: documents)
            predictor["model"] = model
        } else {
            throw .invalidTemplate("spec.template.spec.predictor has neither containers nor model", field: "spec.template.spec.predictor")
        }

        if let planSelector = plan.nodeSelector, !planSelector.isEmpty {
            var selector = predictor["nodeSelector"]?.objectValue ?? [:]
            for (key, value) in planSelector { selector[key] = .string(value) }
            predictor["nodeSelector"] = .object(selector)
        }
        if let planTolerations = plan.tolerations, !planTolerations.isEmpty {
            var tolerations = predictor["tolerations"]?.arrayValue ?? []
            for toleration in planTolerations {
                guard let value = try? JSONValue(encoding: toleration) else { continue }
                if !tolerations.contains(value) { tolerations.append(value) }
            }
            predictor["tolerations"] = .array(tolerations)
        }
        spec["predictor"] = predictor
    }

    private static func applyResources(_ plan: V1Alpha1.ResourcePlanSpec, to container: inout JSONValue, path: String, documents: TemplateDocuments) throws(RenderError) {
        var resources = container["resources"] ?? .emptyObject
        var requests = resources["requests"]?.objectValue ?? [:]
        var limits = resources["limits"]?.objectValue ?? [:]
        requests["cpu"] = .string(plan.cpu)
        requests["memory"] = .string(plan.memory)
        limits["cpu"] = .string(plan.cpu)
        limits["memory"] = .string(plan.memory)
        let gpuResource = plan.effectiveGPUResource
        if let declared = limits[gpuResource] {
            guard gpuCount(declared) != nil else {
                let field = "\(path).resources.limits.\(gpuResource)"
                let origin = documents.origin(of: field)
                throw .invalidValue(
                    "\(origin.map { "\($0.noun): " } ?? "")\(field) must be a whole number of GPUs",
                    field: origin?.name ?? field)
            }
        } else if let gpu = plan.gpu, gpu > 0 {
            limits[gpuResource] = .string(String(gpu))
        }
        resources["requests"] = .object(requests)
        resources["limits"] = .object(limits)
        container["resources"] = resources
    }

    /// A GPU count, written as an integer or a string of digits.
    static func gpuCount(_ value: JSONValue) -> Int? {
        switch value {
        case .int(let i) where i >= 0: return Int(i)
        case .string(let s) where !s.isEmpty && s.unicodeScalars.allSatisfy(\.isASCIIDigit): return Int(s)
        default: return nil
        }
    }
}
