import Foundation
import KubeModel

/// create, update, patch; the object rules of the real server: server-set metadata, generation
/// bumped on spec changes only, status subresource separation, optimistic concurrency,
/// dryRun, fieldValidation, and finalizers.
extension EmbeddedKube {
    struct Admitted {
        var object: JSONValue
        var warnings: [String] = []
    }

    /// apiVersion and kind must name this resource.
    func checkTypeMeta(_ object: JSONValue, _ d: ResourceDescriptor) throws {
        guard case .object = object else {
            throw APIServerError.badRequest("couldn't get version/kind; json parse error: json: cannot unmarshal \(object.typeName) into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }")
        }
        let kind = object["kind"]?.stringValue ?? ""
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        if kind.isEmpty {
            throw APIServerError.badRequest("Object 'Kind' is missing in '\(String(object.serializedString().prefix(200)))'")
        }
        if apiVersion.isEmpty {
            throw APIServerError.badRequest("Object 'apiVersion' is missing in '\(String(object.serializedString().prefix(200)))'")
        }
        if apiVersion != d.apiVersion {
            throw APIServerError.badRequest("the API version in the data (\(apiVersion)) does not match the expected API version (\(d.apiVersion))")
        }
        if kind != d.kind {
            throw APIServerError.badRequest("\(kind) in version \"\(d.version)\" cannot be handled as a \(d.kind): the kind in the data (\(kind)) does not match the expected kind (\(d.kind))")
        }
    }

    /// Defaults, prunes and validates an object about to be stored. Unknown fields are an error
    /// under `fieldValidation=Strict` and a warning otherwise.
    func admit(_ object: JSONValue, _ d: ResourceDescriptor, request: APIRequest, name: String) throws -> Admitted {
        var object = object
        var warnings: [String] = []
        var causes: [StatusCause] = []
        if d.isCustom, let schema = d.schema {
            let outcome = SchemaValidator(schema: schema).process(object)
            object = outcome.object
            if !outcome.unknownFields.isEmpty {
                let listed = outcome.unknownFields.map { "unknown field \"\($0)\"" }
                switch request.query["fieldValidation"] ?? "Warn" {
                case "Strict":
                    throw APIServerError.badRequest(
                        "\(d.kind) in version \"\(d.version)\" cannot be handled as a \(d.kind): strict decoding error: \(listed.joined(separator: ", "))")
                case "Ignore":
                    break
                default:
                    warnings += listed
                }
            }
            causes += outcome.causes
        } else {
            if let schema = BuiltinFieldSchemas.schema(group: d.group, plural: d.plural) {
                let (pruned, unknown) = SchemaValidator(schema: schema).pruneUnknown(object)
                if !unknown.isEmpty {
                    let listed = unknown.map { "unknown field \"\($0)\"" }
                    switch request.query["fieldValidation"] ?? "Warn" {
                    case "Strict":
                        throw APIServerError.badRequest(
                            "\(d.kind) in version \"\(d.version)\" cannot be handled as a \(d.kind): strict decoding error: \(listed.joined(separator: ", "))")
                    case "Ignore":
                        break
                    default:
                        warnings += listed
                    }
                    object = pruned
                }
            }
            causes += try admitBuiltin(&object, d)
        }
        causes = metadataCauses(object, d) + causes
        if !causes.isEmpty {
            // A converted resource is validated as its stored kind (events.k8s.io Events as core Events).
            throw APIServerError.invalid(kind: d.kind, group: d.conversion == nil ? d.group : "", name: name, causes: causes)
        }
        return Admitted(object: object, warnings: warnings)
    }

    private func admitBuiltin(_ object: inout JSONValue, _ d: ResourceDescriptor) throws -> [StatusCause] {
        try BuiltinAdmission.admit(&object, d)
    }

