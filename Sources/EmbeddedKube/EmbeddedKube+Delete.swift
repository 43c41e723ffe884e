import Foundation
import KubeModel

/// DELETE and DELETE-collection: finalizers hold an object in a terminating state; propagation
/// policy Foreground adds the `foregroundDeletion` finalizer and Orphan the `orphan` one, which the
/// garbage collector then works through.
extension EmbeddedKube {
    struct DeleteOptions {
        var propagationPolicy: String?
        var preconditionUID: String?
        var preconditionResourceVersion: String?
        var dryRun = false
    }

    func deleteOptions(_ request: APIRequest) throws -> DeleteOptions {
        var options = DeleteOptions()
        options.propagationPolicy = request.query["propagationPolicy"]
        if request.query["orphanDependents"] == "true" { options.propagationPolicy = "Orphan" }
        options.dryRun = request.isDryRun
        if !request.body.isEmpty {
            let body: JSONValue
            do {
                body = try JSONValue(parsing: request.body)
            } catch {
                throw APIServerError.badRequest("couldn't get version/kind; json parse error: \(error.message)")
            }
            if let p = body["propagationPolicy"]?.stringValue { options.propagationPolicy = p }
            if body["orphanDependents"]?.boolValue == true { options.propagationPolicy = "Orphan" }
            options.preconditionUID = body[path: ["preconditions", "uid"]]?.stringValue
            options.preconditionResourceVersion = body[path: ["preconditions", "resourceVersion"]]?.stringValue
            if case .array(let dry)? = body["dryRun"], dry.contains("All") { options.dryRun = true }
        }
        if let p = options.propagationPolicy, !["Foreground", "Background", "Orphan"].contains(p) {
            throw APIServerError.invalidMessage(
                "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"\(p)\": supported values: \"Foreground\", \"Background\", \"Orphan\"",
                details: StatusDetails(group: "meta.k8s.io", kind: "DeleteOptions"))
        }
        return options
    }

    func delete(_ request: APIRequest, target: Target) async throws -> APIResponse {
        guard let name = target.name, target.subresource == nil else { throw APIServerError.methodNotAllowed(request.method) }
        let options = try deleteOptions(request)
        return try await deleteObject(target.descriptor, namespace: target.namespace, name: name, options: options)
    }

    /// Deletes one object and answers as the real server does: the Status when it is gone at
    /// once, the object (terminating) while finalizers remain.
    func deleteObject(_ d: ResourceDescriptor, namespace: String?, name: String, options: DeleteOptions) async throws -> APIResponse {
        let key = objectKey(namespace: namespace, name: name)
        for _ in 0..<16 {
            guard let current = store.get(d.storageKey, key: key) else {
                throw APIServerError.notFound(d.groupResource, name: name)
            }
            let uid = current.value[path: ["metadata", "uid"]]?.stringValue ?? ""
            if let want = options.preconditionUID, want != uid {
                throw APIServerError.conflict(d.groupResource, name: name,
                    message: "Precondition failed: UID in precondition: \(want), UID in object meta: \(uid)")
            }
            if let want = options.preconditionResourceVersion, want != String(current.resourceVersion) {
                throw APIServerError.conflict(d.groupResource, name: name,
                    message: "Precondition failed: ResourceVersion in precondition: \(want), ResourceVersion in object meta: \(current.resourceVersion)")
            }
            var object = current.value
            var finalizers = (object[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
            let alreadyTerminating = object[path: ["metadata", "deletionTimestamp"]] != nil
            var changed = false
            if !alreadyTerminating {
                switch options.propagationPolicy {
                case "Foreground" where !finalizers.contains("foregroundDeletion"):
                    finalizers.append("foregroundDeletion")
                    changed = true
                case "Orphan" where !finalizers.contains("orphan"):
                    finalizers.append("orphan")
                    changed = true
                default:
                    break
                }
                // Namespaces always go through the namespace controller.
                if d.isNamespace { changed = true }
            }
            if finalizers.isEmpty && !d.isNamespace {
                if options.dryRun { return successStatus(d, name: name, uid: uid) }
                let expected = current.resourceVersion
                do {
                    let (result, _) = try store.write(d.storageKey, key: key, namespace: namespace ?? "") { now, _ in
                        guard let now, now.resourceVersion == expected else { throw RetryWrite() }
                        return (.delete, ())
                    }
                    try await store.waitDurable(result.durableTicket)
                } catch is RetryWrite {
                    continue
                }
                afterDelete(d, object)
                return successStatus(d, name: name, uid: uid)
            }
            if alreadyTerminating && !changed {
                return .rawJSON(externalBytes(current, d))
            }
            object[path: ["metadata", "finalizers"]] = finalizers.isEmpty ? nil : .array(finalizers.map { .string($0) })
            object[path: ["metadata", "deletionTimestamp"]] = .string(KubeTime.now().rfc3339)
            object[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
            if d.tracksGeneration {
                object[path: ["metadata", "generation"]] = .int((object[path: ["metadata", "generation"]]?.intValue ?? 0) + 1)
            }
            if d.isNamespace {
                object[path: ["status", "phase"]] = "Terminating"
            }
            if options.dryRun { return .json(external(object, d)) }
            let expected = current.resourceVersion
            let toStore = object
            do {
                let (result, _) = try store.write(d.storageKey, key: key, namespace: namespace ?? "") { now, _ in
                    guard let now, now.resourceVersion == expected else { throw RetryWrite() }
                    return (.put(toStore), ())
                }
                try await store.waitDurable(result.durableTicket)
                guard let stored = result.object else { throw APIServerError.internalError("delete lost") }
                afterWrite(d, stored.value)
                return .rawJSON(externalBytes(stored, d))
            } catch is RetryWrite {
                continue
            }
        }
        throw APIServerError.conflict(d.groupResource, name: name, message: "too many concurrent changes; please retry")
    }

    func successStatus(_ d: ResourceDescriptor, name: String, uid: String) -> APIResponse {
        var details: JSONValue = ["name": .string(name), "kind": .string(d.plural), "uid": .string(uid)]
        if !d.group.isEmpty { details["group"] = .string(d.group) }
        return .json(["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "details": details])
    }

    func deleteCollection(_ request: APIRequest, target: Target) async throws -> APIResponse {
        let d = target.descriptor
        let (labels, fields) = try selectors(request, descriptor: d)
        let options = try deleteOptions(request)
        let (objects, _) = store.list(d.storageKey, namespace: target.namespace)
        var deleted: [JSONValue] = []
        for (_, object) in objects where labels.matches(object: object.value) && fields.matches(object: object.value) {
            guard let name = object.value[path: ["metadata", "name"]]?.stringValue else { continue }
            let ns = object.value[path: ["metadata", "namespace"]]?.stringValue
            do {
                _ = try await deleteObject(d, namespace: ns, name: name, options: options)
                deleted.append(object.value)
            } catch let error as APIServerError where error.httpStatus == 404 {
                continue
            }
        }
        return .json([
            "apiVersion": .string(d.apiVersion), "kind": .string(d.listKind),
            "metadata": ["resourceVersion": .string(String(store.currentResourceVersion))], "items": .array(deleted),
        ])
    }
}
