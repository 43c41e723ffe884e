/// The client-side request limiter: a `TokenBucket` shared by every request of one client, sleeping
/// the caller until its token is due.
public actor RateLimiter {
    private var bucket: TokenBucket

    public init(qps: Double, burst: Int) {
        bucket = TokenBucket(qps: qps, burst: burst, now: .now)
    }

    /// Waits for a token. Throws `CancellationError` if the task is cancelled while waiting.
    public func acquire() async throws {
        let wait = bucket.reserve(now: .now)
        if wait > .zero {
            try await Task.sleep(for: wait)
        }
    }
}
