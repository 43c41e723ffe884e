import KubeModel
import Synchronization

/// The resources the server serves: the built-ins, plus one entry per version of every
/// Established CustomResourceDefinition.
final class ResourceRegistry: Sendable {
    private struct State {
        var custom: [String: [ResourceDescriptor]] = [:]  // CRD name → its served versions
        var revision: UInt64 = 0
    }

    private let state = Mutex(State())
    let builtins: [ResourceDescriptor]

    init(builtins: [ResourceDescriptor] = ResourceDescriptor.builtins) {
        self.builtins = builtins
    }

    var all: [ResourceDescriptor] {
        let custom = state.withLock { s in s.custom.keys.sorted().flatMap { s.custom[$0]! } }
        return builtins + custom
    }

    /// Changes whenever a CRD is added or removed, so discovery documents can be cached.
    var revision: UInt64 { state.withLock { $0.revision } }

    func setCustom(crdName: String, descriptors: [ResourceDescriptor]?) {
        state.withLock { s in
            s.custom[crdName] = descriptors
            s.revision += 1
        }
    }

    func lookup(group: String, version: String, plural: String) -> ResourceDescriptor? {
        if let b = builtins.first(where: { $0.group == group && $0.version == version && $0.plural == plural }) { return b }
        return state.withLock { s in
            for (_, list) in s.custom {
                if let d = list.first(where: { $0.group == group && $0.version == version && $0.plural == plural }) { return d }
            }
            return nil
        }
    }

    func lookup(apiVersion: String, kind: String) -> ResourceDescriptor? {
        let gvr = GroupVersionResource(apiVersion: apiVersion, resource: "")
        return all.first { $0.group == gvr.group && $0.version == gvr.version && $0.kind == kind }
    }

    /// Any version of a group/kind (owner references may name another served version).
    func lookup(group: String, kind: String) -> ResourceDescriptor? {
        all.first { $0.group == group && $0.kind == kind }
    }

    func lookup(storageKey: String) -> ResourceDescriptor? {
        all.first { $0.storageKey == storageKey && !$0.isVirtual }
    }

    func groupExists(_ group: String) -> Bool { all.contains { $0.group == group } }

    func versions(of group: String) -> [String] {
        var seen: [String] = []
        for d in all where d.group == group && !seen.contains(d.version) { seen.append(d.version) }
        return seen
    }
}
