import KubeModel
import Logging

/// Tuning of a `Controller`.
public struct ControllerConfiguration: Sendable, Hashable {
    /// Names the controller in logs.
    public var name: String
    /// Reconciles that may run at once (never two for the same request).
    public var workers: Int
    /// Backoff of failed reconciles: base doubled per failure, capped.
    public var queue: WorkQueueState<ReconcileRequest>.Configuration

    public init(name: String, workers: Int = 1, queue: WorkQueueState<ReconcileRequest>.Configuration = .init()) {
        self.name = name
        self.workers = workers
        self.queue = queue
    }
}

/// Something that feeds a controller's queue: usually an informer's events mapped to requests.
public struct ControllerSource: Sendable {
    /// Feeds the queue until the task is cancelled or the events end.
    public var feed: @Sendable (WorkQueue<ReconcileRequest>) async -> Void
    /// Waits until the source's cache is filled.
    public var waitForSync: @Sendable () async -> Bool

    public init(
        feed: @escaping @Sendable (WorkQueue<ReconcileRequest>) async -> Void,
        waitForSync: @escaping @Sendable () async -> Bool
    ) {
        self.feed = feed
        self.waitForSync = waitForSync
    }

    /// The events of `informer` (which someone else runs), mapped to requests. For an update both the
    /// old and the new object are mapped (an owner reference may have changed).
    public static func informer<Object: Sendable>(_ informer: Informer<Object>, mapping: RequestMapping<Object>) -> ControllerSource {
        ControllerSource(
            feed: { queue in
                for await event in await informer.events() {
                    var requests: [ReconcileRequest] = []
                    switch event {
                    case .added(let o), .deleted(let o):
                        requests = mapping.map(o, informer.metadata(of: o))
                    case .updated(let old, let new):
                        requests = mapping.map(new, informer.metadata(of: new))
                        for r in mapping.map(old, informer.metadata(of: old)) where !requests.contains(r) { requests.append(r) }
                    }
                    for request in requests where !request.name.isEmpty { await queue.add(request) }
                }
            },
            waitForSync: { await informer.waitForSync() })
    }
}

/// Runs a `Reconciler` over a work queue fed by sources (controller-runtime's controller): N workers,
/// one request at a time per key, errors requeued with backoff, `requeueAfter` honoured.
public final class Controller: Sendable {
    public let configuration: ControllerConfiguration
    public let queue: WorkQueue<ReconcileRequest>
    private let reconciler: any Reconciler
    private let sources: [ControllerSource]
    private let logger: Logger

    public init(
        configuration: ControllerConfiguration, reconciler: some Reconciler, sources: [ControllerSource],
        logger: Logger = Logger(label: "quiver.controller")
    ) {
        self.configuration = configuration
        self.reconciler = reconciler
        self.sources = sources
        var logger = logger
        logger[metadataKey: "controller"] = "\(configuration.name)"
        self.logger = logger
        self.queue = WorkQueue(configuration: configuration.queue)
    }

    /// Feeds the queue from every source, waits for their caches, then runs the workers until
    /// `shutDown()` (in-flight reconciles finish, then `run` returns) or until the task is cancelled
    /// (reconciles in flight see the cancellation).
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for source in sources {
                group.addTask { await source.feed(self.queue) }
            }
            var synced = true
            for source in sources where !(await source.waitForSync()) { synced = false }
            if synced, !Task.isCancelled {
                logger.info("starting workers", metadata: ["workers": "\(configuration.workers)"])
                await withTaskCancellationHandler {
                    await withTaskGroup(of: Void.self) { workers in
                        for _ in 0..<max(1, configuration.workers) {
                            workers.addTask { await self.work() }
                        }
                    }
                } onCancel: {
                    Task { await self.queue.shutDown() }
                }
            } else {
                logger.warning("sources did not sync; not starting workers")
            }
            group.cancelAll()
        }
        logger.info("stopped")
    }

    /// Stops taking requests, waits for the reconciles in flight; `run()` then returns.
    public func shutDown() async {
        await queue.shutDownWithDrain()
    }

    private func work() async {
        while let request = await queue.get() {
            await process(request)
            await queue.done(request)
        }
    }

    /// One reconcile and what follows from its outcome.
    func process(_ request: ReconcileRequest) async {
        var logger = self.logger
        logger[metadataKey: "request"] = "\(request)"
        do {
            let result = try await reconciler.reconcile(request)
            if let after = result.requeueAfter, after > .zero {
                await queue.forget(request)
                await queue.addAfter(request, delay: after)
            } else if result.requeue {
                await queue.addRateLimited(request)
            } else {
                await queue.forget(request)
            }
        } catch let error as TerminalError {
            logger.error("reconcile failed with a terminal error", metadata: ["error": "\(error.underlying)"])
            await queue.forget(request)
        } catch {
            let delay = await queue.addRateLimited(request)
            logger.error("reconcile failed; requeued", metadata: ["error": "\(error)", "delay": "\(delay)"])
        }
    }
}
