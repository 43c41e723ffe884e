import KubeModel

/// The object a reconcile looks at: namespace (nil for cluster-scoped) and name.
public struct ReconcileRequest: Hashable, Sendable, CustomStringConvertible {
    public var namespace: String?
    public var name: String

    public init(namespace: String? = nil, name: String) {
        self.namespace = namespace.flatMap { $0.isEmpty ? nil : $0 }
        self.name = name
    }

    /// The request for the object with this metadata.
    public init(metadata: ObjectMeta) {
        self.init(namespace: metadata.namespace, name: metadata.name ?? "")
    }

    /// `namespace/name`, or `name`.
    public var description: String { namespace.map { "\($0)/\(name)" } ?? name }
}

/// What to do after a reconcile that did not throw.
public struct ReconcileResult: Hashable, Sendable {
    /// Run again soon, with the rate-limited backoff.
    public var requeue: Bool
    /// Run again after this long (wins over `requeue`).
    public var requeueAfter: Duration?

    public init(requeue: Bool = false, requeueAfter: Duration? = nil) {
        self.requeue = requeue
        self.requeueAfter = requeueAfter
    }

    /// Nothing more to do until the next event.
    public static var done: ReconcileResult { ReconcileResult() }
    public static var requeue: ReconcileResult { ReconcileResult(requeue: true) }
    public static func requeue(after delay: Duration) -> ReconcileResult { ReconcileResult(requeueAfter: delay) }
}

/// Makes the world match one object's spec. Throwing requeues the request with backoff, unless the
/// error is a `TerminalError`.
public protocol Reconciler: Sendable {
    func reconcile(_ request: ReconcileRequest) async throws -> ReconcileResult
}

/// A reconcile failure that retrying cannot fix (controller-runtime's `reconcile.TerminalError`):
/// logged, not requeued.
public struct TerminalError: Error, Sendable, CustomStringConvertible {
    public var underlying: any Error

    public init(_ underlying: any Error) {
        self.underlying = underlying
    }

    public var description: String { "terminal error: \(underlying)" }
}

/// A `Reconciler` made of a closure.
public struct ReconcilerFunction: Reconciler {
    private let body: @Sendable (ReconcileRequest) async throws -> ReconcileResult

    public init(_ body: @escaping @Sendable (ReconcileRequest) async throws -> ReconcileResult) {
        self.body = body
    }

    public func reconcile(_ request: ReconcileRequest) async throws -> ReconcileResult {
        try await body(request)
    }
}
