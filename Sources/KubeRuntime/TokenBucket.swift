/// A token bucket: `qps` tokens a second flow in, at most `burst` are kept. A pure value: the caller
/// passes the time and sleeps for the returned wait.
///
/// `reserve(now:)` always takes a token, letting the count go negative, and says how long the caller
/// must wait before it may use it; so concurrent callers queue up in order, spaced `1/qps` apart
/// (like golang.org/x/time/rate's `Reserve`, which client-go's limiter uses).
public struct TokenBucket: Sendable, Hashable {
    public let qps: Double
    public let burst: Int
    public private(set) var tokens: Double
    public private(set) var last: ContinuousClock.Instant

    /// A full bucket at `now`. `qps <= 0` means no limit.
    public init(qps: Double, burst: Int, now: ContinuousClock.Instant) {
        self.qps = qps
        self.burst = max(1, burst)
        self.tokens = Double(max(1, burst))
        self.last = now
    }

    public var isUnlimited: Bool { qps <= 0 || !qps.isFinite }

    /// Takes one token; returns how long to wait (zero when a token was available).
    public mutating func reserve(now: ContinuousClock.Instant) -> Duration {
        guard !isUnlimited else { return .zero }
        refill(now: now)
        tokens -= 1
        if tokens >= 0 { return .zero }
        return Self.duration(seconds: -tokens / qps)
    }

    /// Takes a token only if one is available now.
    public mutating func tryTake(now: ContinuousClock.Instant) -> Bool {
        guard !isUnlimited else { return true }
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    private mutating func refill(now: ContinuousClock.Instant) {
        guard now > last else { return }
        let elapsed = last.duration(to: now)
        tokens = min(Double(burst), tokens + Self.seconds(elapsed) * qps)
        last = now
    }

    static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }

    static func duration(seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded(.up)))
    }
}
