/// When to re-read a rotating bearer-token file (a projected service-account token is replaced about
/// hourly). A pure value: the caller passes the time and does the reading.
///
/// The file is read on first use, again once `refreshInterval` has passed since the last read, and
/// at once after `invalidate()` (the client calls it on a 401).
public struct TokenFileCache: Sendable, Hashable {
    public let path: String
    public let refreshInterval: Duration
    public private(set) var token: String?
    public private(set) var readAt: ContinuousClock.Instant?

    public init(path: String, refreshInterval: Duration = .seconds(60)) {
        self.path = path
        self.refreshInterval = refreshInterval
    }

    /// Whether the file must be read before the cached token is used at `now`.
    public func needsRead(now: ContinuousClock.Instant) -> Bool {
        guard token != nil, let readAt else { return true }
        return readAt.duration(to: now) >= refreshInterval
    }

    /// Records what the file held at `now`. Returns whether the token changed.
    @discardableResult
    public mutating func record(token newToken: String, at now: ContinuousClock.Instant) -> Bool {
        let changed = newToken != token
        token = newToken
        readAt = now
        return changed
    }

    /// Forces a read before the next use.
    public mutating func invalidate() {
        readAt = nil
    }
}
