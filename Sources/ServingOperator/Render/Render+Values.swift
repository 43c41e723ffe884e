import KubeModel
import ServingAPI

/// Resolves a value for every placeholder the template uses: configuration binding, else the
/// template's default, else an error naming the parameter. Artifacts resolve to their URL, with
/// `ai://<secret>/<path>` turned into the object store's own URL. Every binding must be used.
struct InputValues {
    var values: [InputReference: String] = [:]
    /// The object-store secret each resolved artifact URL went through.
    var objectStores: [String: ObjectStoreSecret] = [:]

    init(input: RenderInput, used: [InputReference: String]) throws(RenderError) {
        let template = input.template
        let templateName = template.metadata.name ?? "(unnamed)"
        let configurationName = input.configuration.metadata.name ?? input.configuration.spec.name
        var declaredParameters: [String: V1Alpha1.TemplateParameter] = [:]
        for parameter in template.parameters where declaredParameters[parameter.name] == nil {
            declaredParameters[parameter.name] = parameter
        }
        let declaredArtifacts = Set(template.artifacts.map(\.name))
        func list(_ names: some Sequence<String>) -> String {
            let sorted = names.sorted()
            return sorted.isEmpty ? "none" : sorted.map { "\"\($0)\"" }.joined(separator: ", ")
        }

        // Bindings: each key once, and declared by the template.
        var parameterBindings: [String: String] = [:]
        for (i, binding) in (input.configuration.spec.parameterBindings ?? []).enumerated() {
            let field = "spec.parameterBindings[\(i)].key"
            guard parameterBindings[binding.key] == nil else {
                throw .duplicateBinding("parameter \"\(binding.key)\" is bound twice by configuration \"\(configurationName)\"", field: field)
            }
            guard declaredParameters[binding.key] != nil else {
                throw .unusedBinding(
                    "parameter binding \"\(binding.key)\" is not declared by template \"\(templateName)\" (it declares: \(list(declaredParameters.keys)))",
                    field: field)
            }
            parameterBindings[binding.key] = binding.value
        }
        var artifactBindings: [String: String] = [:]
        for (i, binding) in (input.configuration.spec.inputArtifactBindings ?? []).enumerated() {
            let field = "spec.inputArtifactBindings[\(i)].key"
            guard artifactBindings[binding.key] == nil else {
                throw .duplicateBinding("artifact \"\(binding.key)\" is bound twice by configuration \"\(configurationName)\"", field: field)
            }
            guard declaredArtifacts.contains(binding.key) else {
                throw .artifactMismatch(
                    "artifact binding \"\(binding.key)\" does not match any artifact of template \"\(templateName)\" (it declares: \(list(declaredArtifacts)))",
                    field: field)
            }
            artifactBindings[binding.key] = binding.artifactId
        }

        // Placeholders: each names a declared input.
        for (reference, path) in used.sorted(by: { $0.key < $1.key }) {
            let declared = reference.kind == .parameter
                ? declaredParameters[reference.name] != nil : declaredArtifacts.contains(reference.name)
            if !declared {
                let kind = reference.kind == .parameter ? "parameter" : "artifact"
                throw .unknownPlaceholder(
                    "unknown placeholder \(reference.placeholder) in \(path): template \"\(templateName)\" declares no \(kind) \"\(reference.name)\"",
                    field: reference.name)
            }
        }

        // Every binding is used.
        for key in parameterBindings.keys.sorted() where used[InputReference(kind: .parameter, name: key)] == nil {
            throw .unusedBinding(
                "parameter \"\(key)\" is bound but template \"\(templateName)\" never uses {{inputs.parameters.\(key)}}",
                field: key)
        }
        for key in artifactBindings.keys.sorted() where used[InputReference(kind: .artifact, name: key)] == nil {
            throw .unusedBinding(
                "artifact \"\(key)\" is bound but template \"\(templateName)\" never uses {{inputs.artifacts.\(key)}}",
                field: key)
        }

        // Values for every used input, each checked.
        for reference in used.keys.sorted() {
            switch reference.kind {
            case .parameter:
                let value: String
                let source: String
                if let bound = parameterBindings[reference.name] {
                    (value, source) = (bound, "parameter \"\(reference.name)\" (bound by configuration \"\(configurationName)\")")
                } else if let fallback = declaredParameters[reference.name]?.default {
                    (value, source) = (fallback, "parameter \"\(reference.name)\" (default of template \"\(templateName)\")")
                } else {
                    throw .missingParameter(
                        "parameter \"\(reference.name)\" has no value: configuration \"\(configurationName)\" does not bind it and template \"\(templateName)\" gives no default",
                        field: reference.name)
                }
                try ValueSafety.check(value, noun: source, field: reference.name)
                values[reference] = value
            case .artifact:
                guard let artifactID = artifactBindings[reference.name] else {
                    throw .unboundArtifact(
                        "template artifact \"\(reference.name)\" is not bound by configuration \"\(configurationName)\" (it binds: \(list(artifactBindings.keys)))",
                        field: reference.name)
                }
                guard let artifact = input.artifacts[artifactID] else {
                    throw .artifactNotFound(
                        "artifact \"\(reference.name)\" is bound to artifact id \"\(artifactID)\", which does not exist",
                        field: reference.name)
                }
                let (url, store) = try ArtifactURL.resolve(
                    artifact.spec, name: reference.name, objectStoreSecrets: input.objectStoreSecrets)
                try ValueSafety.check(url, noun: "artifact \"\(reference.name)\" (URL of artifact \"\(artifactID)\")", field: reference.name)
                values[reference] = url
                if let store { objectStores[url] = store }
            }
        }
    }
}

/// Artifact URLs as the init container fetches them.
enum ArtifactURL {
    /// `spec.url`, with `ai://<secret>/<path>` resolved to `s3://<bucket>/<pathPrefix>/<path>` (or `gs://`).
    static func resolve(
        _ spec: V1Alpha1.ArtifactSpec, name: String, objectStoreSecrets: [String: ObjectStoreSecret]
    ) throws(RenderError) -> (url: String, store: ObjectStoreSecret?) {
        if let problem = spec.validate().first(where: { $0.field == "spec.url" }) {
            throw .invalidValue("artifact \"\(name)\": \(problem.message)", field: name)
        }
        let url = spec.url
        let aiPrefix = "ai://"
        guard url.lowercased().hasPrefix(aiPrefix) else { return (url, nil) }
        let rest = url.dropFirst(aiPrefix.count)
        let secretName = String(rest.prefix { $0 != "/" })
        let path = rest.dropFirst(secretName.count)
        guard let store = objectStoreSecrets[secretName] else {
            throw .objectStoreSecretNotFound(
                "artifact \"\(name)\": object-store secret \"\(secretName)\" of \(url) does not exist",
                field: name)
        }
        let scheme: String
        switch store.type.lowercased() {
        case "s3": scheme = "s3"
        case "gcs", "gs": scheme = "gs"
        default:
            throw .invalidValue(
                "artifact \"\(name)\": object-store secret \"\(secretName)\" has type \"\(store.type)\"; S3 and GCS are supported",
                field: name)
        }
        let components = [store.bucket] + (store.pathPrefix ?? "").split(separator: "/").map(String.init)
            + path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !store.bucket.isEmpty else {
            throw .invalidValue("artifact \"\(name)\": object-store secret \"\(secretName)\" has no bucket", field: name)
        }
        return ("\(scheme)://" + components.joined(separator: "/"), store)
    }
}