    private func metadataCauses(_ object: JSONValue, _ d: ResourceDescriptor) -> [StatusCause] {
        var causes: [StatusCause] = []
        let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if name.isEmpty {
            causes.append(StatusCause(reason: "FieldValueRequired", message: "Required value: name or generateName is required", field: "metadata.name"))
        } else {
            let problem = d.isNamespace || (d.group.isEmpty && d.plural == "services")
                ? NameValidation.dns1123LabelProblem(name)
                : d.group == "rbac.authorization.k8s.io" ? NameValidation.pathSegmentProblem(name) : NameValidation.dns1123SubdomainProblem(name)
            if let problem {
                causes.append(StatusCause(reason: "FieldValueInvalid", message: "Invalid value: \"\(name)\": \(problem)", field: "metadata.name"))
            }
        }
        for (key, value) in object[path: ["metadata", "labels"]]?.objectValue ?? [:] {
            if let problem = NameValidation.qualifiedNameProblem(key) {
                causes.append(StatusCause(reason: "FieldValueInvalid", message: "Invalid value: \"\(key)\": \(problem)", field: "metadata.labels"))
            }
            guard let s = value.stringValue else {
                causes.append(StatusCause(reason: "FieldValueTypeInvalid", message: "Invalid value: \(value.serializedString()): label values must be strings", field: "metadata.labels"))
                continue
            }
            if let problem = NameValidation.labelValueProblem(s) {
                causes.append(StatusCause(reason: "FieldValueInvalid", message: "Invalid value: \"\(s)\": \(problem)", field: "metadata.labels"))
            }
        }
        for (key, _) in object[path: ["metadata", "annotations"]]?.objectValue ?? [:] {
            if let problem = NameValidation.qualifiedNameProblem(key.lowercased()) {
                causes.append(StatusCause(reason: "FieldValueInvalid", message: "Invalid value: \"\(key)\": \(problem)", field: "metadata.annotations"))
            }
        }
        return causes
    }

    /// For namespaced creates: the namespace must exist and not be terminating.
    private func checkNamespace(_ namespace: String, d: ResourceDescriptor, name: String) throws {
        guard let ns = store.get("/namespaces", key: namespace) else {
            throw APIServerError.notFound(GroupResource(group: "", resource: "namespaces"), name: namespace)
        }
        if ns.value[path: ["metadata", "deletionTimestamp"]] != nil {
            throw APIServerError.forbidden(
                "\(d.plural) \"\(name)\" is forbidden: unable to create new content in namespace \(namespace) because it is being terminated",
                group: d.group, resource: d.plural, name: name)
        }
    }

