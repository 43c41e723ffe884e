import Synchronization

/// Counters of the operator's work, for `/metrics` and the benchmark.
public final class OperatorMetrics: Sendable {
    private let deploymentReconciles = Atomic<Int>(0)
    private let deploymentReconcileErrors = Atomic<Int>(0)

    public init() {}

    public var reconciles: Int { deploymentReconciles.load(ordering: .relaxed) }
    public var reconcileErrors: Int { deploymentReconcileErrors.load(ordering: .relaxed) }

    func recordReconcile(failed: Bool) {
        deploymentReconciles.add(1, ordering: .relaxed)
        if failed { deploymentReconcileErrors.add(1, ordering: .relaxed) }
    }
}
