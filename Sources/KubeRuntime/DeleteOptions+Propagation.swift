import KubeModel

/// How a delete treats the object's dependents (`DeleteOptions.propagationPolicy`).
public enum PropagationPolicy: String, Sendable, Hashable {
    /// Dependents are deleted first; the owner keeps a `foregroundDeletion` finalizer until then.
    case foreground = "Foreground"
    /// The owner goes at once; the garbage collector deletes dependents afterwards.
    case background = "Background"
    /// Dependents are left, their owner references removed.
    case orphan = "Orphan"
}

extension DeleteOptions {
    /// Delete options with a typed propagation policy; `dryRun: true` sends `dryRun: ["All"]`.
    public init(
        propagation: PropagationPolicy?, preconditions: Preconditions? = nil, gracePeriodSeconds: Int64? = nil,
        dryRun: Bool = false
    ) {
        self.init(
            propagationPolicy: propagation?.rawValue, gracePeriodSeconds: gracePeriodSeconds, preconditions: preconditions,
            dryRun: dryRun ? ["All"] : nil)
    }

    /// Whether the options say anything (an empty DELETE is sent without a body).
    var isEmpty: Bool {
        propagationPolicy == nil && gracePeriodSeconds == nil && preconditions == nil && (dryRun ?? []).isEmpty
            && orphanDependents == nil
    }

    var body: [UInt8] {
        var value = (try? JSONValue(encoding: self)) ?? .emptyObject
        if value["apiVersion"] == nil { value["apiVersion"] = "v1" }
        if value["kind"] == nil { value["kind"] = "DeleteOptions" }
        return value.serialized()
    }
}

/// What a DELETE answered: the object is gone (`Status` Success), or it is still there, terminating,
/// because finalizers (e.g. `foregroundDeletion`) remain.
public enum DeleteResult<Object: Sendable>: Sendable {
    case deleted(Status)
    case pending(Object)

    /// The terminating object, if the delete is pending.
    public var object: Object? {
        if case .pending(let o) = self { o } else { nil }
    }

    public var isDeleted: Bool {
        if case .deleted = self { true } else { false }
    }
}