    static func randomSuffix(_ n: Int = 5) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String((0..<n).map { _ in alphabet.randomElement()! })
    }

    /// RFC 7234 Warning headers, code 299, as the real server sends for dropped unknown fields.
    static func warningHeaders(_ warnings: [String]) -> [(String, String)] {
        warnings.map { ("Warning", "299 - \"\($0.replacingOccurrences(of: "\"", with: "\\\""))\"") }
    }

    func response(for object: JSONValue, status: Int, warnings: [String]) -> APIResponse {
        var r = APIResponse.json(object, status: status)
        r.headers += Self.warningHeaders(warnings)
        return r
    }

    func create(_ request: APIRequest, target: Target) async throws -> APIResponse {
        let d = target.descriptor
        if target.subresource != nil || target.name != nil {
            throw APIServerError.methodNotAllowed(request.method)
        }
        var object = try decodeBody(request)
        try checkTypeMeta(object, d)
        if let bodyNamespace = object[path: ["metadata", "namespace"]]?.stringValue, !bodyNamespace.isEmpty,
           let namespace = target.namespace, bodyNamespace != namespace {
            throw APIServerError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        var name = object[path: ["metadata", "name"]]?.stringValue ?? ""
        if name.isEmpty, let prefix = object[path: ["metadata", "generateName"]]?.stringValue, !prefix.isEmpty {
            name = prefix + Self.randomSuffix()
            object[path: ["metadata", "name"]] = .string(name)
        }
        if d.namespaced {
            object[path: ["metadata", "namespace"]] = .string(target.namespace ?? "")
        } else {
            object[path: ["metadata", "namespace"]] = nil
        }
        if d.hasStatus && d.plural != "namespaces" && !(d.group == "" && d.plural == "pods") && d.plural != "services" {
            object["status"] = nil
        }
        var admitted = try admit(object, d, request: request, name: name)
        if let namespace = target.namespace { try checkNamespace(namespace, d: d, name: name) }
        let now = KubeTime.now()
        var meta = admitted.object["metadata"] ?? .emptyObject
        meta["uid"] = .string(UUID().uuidString.lowercased())
        meta["creationTimestamp"] = .string(now.rfc3339)
        meta["resourceVersion"] = nil
        meta["deletionTimestamp"] = nil
        meta["deletionGracePeriodSeconds"] = nil
        meta["selfLink"] = nil
        meta["generation"] = d.tracksGeneration ? 1 : nil
        if d.isCustomResourceDefinition {
            var finalizers = meta["finalizers"]?.arrayValue ?? []
            if !finalizers.contains(.string(CRDSupport.cleanupFinalizer)) { finalizers.append(.string(CRDSupport.cleanupFinalizer)) }
            meta["finalizers"] = .array(finalizers)
        }
        admitted.object["metadata"] = meta
        admitted.object[path: ["metadata", "managedFields"]] = ManagedFields.entries(
            existing: nil, old: nil, new: admitted.object, manager: request.fieldManager, apiVersion: d.apiVersion,
            subresource: nil, time: now)
        if request.isDryRun {
            return response(for: admitted.object, status: 201, warnings: admitted.warnings)
        }
        let key = objectKey(namespace: target.namespace, name: name)
        let stored = toStored(admitted.object, d)
        let (result, _) = try store.write(d.storageKey, key: key, namespace: target.namespace ?? "") { current, _ in
            if current != nil { throw APIServerError.alreadyExists(d.groupResource, name: name) }
            return (.put(stored), ())
        }
        try await store.waitDurable(result.durableTicket)
        if let object = result.object {
            afterWrite(d, object.value)
            return APIResponse(status: 201, headers: Self.warningHeaders(admitted.warnings), body: .bytes(externalBytes(object, d)))
        }
        throw APIServerError.internalError("the object was not stored")
    }

    func update(_ request: APIRequest, target: Target) async throws -> APIResponse {
        guard let name = target.name else { throw APIServerError.methodNotAllowed(request.method) }
        let d = target.descriptor
        let body = try decodeBody(request)
        if target.subresource == "scale" {
            return try await writeScale(request, target: target) { _ in body }
        }
        try checkTypeMeta(body, d)
        if let bodyName = body[path: ["metadata", "name"]]?.stringValue, bodyName != name {
            throw APIServerError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if d.namespaced, let bodyNamespace = body[path: ["metadata", "namespace"]]?.stringValue, !bodyNamespace.isEmpty,
           bodyNamespace != target.namespace {
            throw APIServerError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let precondition = body[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        if precondition.isEmpty && d.isCustom {
            throw APIServerError.invalid(kind: d.kind, group: d.group, name: name, causes: [
                StatusCause(reason: "FieldValueInvalid", message: "Invalid value: 0x0: must be specified for an update", field: "metadata.resourceVersion"),
            ])
        }
        return try await applyChange(request, target: target, requireResourceVersion: precondition.isEmpty ? nil : precondition) { _ in body }
    }

    func patch(_ request: APIRequest, target: Target) async throws -> APIResponse {
        guard target.name != nil else { throw APIServerError.methodNotAllowed(request.method) }
        let d = target.descriptor
        guard let type = PatchType(contentType: request.contentType), type != .strategic || d.acceptsStrategicMerge else {
            let accepted = d.acceptsStrategicMerge
                ? "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml"
                : "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
            throw APIServerError.unsupportedMediaType("the body of the request was in an unknown format - accepted media types include: \(accepted)")
        }
        if type == .apply {
            if (request.query["fieldManager"] ?? "").isEmpty {
                throw APIServerError.invalidMessage(
                    "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                    details: StatusDetails(group: "meta.k8s.io", kind: "PatchOptions", causes: [
                        StatusCause(reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager"),
                    ]))
            }
            throw APIServerError.unsupportedMediaType(
                "server-side apply (application/apply-patch+yaml) is not supported by EmbeddedKube; use client-side `kubectl apply` (merge and strategic-merge patches), or a merge/JSON patch")
        }
        guard !request.body.isEmpty else { throw APIServerError.badRequest("the body of the request was empty") }
        let patchDocument: JSONValue
        do {
            patchDocument = try JSONValue(parsing: request.body)
        } catch {
            throw APIServerError.badRequest("error decoding patch: \(error.message)")
        }
        let apply: (JSONValue) throws -> JSONValue = { current in
            switch type {
            case .merge:
                guard case .object = patchDocument else { throw APIServerError.badRequest("json: cannot unmarshal \(patchDocument.typeName) into Go value of type map[string]interface {}") }
                return Patch.merge(current, patchDocument)
            case .strategic:
                guard case .object = patchDocument else { throw APIServerError.badRequest("json: cannot unmarshal \(patchDocument.typeName) into Go value of type map[string]interface {}") }
                return Patch.strategicMerge(current, patchDocument)
            case .json:
                do throws(Patch.JSONPatchError) {
                    return try Patch.json(current, patchDocument)
                } catch {
                    if error.isTestFailure {
                        throw APIServerError.invalidMessage("the server rejected our request due to an error in our request", details: StatusDetails())
                    }
                    throw APIServerError.invalidMessage(error.message, details: StatusDetails())
                }
            case .apply:
                return current
            }
        }
        if target.subresource == "scale" {
            return try await writeScale(request, target: target, transform: apply)
        }
        return try await applyChange(request, target: target, requireResourceVersion: nil, transform: apply, isPatch: true)
    }

    /// The common path of update and patch: read the current object, compute the new one, apply
    /// the subresource, generation and finalizer rules, and store it if anything changed.
    func applyChange(
        _ request: APIRequest, target: Target, requireResourceVersion: String?,
        transform: @escaping (JSONValue) throws -> JSONValue, isPatch: Bool = false
    ) async throws -> APIResponse {
        let d = target.descriptor
        guard let name = target.name else { throw APIServerError.methodNotAllowed(request.method) }
        let key = objectKey(namespace: target.namespace, name: name)
        // Compute outside the lock from a snapshot, then write with a resourceVersion check: a
        // concurrent change in between makes us retry, as the real server's GuaranteedUpdate does.
        for _ in 0..<16 {
            guard let current = store.get(d.storageKey, key: key) else {
                throw APIServerError.notFound(d.groupResource, name: name)
            }
            if let requireResourceVersion, requireResourceVersion != String(current.resourceVersion) {
                throw APIServerError.conflict(d.groupResource, name: name)
            }
            let currentExternal = external(current.value, d)
            var proposed = try transform(currentExternal)
            if isPatch {
                if let rv = proposed[path: ["metadata", "resourceVersion"]]?.stringValue, !rv.isEmpty,
                   rv != String(current.resourceVersion) {
                    throw APIServerError.conflict(d.groupResource, name: name)
                }
                if proposed["apiVersion"]?.stringValue != d.apiVersion || proposed["kind"]?.stringValue != d.kind {
                    try checkTypeMeta(proposed, d)
                }
                if proposed[path: ["metadata", "name"]]?.stringValue != name {
                    throw APIServerError.badRequest("the name of the object (\(proposed[path: ["metadata", "name"]]?.stringValue ?? "")) does not match the name on the URL (\(name))")
                }
            }
            proposed = mergeSubresource(current: currentExternal, proposed: proposed, d: d, subresource: target.subresource)
            let admitted = try admit(proposed, d, request: request, name: name)
            var next = admitted.object
            // Server-owned metadata is kept from the stored object.
            for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace", "name"] {
                next[path: ["metadata", field]] = current.value[path: ["metadata", field]]
            }
            if d.isCustom, let schema = d.schema {
                let violations = SchemaValidator(schema: schema).transitionViolations(old: current.value, new: next)
                if !violations.isEmpty {
                    throw APIServerError.invalid(kind: d.kind, group: d.group, name: name, causes: violations)
                }
            }
            if d.tracksGeneration && specChanged(current.value, next) {
                next[path: ["metadata", "generation"]] = .int((current.value[path: ["metadata", "generation"]]?.intValue ?? 0) + 1)
            }
            next[path: ["metadata", "resourceVersion"]] = current.value[path: ["metadata", "resourceVersion"]]
            next[path: ["metadata", "managedFields"]] = current.value[path: ["metadata", "managedFields"]]
            if Self.equalIgnoringOrder(toStored(next, d), current.value) {
                return response(for: currentExternal, status: 200, warnings: admitted.warnings)
            }
            next[path: ["metadata", "managedFields"]] = ManagedFields.entries(
                existing: current.value[path: ["metadata", "managedFields"]], old: current.value, new: next,
                manager: request.fieldManager, apiVersion: d.apiVersion, subresource: target.subresource, time: KubeTime.now())
            let terminating = next[path: ["metadata", "deletionTimestamp"]] != nil
            let finalizersLeft = !(next[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty
            if terminating && !finalizersLeft {
                // The last finalizer is gone: the object is deleted. The answer carries the old resourceVersion.
                if request.isDryRun { return response(for: next, status: 200, warnings: admitted.warnings) }
                let expected = current.resourceVersion
                let finalState = next
                do {
                    let (result, _) = try store.write(d.storageKey, key: key, namespace: target.namespace ?? "") { now, _ in
                        guard let now, now.resourceVersion == expected else { throw RetryWrite() }
                        return (.delete, ())
                    }
                    try await store.waitDurable(result.durableTicket)
                    afterDelete(d, finalState)
                } catch is RetryWrite {
                    continue
                }
                return response(for: finalState, status: 200, warnings: admitted.warnings)
            }
            if request.isDryRun {
                return response(for: next, status: 200, warnings: admitted.warnings)
            }
            let expected = current.resourceVersion
            let toStore = toStored(next, d)
            do {
                let (result, _) = try store.write(d.storageKey, key: key, namespace: target.namespace ?? "") { now, _ in
                    guard let now, now.resourceVersion == expected else { throw RetryWrite() }
                    return (.put(toStore), ())
                }
                try await store.waitDurable(result.durableTicket)
                guard let stored = result.object else { throw APIServerError.internalError("update lost") }
                afterWrite(d, stored.value)
                return APIResponse(status: 200, headers: Self.warningHeaders(admitted.warnings), body: .bytes(externalBytes(stored, d)))
            } catch is RetryWrite {
                if requireResourceVersion != nil { throw APIServerError.conflict(d.groupResource, name: name) }
                continue
            }
        }
        throw APIServerError.conflict(d.groupResource, name: name, message: "too many concurrent changes; please retry")
    }

    struct RetryWrite: Error {}

    /// With a status subresource, the main resource ignores `.status` and `/status` ignores
    /// everything else (metadata included, but for labels and annotations kept from the current object).
    func mergeSubresource(current: JSONValue, proposed: JSONValue, d: ResourceDescriptor, subresource: String?) -> JSONValue {
        guard d.hasStatus else { return proposed }
        var next = proposed
        if subresource == "status" {
            next = current
            next["status"] = proposed["status"]
        } else if subresource == nil {
            next["status"] = current["status"]
        }
        return next
    }

    /// Whether anything outside metadata and status changed (what bumps generation).
    func specChanged(_ a: JSONValue, _ b: JSONValue) -> Bool {
        var x = a
        var y = b
        for field in ["metadata", "status"] {
            x[field] = nil
            y[field] = nil
        }
        return !Self.equalIgnoringOrder(x, y)
    }

    static func equalIgnoringOrder(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.doubleValue, let y = b.doubleValue, a.stringValue == nil { return x == y }
        return a == b
    }

    // MARK: /scale

    func scaleObject(_ object: JSONValue, descriptor d: ResourceDescriptor) throws -> JSONValue {
        guard let scale = d.scale else { throw APIServerError.pathNotFound() }
        let specPath = scale.specReplicasPath.split(separator: ".").map(String.init)
        let statusPath = scale.statusReplicasPath.split(separator: ".").map(String.init)
        guard let replicas = object[path: specPath]?.intValue else {
            throw APIServerError.internalError("the spec replicas field \"\(scale.specReplicasPath)\" does not exist")
        }
        var selector: JSONValue = .string("")
        if let path = scale.labelSelectorPath {
            if path == "#selector" {
                selector = object[path: ["spec", "selector"]].flatMap { LabelSelector(object: $0) }.map { .string($0.description) } ?? ""
            } else if let s = object[path: path.split(separator: ".").map(String.init)]?.stringValue {
                selector = .string(s)
            }
        }
        var status: JSONValue = ["replicas": .int(object[path: statusPath]?.intValue ?? 0)]
        if selector != "" { status["selector"] = selector }
        var meta: JSONValue = .emptyObject
        for f in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] { meta[f] = object[path: ["metadata", f]] }
        return ["kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": meta, "spec": ["replicas": .int(replicas)], "status": status]
    }

    private func writeScale(_ request: APIRequest, target: Target, transform: @escaping (JSONValue) throws -> JSONValue) async throws -> APIResponse {
        let d = target.descriptor
        guard let scale = d.scale, let name = target.name else { throw APIServerError.pathNotFound() }
        let specPath = scale.specReplicasPath.split(separator: ".").map(String.init)
        let response = try await applyChange(request, target: Target(descriptor: d, namespace: target.namespace, name: name, subresource: "scale"),
                                             requireResourceVersion: nil) { [self] current in
            let currentScale = try scaleObject(current, descriptor: d)
            let newScale = try transform(currentScale)
            if let rv = newScale[path: ["metadata", "resourceVersion"]]?.stringValue, !rv.isEmpty,
               rv != current[path: ["metadata", "resourceVersion"]]?.stringValue {
                throw APIServerError.conflict(d.groupResource, name: name)
            }
            guard let replicas = newScale[path: ["spec", "replicas"]]?.intValue, replicas >= 0 else {
                throw APIServerError.invalid(kind: "Scale", group: "autoscaling", name: name, causes: [
                    StatusCause(reason: "FieldValueInvalid", message: "Invalid value: \(newScale[path: ["spec", "replicas"]]?.serializedString() ?? "null"): must be greater than or equal to 0", field: "spec.replicas"),
                ])
            }
            var next = current
            next[path: specPath] = .int(replicas)
            return next
        }
        guard case .bytes(let bytes) = response.body, let object = try? JSONValue(parsing: bytes) else { return response }
        return .json(try scaleObject(object, descriptor: d), status: response.status)
    }
}
