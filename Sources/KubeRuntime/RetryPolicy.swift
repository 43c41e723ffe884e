/// When and how long to wait before sending a request again. A pure value: `delay(…)` decides, the
/// client sleeps.
///
/// - 429 Too Many Requests is retried for every verb (the server did not act on it).
/// - 5xx and connection errors are retried only for idempotent verbs (GET, HEAD, PUT, DELETE): a POST or
///   PATCH that failed that way may already have been applied.
/// - The delay is the server's `Retry-After` seconds when it sends one (capped at `maximumDelay`),
///   otherwise `initialDelay` doubled per attempt, capped at `maximumDelay`.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; 1 disables retries.
    public var maximumAttempts: Int
    public var initialDelay: Duration
    public var maximumDelay: Duration

    public init(maximumAttempts: Int = 5, initialDelay: Duration = .milliseconds(200), maximumDelay: Duration = .seconds(30)) {
        self.maximumAttempts = maximumAttempts
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// No retries at all.
    public static var none: RetryPolicy { RetryPolicy(maximumAttempts: 1) }

    /// What went wrong with one attempt.
    public enum Failure: Sendable, Hashable {
        /// The server answered with this HTTP status (and maybe a `Retry-After` header, in seconds).
        case status(Int, retryAfterSeconds: Int?)
        /// No response: connection refused or reset, TLS failure, timeout.
        case connection
    }

    public static func isIdempotent(method: String) -> Bool {
        switch method.uppercased() {
        case "GET", "HEAD", "PUT", "DELETE", "OPTIONS": true
        default: false
        }
    }

    /// Whether this failure may be retried at all, ignoring the attempt count.
    public func isRetryable(_ failure: Failure, method: String) -> Bool {
        switch failure {
        case .status(429, _): return true
        case .status(let code, _) where code >= 500 && code <= 599: return Self.isIdempotent(method: method)
        case .status: return false
        case .connection: return Self.isIdempotent(method: method)
        }
    }

    /// How long to wait before attempt `attempt + 1`, after attempt number `attempt` (1-based) failed;
    /// `nil` means give up and report the failure.
    public func delay(afterAttempt attempt: Int, failure: Failure, method: String) -> Duration? {
        guard attempt < maximumAttempts, isRetryable(failure, method: method) else { return nil }
        if case .status(_, let retryAfter?) = failure, retryAfter >= 0 {
            return min(.seconds(retryAfter), maximumDelay)
        }
        return backoff(attempt: attempt)
    }

    /// `initialDelay · 2^(attempt-1)`, capped at `maximumDelay`.
    public func backoff(attempt: Int) -> Duration {
        var delay = initialDelay
        var n = 1
        while n < attempt, delay < maximumDelay {
            delay = delay * 2
            n += 1
        }
        return min(delay, maximumDelay)
    }
}
