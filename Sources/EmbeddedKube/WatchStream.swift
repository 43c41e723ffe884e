import KubeModel
import ServiceLifecycle

/// The body of a watch response: newline-delimited JSON events, produced by a task that reads
/// the store subscription, sends bookmarks when asked, and ends cleanly at the watch's timeout or
/// when the client goes away.
struct WatchStream: Sendable {
    let lines: AsyncStream<[UInt8]>

    /// A stream of fixed bytes (one ERROR event), then the end.
    static func finished(_ bytes: [UInt8]) -> WatchStream {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream()
        continuation.yield(bytes)
        continuation.finish()
        return WatchStream(lines: stream)
    }

    /// - Parameters:
    ///   - formatterFactory: makes, inside the producing task, the function that turns a signal into lines.
    ///   - initialEnd: the initial-events-end bookmark after the synthetic ADDED events, if wanted.
    ///   - preTimeoutBookmark: whether to send the bookmark 2 s before the end. The recorded server sent
    ///     none on a watch that began with initial events and their initial-events-end bookmark.
    static func make(
        subscription: ObjectStore.Subscription, timeout: Double, bookmarkInterval: Double?, preTimeoutBookmark: Bool = true,
        store: ObjectStore,
        formatterFactory: @escaping @Sendable () -> (WatchSignal) -> [[UInt8]],
        initialEnd: @escaping @Sendable (Int64) -> [UInt8]?
    ) -> WatchStream {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .bufferingOldest(100_000))
        let timer = Task {
            // Bookmarks every interval, and one about 2 s before the end, as the real server does.
            let end = ContinuousClock.now + .milliseconds(Int64(timeout * 1000))
            if let bookmarkInterval {
                var next = ContinuousClock.now + .milliseconds(Int64(bookmarkInterval * 1000))
                let lastBookmark = timeout > 3 && preTimeoutBookmark ? end - .seconds(2) : end
                var sentLast = false
                while !Task.isCancelled {
                    let wake = min(next, sentLast ? end : lastBookmark)
                    if wake >= end { break }
                    try? await Task.sleep(until: wake, clock: .continuous)
                    if Task.isCancelled { return }
                    subscription.inject(.tick(store.currentResourceVersion))
                    if wake == lastBookmark { sentLast = true } else {
                        next = next + .milliseconds(Int64(bookmarkInterval * 1000))
                    }
                }
            }
            try? await Task.sleep(until: end, clock: .continuous)
            if !Task.isCancelled { subscription.inject(.end) }
        }
        let producer = Task {
            let format = formatterFactory()
            for record in subscription.initial {
                for line in format(.record(record)) { continuation.yield(line) }
            }
            if let line = initialEnd(subscription.resourceVersion) { continuation.yield(line) }
            // On graceful shutdown the server ends every watch cleanly (clients re-watch elsewhere),
            // so open watches never hold the shutdown up.
            await withGracefulShutdownHandler {
                for await signal in subscription.stream {
                    if case .end = signal { break }
                    for line in format(signal) {
                        if case .dropped = continuation.yield(line) { break }
                    }
                }
            } onGracefulShutdown: {
                subscription.inject(.end)
            }
            continuation.finish()
            timer.cancel()
            subscription.cancel()
        }
        continuation.onTermination = { _ in
            producer.cancel()
            timer.cancel()
            subscription.cancel()
        }
        return WatchStream(lines: stream)
    }
}
