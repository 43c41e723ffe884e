import Foundation
import Testing

@testable import KubeModel

@Suite("KubeTime and MicroTime")
struct KubeTimeTests {
    @Test func kubeTimeRoundTripsSecondPrecision() throws {
        let time = try #require(KubeTime(rfc3339: "2026-11-24T10:26:36Z"))
        #expect(time.rfc3339 == "2026-11-24T10:26:36Z")
        #expect(time.secondsSince1970 == 1_795_515_996)
        #expect(KubeTime(time.date) == time)
        #expect(KubeTime(secondsSince1970: 0).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(KubeTime(secondsSince1970: -1).rfc3339 == "1969-12-31T23:59:59Z")
        #expect(KubeTime(rfc3339: "2024-02-29T23:59:59Z")?.rfc3339 == "2024-02-29T23:59:59Z")
    }

    @Test func kubeTimeAcceptsFractionsAndOffsetsButWritesUTCSeconds() {
        #expect(KubeTime(rfc3339: "2026-11-24T10:30:03.142494Z")?.rfc3339 == "2026-11-24T10:30:03Z")
        #expect(KubeTime(rfc3339: "2026-11-24T12:30:03+02:00")?.rfc3339 == "2026-11-24T10:30:03Z")
        #expect(KubeTime(rfc3339: "2026-11-24T00:30:03-01:30")?.rfc3339 == "2026-11-24T02:00:03Z")
    }

    @Test("malformed times are rejected", arguments: [
        "", "2026-11-24", "2026-11-24T10:26:36", "2026-13-01T00:00:00Z", "2026-11-24 10:26:36Z",
        "2026-11-24T10:26:36.Z", "2026-11-24T25:00:00Z", "2026-11-24T10:26:36Zjunk", "26-11-24T10:26:36Z",
    ])
    func malformed(text: String) {
        #expect(KubeTime(rfc3339: text) == nil)
        #expect(MicroTime(rfc3339: text) == nil)
    }

    @Test func microTimeNeedsExactlySixDigits() throws {
        let text = "2026-11-24T10:30:03.142494Z"
        let time = try #require(MicroTime(rfc3339: text))
        #expect(time.rfc3339 == text)
        #expect(time.microseconds == 142_494)
        #expect(MicroTime(rfc3339: "2026-11-24T10:30:03.000001Z")?.rfc3339 == "2026-11-24T10:30:03.000001Z")
        #expect(MicroTime(rfc3339: "2026-11-24T10:30:03.000000Z")?.microseconds == 0)
        for wrong in ["2026-11-24T10:30:03Z", "2026-11-24T10:30:03.142Z", "2026-11-24T10:30:03.142494000Z",
                      "2026-11-24T10:30:03.14249Z", "2026-11-24T10:30:03.1424941Z"] {
            #expect(MicroTime(rfc3339: wrong) == nil, "\(wrong)")
        }
        #expect(MicroTime(secondsSince1970: 0, microseconds: 5).rfc3339 == "1970-01-01T00:00:00.000005Z")
    }

    @Test func microTimeFromDateTruncatesToMicroseconds() {
        let time = MicroTime(Date(timeIntervalSince1970: 1_795_516_203.25))
        #expect(time.secondsSince1970 == 1_795_516_203)
        #expect(time.microseconds == 250_000)
        #expect(time.rfc3339 == "2026-11-24T10:30:03.250000Z")
        #expect(MicroTime(secondsSince1970: 1, microseconds: 1) < MicroTime(secondsSince1970: 1, microseconds: 2))
    }

    /// The 08-lease-time-* requests carry 0, 3 and 9 fractional digits, which the API server refuses.
    @Test("lease fixtures with 0, 3 or 9 digits fail MicroTime parsing", arguments: [
        ("08-lease-time-seconds-only.json", 0), ("08-lease-time-millis.json", 3), ("08-lease-time-nanos.json", 9),
    ])
    func leaseFixturesFail(file: String, digits: Int) throws {
        let fixture = try Fixture(file)
        let text = try #require(fixture.requestBody?[path: ["spec", "acquireTime"]]?.stringValue)
        #expect(RFC3339.parse(text)?.fractionDigits == digits)
        #expect(MicroTime(rfc3339: text) == nil)
        #expect(KubeTime(rfc3339: text) != nil)
        #expect(throws: DecodingError.self) { _ = try JSONValue.string(text).decode(as: MicroTime.self) }
        #expect(fixture.responseBody?["message"]?.stringValue?.contains("parsing time \"\(text)\"") == true)
    }

    @Test("six-digit fixture times parse and re-format identically", arguments: [
        "08-lease-create.json", "08-lease-update-renew.json", "08-lease-update-takeover.json",
        "08-event-eventsv1-create.json",
    ])
    func sixDigitFixtures(file: String) throws {
        let fixture = try Fixture(file)
        for body in [fixture.requestBody, fixture.responseBody].compactMap({ $0 }) {
            let texts = [body[path: ["spec", "acquireTime"]], body[path: ["spec", "renewTime"]], body["eventTime"]]
                .compactMap { $0?.stringValue }
            #expect(!texts.isEmpty)
            for text in texts {
                #expect(MicroTime(rfc3339: text)?.rfc3339 == text)
                #expect(try JSONValue(encoding: try JSONValue.string(text).decode(as: MicroTime.self)) == .string(text))
            }
        }
    }

    @Test func codableForm() throws {
        let time = try #require(KubeTime(rfc3339: "2026-11-24T10:26:36Z"))
        #expect(try JSONValue(encoding: time) == "2026-11-24T10:26:36Z")
        #expect(try JSONValue.string("2026-11-24T10:26:36Z").decode(as: KubeTime.self) == time)
        #expect(throws: DecodingError.self) { _ = try JSONValue.string("yesterday").decode(as: KubeTime.self) }
        #expect(throws: DecodingError.self) { _ = try JSONValue.int(5).decode(as: KubeTime.self) }
    }
}
