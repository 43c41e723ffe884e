import Foundation
import KubeModel
import Synchronization

/// What kube-controller-manager and the apiextensions controllers would do, in process: CRDs
/// become Established (and clean up their objects when deleted), the garbage collector follows
/// ownerReferences (background, foreground, orphan), and deleted namespaces are emptied.
extension EmbeddedKube {
    enum ControllerWork: Sendable {
        case crd(name: String)
        case terminating(storageKey: String, key: String)
        case ownerGone(uid: String)
    }

    /// Called after every successful write.
    func afterWrite(_ d: ResourceDescriptor, _ object: JSONValue) {
        if d.isCustomResourceDefinition {
            controllerQueue.yield(.crd(name: object[path: ["metadata", "name"]]?.stringValue ?? ""))
        }
        if object[path: ["metadata", "deletionTimestamp"]] != nil {
            let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
            let key = objectKey(namespace: d.namespaced ? object[path: ["metadata", "namespace"]]?.stringValue : nil, name: name)
            controllerQueue.yield(.terminating(storageKey: d.storageKey, key: key))
        }
    }

    /// Called after an object is removed.
    func afterDelete(_ d: ResourceDescriptor, _ object: JSONValue) {
        if let uid = object[path: ["metadata", "uid"]]?.stringValue {
            controllerQueue.yield(.ownerGone(uid: uid))
        }
        if d.isCustomResourceDefinition,
           let name = object[path: ["metadata", "name"]]?.stringValue {
            registry.setCustom(crdName: name, descriptors: nil)
        }
    }

