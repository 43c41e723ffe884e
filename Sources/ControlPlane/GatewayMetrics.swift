import Foundation
import Synchronization

/// Per-deployment traffic through the gateway: totals for Prometheus and a short in-memory series
/// (10-second buckets over the last hour) for the dashboard.
public final class GatewayMetrics: Sendable {
    public struct Key: Hashable, Sendable, Comparable {
        public var resourceGroup: String
        public var deployment: String
        public static func < (a: Key, b: Key) -> Bool { (a.resourceGroup, a.deployment) < (b.resourceGroup, b.deployment) }
    }

    /// One 10-second bucket.
    public struct Bucket: Sendable, Hashable {
        public var start: Date
        public var requests: Int
        public var errors: Int
        public var tokens: Int
        public var latencySeconds: Double
    }

    struct Totals {
        var requests = 0
        var errors = 0
        var tokens = 0
        var latencySum = 0.0
        /// Counts per upper bound of `latencyBounds`, then +Inf.
        var latencyBuckets = [Int](repeating: 0, count: GatewayMetrics.latencyBounds.count + 1)
        var series: [Bucket] = []
    }

    static let latencyBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
    static let bucketSeconds = 10.0
    static let seriesLength = 360

    private let state = Mutex<[Key: Totals]>([:])

    public init() {}

    /// One proxied request: its outcome, duration and the tokens its response reported.
    func record(_ key: Key, status: Int, seconds: Double, tokens: Int?, at now: Date = Date()) {
        state.withLock { all in
            var totals = all[key] ?? Totals()
            totals.requests += 1
            let failed = status >= 500
            if failed { totals.errors += 1 }
            totals.tokens += tokens ?? 0
            totals.latencySum += seconds
            let index = Self.latencyBounds.firstIndex { seconds <= $0 } ?? Self.latencyBounds.count
            totals.latencyBuckets[index] += 1
            let start = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / Self.bucketSeconds).rounded(.down) * Self.bucketSeconds)
            if totals.series.last?.start != start {
                totals.series.append(Bucket(start: start, requests: 0, errors: 0, tokens: 0, latencySeconds: 0))
                if totals.series.count > Self.seriesLength { totals.series.removeFirst(totals.series.count - Self.seriesLength) }
            }
            totals.series[totals.series.count - 1].requests += 1
            totals.series[totals.series.count - 1].errors += failed ? 1 : 0
            totals.series[totals.series.count - 1].tokens += tokens ?? 0
            totals.series[totals.series.count - 1].latencySeconds += seconds
            all[key] = totals
        }
    }

    /// The recent series of one deployment, oldest first.
    public func series(resourceGroup: String, deployment: String) -> [Bucket] {
        state.withLock { $0[Key(resourceGroup: resourceGroup, deployment: deployment)]?.series ?? [] }
    }

    /// Totals of one deployment: requests, errors (5xx), tokens.
    public func totals(resourceGroup: String, deployment: String) -> (requests: Int, errors: Int, tokens: Int) {
        state.withLock {
            let t = $0[Key(resourceGroup: resourceGroup, deployment: deployment)] ?? Totals()
            return (t.requests, t.errors, t.tokens)
        }
    }

    /// Prometheus text exposition of every deployment's totals.
    public func prometheusText() -> String {
        let snapshot = state.withLock { $0 }
        var out = """
            # HELP quiver_gateway_requests_total Requests proxied to a deployment.
            # TYPE quiver_gateway_requests_total counter

            """
        func labels(_ key: Key) -> String { "resource_group=\"\(key.resourceGroup)\",deployment=\"\(key.deployment)\"" }
        let keys = snapshot.keys.sorted()
        for key in keys { out += "quiver_gateway_requests_total{\(labels(key))} \(snapshot[key]!.requests)\n" }
        out += "# HELP quiver_gateway_errors_total Proxied requests answered with 5xx.\n# TYPE quiver_gateway_errors_total counter\n"
        for key in keys { out += "quiver_gateway_errors_total{\(labels(key))} \(snapshot[key]!.errors)\n" }
        out += "# HELP quiver_gateway_tokens_total Tokens reported in responses' usage.\n# TYPE quiver_gateway_tokens_total counter\n"
        for key in keys { out += "quiver_gateway_tokens_total{\(labels(key))} \(snapshot[key]!.tokens)\n" }
        out += "# HELP quiver_gateway_request_duration_seconds Time from request to the end of the response.\n# TYPE quiver_gateway_request_duration_seconds histogram\n"
        for key in keys {
            let t = snapshot[key]!
            var cumulative = 0
            for (i, bound) in Self.latencyBounds.enumerated() {
                cumulative += t.latencyBuckets[i]
                out += "quiver_gateway_request_duration_seconds_bucket{\(labels(key)),le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "quiver_gateway_request_duration_seconds_bucket{\(labels(key)),le=\"+Inf\"} \(t.requests)\n"
            out += "quiver_gateway_request_duration_seconds_sum{\(labels(key))} \(t.latencySum)\n"
            out += "quiver_gateway_request_duration_seconds_count{\(labels(key))} \(t.requests)\n"
        }
        return out
    }
}

/// Finds the token count in a response's `usage` without parsing the whole body: OpenAI and TEI
/// put `usage` last, so the tail of the body is enough.
enum UsageScanner {
    /// Bytes of the body's end that are kept and scanned.
    static let tailLength = 512

    static func tokens(inTail tail: [UInt8]) -> Int? {
        for key in ["\"total_tokens\"", "\"prompt_tokens\""] {
            guard let range = find(Array(key.utf8), in: tail) else { continue }
            var i = range
            while i < tail.count, tail[i] == UInt8(ascii: " ") || tail[i] == UInt8(ascii: ":") { i += 1 }
            var value = 0
            var digits = 0
            while i < tail.count, tail[i] >= 48, tail[i] <= 57, digits < 12 {
                value = value * 10 + Int(tail[i] - 48)
                digits += 1
                i += 1
            }
            if digits > 0 { return value }
        }
        return nil
    }

    /// The index just after the last occurrence of `needle`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var start = haystack.count - needle.count
        while start >= 0 {
            if haystack[start..<start + needle.count].elementsEqual(needle) { return start + needle.count }
            start -= 1
        }
        return nil
    }
}
