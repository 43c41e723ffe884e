import Testing

@testable import KubeRuntime

@Suite struct TokenBucketTests {
    let t0 = ContinuousClock.now

    @Test func burstIsFreeThenRequestsAreSpaced() {
        var bucket = TokenBucket(qps: 10, burst: 3, now: t0)
        do { let v = bucket.reserve(now: t0); #expect(v == .zero) }
        do { let v = bucket.reserve(now: t0); #expect(v == .zero) }
        do { let v = bucket.reserve(now: t0); #expect(v == .zero) }
        // Empty: the next token is due in 100 ms, the one after in 200 ms (callers queue up).
        do { let v = bucket.reserve(now: t0); #expect(v == .milliseconds(100)) }
        do { let v = bucket.reserve(now: t0); #expect(v == .milliseconds(200)) }
    }

    @Test func refillsAtQPSUpToBurst() {
        var bucket = TokenBucket(qps: 10, burst: 2, now: t0)
        _ = bucket.reserve(now: t0)
        _ = bucket.reserve(now: t0)
        do { let v = bucket.tryTake(now: t0.advanced(by: .milliseconds(50))); #expect(!v) }
        do { let v = bucket.tryTake(now: t0.advanced(by: .milliseconds(100))); #expect(v) }
        // A long idle time refills only up to the burst.
        let later = t0.advanced(by: .seconds(60))
        do { let v = bucket.reserve(now: later); #expect(v == .zero) }
        do { let v = bucket.reserve(now: later); #expect(v == .zero) }
        do { let v = bucket.reserve(now: later); #expect(v == .milliseconds(100)) }
    }

    @Test func waitShrinksAsTimePasses() {
        var bucket = TokenBucket(qps: 4, burst: 1, now: t0)
        do { let v = bucket.reserve(now: t0); #expect(v == .zero) }
        do { let v = bucket.reserve(now: t0.advanced(by: .milliseconds(100))); #expect(v == .milliseconds(150)) }
    }

    @Test func zeroQPSIsUnlimited() {
        var bucket = TokenBucket(qps: 0, burst: 1, now: t0)
        for _ in 0..<1000 { let v = bucket.reserve(now: t0); #expect(v == .zero) }
    }

    @Test func limiterActorSleepsForItsToken() async throws {
        let limiter = RateLimiter(qps: 50, burst: 1)
        let start = ContinuousClock.now
        for _ in 0..<4 { try await limiter.acquire() }
        #expect(start.duration(to: .now) >= .milliseconds(55))
    }
}

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maximumAttempts: 4, initialDelay: .milliseconds(100), maximumDelay: .seconds(1))

    @Test func retryAfterWinsAndIsCapped() {
        #expect(policy.delay(afterAttempt: 1, failure: .status(429, retryAfterSeconds: 0), method: "POST") == .zero)
        #expect(policy.delay(afterAttempt: 1, failure: .status(503, retryAfterSeconds: 30), method: "GET") == .seconds(1))
    }

    @Test func exponentialBackoffIsBounded() {
        #expect(policy.delay(afterAttempt: 1, failure: .status(500, retryAfterSeconds: nil), method: "GET") == .milliseconds(100))
        #expect(policy.delay(afterAttempt: 2, failure: .status(500, retryAfterSeconds: nil), method: "GET") == .milliseconds(200))
        #expect(policy.delay(afterAttempt: 3, failure: .connection, method: "PUT") == .milliseconds(400))
        #expect(policy.delay(afterAttempt: 4, failure: .connection, method: "GET") == nil)
        #expect(policy.backoff(attempt: 30) == .seconds(1))
    }

    @Test func onlyIdempotentVerbsRetryServerAndConnectionErrors() {
        #expect(policy.isRetryable(.status(429, retryAfterSeconds: nil), method: "POST"))
        #expect(policy.isRetryable(.status(429, retryAfterSeconds: nil), method: "PATCH"))
        #expect(!policy.isRetryable(.status(500, retryAfterSeconds: nil), method: "POST"))
        #expect(!policy.isRetryable(.connection, method: "POST"))
        #expect(policy.isRetryable(.status(502, retryAfterSeconds: nil), method: "DELETE"))
        #expect(policy.isRetryable(.connection, method: "GET"))
        #expect(!policy.isRetryable(.status(404, retryAfterSeconds: nil), method: "GET"))
        #expect(!policy.isRetryable(.status(409, retryAfterSeconds: nil), method: "PUT"))
    }
}

@Suite struct LineSplitterTests {
    @Test func eventsSpanChunksAndShareChunks() throws {
        var splitter = LineSplitter()
        do { let v = try splitter.append(Array(#"{"type":"ADD"#.utf8)); #expect(v.isEmpty) }
        let lines = try splitter.append(Array("ED\"}\n{\"a\":1}\r\n\n{\"b\"".utf8))
        #expect(lines.map { String(decoding: $0, as: UTF8.self) } == [#"{"type":"ADDED"}"#, #"{"a":1}"#])
        do { let v = try splitter.append(Array(":2}".utf8)); #expect(v.isEmpty) }
        do { let v = splitter.finish(); #expect(v.map { String(decoding: $0, as: UTF8.self) } == #"{"b":2}"#) }
        do { let v = splitter.finish(); #expect(v == nil) }
    }

    @Test func overlongLineIsAnError() {
        var splitter = LineSplitter(maximumLineLength: 8)
        #expect(throws: KubeClientError.responseTooLarge) { _ = try splitter.append(Array("0123456789".utf8)) }
    }
}