    /// The controller loop: handles work as it comes and retries unfinished work every 200 ms.
    func runControllers(_ work: AsyncStream<ControllerWork>) async {
        let pending = PendingWork()
        func key(_ w: ControllerWork) -> String {
            switch w {
            case .crd(let name): "crd/\(name)"
            case .terminating(let s, let k): "term/\(s)/\(k)"
            case .ownerGone(let uid): "gone/\(uid)"
            }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(200))
                    let items = pending.items.withLock { p in
                        defer { p.removeAll() }
                        return Array(p.values)
                    }
                    for item in items {
                        if await !process(item) { pending.items.withLock { $0[key(item)] = item } }
                    }
                }
            }
            for await item in work {
                if await !process(item) { pending.items.withLock { $0[key(item)] = item } }
            }
            group.cancelAll()
        }
    }

    final class PendingWork: Sendable {
        let items = Mutex<[String: ControllerWork]>([:])
    }

    /// Returns false when the work is not finished and should be retried.
    private func process(_ work: ControllerWork) async -> Bool {
        do {
            switch work {
            case .crd(let name): return try await reconcileCRD(name)
            case .terminating(let storageKey, let key): return try await reconcileTerminating(storageKey, key)
            case .ownerGone(let uid): return try await collectDependents(of: uid)
            }
        } catch {
            logger.debug("controller work failed; will retry", metadata: ["error": "\(error)"])
            return false
        }
    }

    private var crdDescriptor: ResourceDescriptor {
        registry.builtins.first { $0.isCustomResourceDefinition }!
    }

    /// Changes one stored object through `mutate` (retrying on races); an object left
    /// terminating with no finalizers is deleted.
    func internalUpdate(_ d: ResourceDescriptor, key: String, _ mutate: (inout JSONValue) -> Bool) async throws {
        for _ in 0..<16 {
            guard let current = store.get(d.storageKey, key: key) else { return }
            var object = current.value
            guard mutate(&object) else { return }
            let gone = object[path: ["metadata", "deletionTimestamp"]] != nil
                && (object[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty
                && !(d.isNamespace && !(object[path: ["spec", "finalizers"]]?.arrayValue ?? []).isEmpty)
            let namespace = d.namespaced ? object[path: ["metadata", "namespace"]]?.stringValue ?? "" : ""
            do {
                let expected = current.resourceVersion
                let toStore = object
                let (result, _) = try store.write(d.storageKey, key: key, namespace: namespace) { now, _ in
                    guard let now, now.resourceVersion == expected else { throw RetryWrite() }
                    return (gone ? .delete : .put(toStore), ())
                }
                try await store.waitDurable(result.durableTicket)
                if gone { afterDelete(d, object) } else if let stored = result.object { afterWrite(d, stored.value) }
                return
            } catch is RetryWrite {
                continue
            }
        }
    }

    private func reconcileCRD(_ name: String) async throws -> Bool {
        let d = crdDescriptor
        guard let crd = store.get(d.storageKey, key: name) else { return true }
        if crd.value[path: ["metadata", "deletionTimestamp"]] != nil {
            // Delete every object of the CRD, then let the CRD go.
            if let descriptor = CRDSupport.descriptors(for: crd.value)?.first {
                let (objects, _) = store.list(descriptor.storageKey, namespace: nil)
                for (_, object) in objects where object.value[path: ["metadata", "deletionTimestamp"]] == nil {
                    let ns = object.value[path: ["metadata", "namespace"]]?.stringValue
                    _ = try? await deleteObject(descriptor, namespace: descriptor.namespaced ? ns : nil,
                                                name: object.value[path: ["metadata", "name"]]?.stringValue ?? "", options: .init())
                }
                if !store.list(descriptor.storageKey, namespace: nil).objects.isEmpty { return false }
            }
            registry.setCustom(crdName: name, descriptors: nil)
            try await internalUpdate(d, key: name) { object in
                let finalizers = (object[path: ["metadata", "finalizers"]]?.arrayValue ?? []).filter { $0.stringValue != CRDSupport.cleanupFinalizer }
                object[path: ["metadata", "finalizers"]] = finalizers.isEmpty ? nil : .array(finalizers)
                return true
            }
            return true
        }
        guard let descriptors = CRDSupport.descriptors(for: crd.value) else { return true }
        registry.setCustom(crdName: name, descriptors: descriptors)
        let established = (crd.value[path: ["status", "conditions"]]?.arrayValue ?? []).contains {
            $0["type"]?.stringValue == "Established" && $0["status"]?.stringValue == "True"
        }
        let namesMatch = crd.value[path: ["status", "acceptedNames", "plural"]] == crd.value[path: ["spec", "names", "plural"]]
            && crd.value[path: ["status", "acceptedNames", "shortNames"]] == crd.value[path: ["spec", "names", "shortNames"]]
        if !established || !namesMatch {
            try await internalUpdate(d, key: name) { object in
                var status = CRDSupport.establishedStatus(object, now: KubeTime.now())
                if let old = object[path: ["status", "conditions"]]?.arrayValue, !old.isEmpty, established {
                    status["conditions"] = .array(old)
                }
                object["status"] = status
                return true
            }
        }
        return true
    }

    private func reconcileTerminating(_ storageKey: String, _ key: String) async throws -> Bool {
        guard let d = registry.lookup(storageKey: storageKey), let stored = store.get(storageKey, key: key) else { return true }
        let object = stored.value
        guard object[path: ["metadata", "deletionTimestamp"]] != nil else { return true }
        let uid = object[path: ["metadata", "uid"]]?.stringValue ?? ""
        let finalizers = (object[path: ["metadata", "finalizers"]]?.arrayValue ?? []).compactMap(\.stringValue)
        var done = true

        if finalizers.contains("orphan") {
            for dependent in dependents(of: uid) {
                guard let dd = registry.lookup(storageKey: dependent.storageKey) else { continue }
                try await internalUpdate(dd, key: dependent.key) { o in
                    let refs = (o[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).filter { $0["uid"]?.stringValue != uid }
                    o[path: ["metadata", "ownerReferences"]] = refs.isEmpty ? nil : .array(refs)
                    return true
                }
            }
            try await removeFinalizer("orphan", d, key: key)
        }
        if finalizers.contains("foregroundDeletion") {
            let deps = dependents(of: uid)
            var blocking = false
            for dependent in deps {
                guard let dd = registry.lookup(storageKey: dependent.storageKey) else { continue }
                let refs = dependent.object.value[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
                if refs.contains(where: { $0["uid"]?.stringValue == uid && $0["blockOwnerDeletion"]?.boolValue == true }) {
                    blocking = true
                }
                if dependent.object.value[path: ["metadata", "deletionTimestamp"]] == nil {
                    let name = dependent.object.value[path: ["metadata", "name"]]?.stringValue ?? ""
                    let ns = dd.namespaced ? dependent.object.value[path: ["metadata", "namespace"]]?.stringValue : nil
                    // Like the real garbage collector: foreground only for a dependent that has dependents
                    // of its own, else it is deleted without a foregroundDeletion finalizer.
                    let dependentUID = dependent.object.value[path: ["metadata", "uid"]]?.stringValue ?? ""
                    let policy: String? = dependents(of: dependentUID).isEmpty ? nil : "Foreground"
                    _ = try? await deleteObject(dd, namespace: ns, name: name, options: DeleteOptions(propagationPolicy: policy))
                }
            }
            if blocking {
                done = false
            } else {
                try await removeFinalizer("foregroundDeletion", d, key: key)
            }
        }
        if d.isNamespace {
            let namespace = object[path: ["metadata", "name"]]?.stringValue ?? ""
            var remaining = 0
            for rd in registry.all where rd.namespaced && !rd.isVirtual {
                let (objects, _) = store.list(rd.storageKey, namespace: namespace)
                remaining += objects.count
                for (_, o) in objects where o.value[path: ["metadata", "deletionTimestamp"]] == nil {
                    _ = try? await deleteObject(rd, namespace: namespace, name: o.value[path: ["metadata", "name"]]?.stringValue ?? "", options: .init())
                }
            }
            if remaining > 0 {
                var stillThere = 0
                for rd in registry.all where rd.namespaced && !rd.isVirtual {
                    stillThere += store.list(rd.storageKey, namespace: namespace).objects.count
                }
                if stillThere > 0 { return false }
            }
            try await internalUpdate(d, key: key) { o in
                o[path: ["spec", "finalizers"]] = nil
                return true
            }
        }
        return done
    }

    private func removeFinalizer(_ finalizer: String, _ d: ResourceDescriptor, key: String) async throws {
        try await internalUpdate(d, key: key) { o in
            let list = (o[path: ["metadata", "finalizers"]]?.arrayValue ?? []).filter { $0.stringValue != finalizer }
            o[path: ["metadata", "finalizers"]] = list.isEmpty ? nil : .array(list)
            return true
        }
    }

    private func dependents(of uid: String) -> [(storageKey: String, key: String, object: StoredObject)] {
        store.scanAll { _, object in
            (object.value[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).contains { $0["uid"]?.stringValue == uid }
        }
    }

    /// Background collection: dependents whose owners are all gone are deleted.
    private func collectDependents(of uid: String) async throws -> Bool {
        for dependent in dependents(of: uid) {
            guard let dd = registry.lookup(storageKey: dependent.storageKey) else { continue }
            let object = dependent.object.value
            if object[path: ["metadata", "deletionTimestamp"]] != nil { continue }
            let refs = object[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []
            let namespace = object[path: ["metadata", "namespace"]]?.stringValue
            let anyOwnerLeft = refs.contains { ref in
                guard let refUID = ref["uid"]?.stringValue, refUID != uid,
                      let apiVersion = ref["apiVersion"]?.stringValue, let kind = ref["kind"]?.stringValue,
                      let name = ref["name"]?.stringValue,
                      let od = registry.lookup(group: GroupVersionResource(apiVersion: apiVersion, resource: "").group, kind: kind)
                else { return false }
                let ownerKey = objectKey(namespace: od.namespaced ? namespace : nil, name: name)
                return store.get(od.storageKey, key: ownerKey)?.value[path: ["metadata", "uid"]]?.stringValue == refUID
            }
            if anyOwnerLeft {
                try await internalUpdate(dd, key: dependent.key) { o in
                    let kept = (o[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).filter { $0["uid"]?.stringValue != uid }
                    o[path: ["metadata", "ownerReferences"]] = kept.isEmpty ? nil : .array(kept)
                    return true
                }
            } else {
                let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
                _ = try? await deleteObject(dd, namespace: dd.namespaced ? namespace : nil, name: name, options: .init())
            }
        }
        return true
    }
}
