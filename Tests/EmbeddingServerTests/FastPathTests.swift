import EmbeddingCore
import EmbeddingServer
import Foundation
import Testing

/// HTTP/1.1 behaviour of the embedding routes served in the pipeline (`EmbeddingFastPath`),
/// checked on raw loopback sockets: order, keep-alive, `Connection: close`, graceful shutdown.
@Suite(.serialized) struct FastPathTests {
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let fake = FakeBackend(width: 384)
        fake.delay = .milliseconds(30)
        try await withServer(testConfiguration(), backendFactory: { _ in fake }) { client in
            let port = try #require(client.port)
            // Embeddings, a router route, and embeddings again, sent in one write: each answer
            // must come in request order although /v1/models could answer before the model runs.
            let requests = rawPOST("/embed", json: #"{"inputs": "a"}"#)
                + "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                + rawPOST("/v1/embeddings", json: #"{"input": "bb bb"}"#)
                + rawPOST("/embed", json: #"{"inputs": ["ccc ccc ccc", "d"]}"#)
            let exchange = try await rawExchangeOffPool(port: port, requests, responses: 4)
            try #require(exchange.responses.count == 4)
            #expect(exchange.responses.map(\.status) == [200, 200, 200, 200])
            #expect(exchange.responses[0].headers["x-compute-characters"] == "1")
            #expect((exchange.responses[0].json as? [[Double]])?.count == 1)
            #expect((exchange.responses[1].json as? [String: Any])?["data"] is [Any])
            #expect(exchange.responses[2].headers["x-compute-characters"] == "5")
            #expect((exchange.responses[2].json as? [String: Any])?["object"] as? String == "list")
            #expect(exchange.responses[3].headers["x-compute-characters"] == "12")
            #expect((exchange.responses[3].json as? [[Double]])?.count == 2)
            #expect(exchange.responses.allSatisfy { $0.headers["connection"] == nil })
            #expect(!exchange.closed, "the server closed a keep-alive connection")
        }
    }

    @Test func keepAliveConnectionsStayOpenAfterLargeBodies() async throws {
        try await withServer(testConfiguration { $0.maxClientBatchSize = 64 }, backendFactory: { _ in FakeBackend(width: 384) }) { client in
            let port = try #require(client.port)
            let inputs = (0..<16).map { "sentence number \($0) " + String(repeating: "filler ", count: 30) }
            let body = String(decoding: try JSONSerialization.data(withJSONObject: ["inputs": inputs]), as: UTF8.self)
            #expect(body.utf8.count > 2048)
            let exchange = try await rawExchangeOffPool(port: port, rawPOST("/embed", json: body) + rawPOST("/embed", json: body),
                                                        responses: 2)
            #expect(exchange.responses.map(\.status) == [200, 200])
            #expect(exchange.responses.allSatisfy { ($0.json as? [[Double]])?.count == 16 })
            #expect(!exchange.closed)
        }
    }

    @Test func connectionCloseEndsTheConnectionAfterTheAnswer() async throws {
        try await withServer(testConfiguration(), backendFactory: { _ in FakeBackend(width: 384) }) { client in
            let port = try #require(client.port)
            let json = #"{"input": "hello"}"#
            let request = "POST /v1/embeddings HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n\r\n\(json)"
            let exchange = try await rawExchangeOffPool(port: port, request, responses: 1)
            #expect(exchange.responses.first?.status == 200)
            #expect(exchange.responses.first?.headers["connection"] == "close")
            #expect(exchange.closed)
        }
    }

    @Test func expectContinueIsAnsweredBeforeTheBody() async throws {
        try await withServer(testConfiguration { $0.payloadLimit = 4096 }, backendFactory: { _ in FakeBackend(width: 384) }) { client in
            let port = try #require(client.port)
            let json = #"{"inputs": "hello"}"#
            @Sendable func head(length: Int) -> String {
                "POST /embed HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(length)\r\n\r\n"
            }
            // Accepted: 100 Continue comes before the body is sent, then the answer.
            let (interim, final) = try await offPool { () -> ([RawResponse], [RawResponse]) in
                let fd = try connectLoopback(port: port)
                defer { close(fd) }
                try sendAll(fd, head(length: json.utf8.count))
                var pending = [UInt8]()
                let interim = try readResponses(fd, count: 1, pending: &pending).0
                try sendAll(fd, json)
                return (interim, try readResponses(fd, count: 1, pending: &pending).0)
            }
            #expect(interim.map(\.status) == [100])
            #expect(final.map(\.status) == [200])
            #expect((final.first?.json as? [[Double]])?.first?.count == 384)
            // Refused (over --payload-limit): the 413 comes at once, and the connection closes.
            let refused = try await offPool { () -> ([RawResponse], Bool) in
                let fd = try connectLoopback(port: port)
                defer { close(fd) }
                try sendAll(fd, head(length: 100_000))
                var pending = [UInt8]()
                let responses = try readResponses(fd, count: 1, pending: &pending)
                return (responses.0, responses.1 || closesSoon(fd))
            }
            #expect(refused.0.map(\.status) == [413])
            #expect(refused.0.first?.headers["connection"] == "close")
            #expect(refused.1)
        }
    }

    @Test func gracefulShutdownAnswersTheRequestInFlight() async throws {
        let fake = FakeBackend(width: 384)
        let inFlight = try await withServer(testConfiguration(), backendFactory: { _ in fake }) { client in
            let port = try #require(client.port)
            fake.pause()
            let exchange = Task { try await rawExchangeOffPool(port: port, rawPOST("/embed", json: #"{"inputs": "late"}"#), responses: 1) }
            let deadline = ContinuousClock.now + .seconds(30)
            while fake.batches.isEmpty && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            try #require(fake.batches.count == 1)
            // Leaving this closure shuts the server down while the batch is held; let it finish later.
            Thread {
                Thread.sleep(forTimeInterval: 0.5)
                fake.resume()
            }.start()
            return exchange
        }
        let exchange = try await inFlight.value
        #expect(exchange.responses.first?.status == 200)
        #expect((exchange.responses.first?.json as? [[Double]])?.first?.count == 384)
        #expect(exchange.responses.first?.headers["connection"] == "close")
        #expect(exchange.closed)
    }

    @Test func routerServesTheEmbeddingRoutesWhenTheFastPathIsOff() async throws {
        try await withServer(testConfiguration { $0.fastPath = false }) { client in
            let response = try await client.post("/v1/embeddings", json: ["input": Reference.cases[0].text])
            #expect(response.status == .ok)
            let data = try #require(response.object["data"] as? [[String: Any]])
            let vector = try #require(data.first?["embedding"] as? [Double]).map(Float.init)
            #expect(cosine(vector, Reference.cases[0].embedding) >= 0.99999)
            #expect(response.headers[.server] == "quiver-embed")
            // The router, unlike the fast path, ends the connection after a body it watched for
            // hang-ups (2 KiB or more): this answer shows which of the two served it.
            let inputs = (0..<8).map { "sentence \($0) " + String(repeating: "filler ", count: 40) }
            let large = try await client.post("/v1/embeddings", json: ["input": inputs])
            #expect(large.status == .ok)
            #expect(large.headers[.connection] == "close")
        }
    }
}

struct RawResponse: @unchecked Sendable {
    var status: Int
    /// Header names lowercased.
    var headers: [String: String]
    var body: Data
    var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
}

struct RawExchange: Sendable {
    var responses: [RawResponse]
    /// Whether the server closed the connection after the last response (checked for up to 2 s).
    var closed: Bool
}

/// Sends `requests` in one write on a new loopback connection, reads `responses` answers
/// (Content-Length framed), then waits up to 2 s to see whether the server closes.
func rawExchange(port: Int, _ requests: String, responses count: Int) throws -> RawExchange {
    let fd = try connectLoopback(port: port)
    defer { close(fd) }
    try sendAll(fd, requests)
    var pending = [UInt8]()
    let (responses, closed) = try readResponses(fd, count: count, pending: &pending)
    if closed { return RawExchange(responses: responses, closed: true) }
    return RawExchange(responses: responses, closed: closesSoon(fd))
}

/// Reads until `count` responses are parsed out of `pending` plus what arrives, or the server
/// closes (the second value) or 30 s pass.
func readResponses(_ fd: Int32, count: Int, pending: inout [UInt8]) throws -> ([RawResponse], Bool) {
    var responses: [RawResponse] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while responses.count < count {
        if let (response, used) = parseResponse(pending) {
            responses.append(response)
            pending.removeFirst(used)
            continue
        }
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { return (responses, true) }
        pending += buffer[0..<n]
    }
    return (responses, false)
}

/// Whether the server closes `fd` within 2 s (and sends nothing more).
func closesSoon(_ fd: Int32) -> Bool {
    var buffer = [UInt8](repeating: 0, count: 1024)
    var short = timeval(tv_sec: 2, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &short, socklen_t(MemoryLayout<timeval>.size))
    let n = recv(fd, &buffer, buffer.count, 0)
    // 0: orderly close; -1 with a timeout: still open; more bytes: an unexpected extra answer.
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
}

/// One Content-Length framed response at the start of `bytes`, and how many bytes it used.
private func parseResponse(_ bytes: [UInt8]) -> (RawResponse, Int)? {
    let separator: [UInt8] = [13, 10, 13, 10]
    guard bytes.count >= 4, let headerEnd = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == separator })
    else { return nil }
    let lines = String(decoding: bytes[0..<headerEnd], as: UTF8.self).components(separatedBy: "\r\n")
    guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else { return nil }
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    let bodyStart = headerEnd + 4
    guard bytes.count >= bodyStart + length else { return nil }
    return (RawResponse(status: status, headers: headers, body: Data(bytes[bodyStart..<bodyStart + length])), bodyStart + length)
}

/// `rawExchange` on its own thread, off the cooperative pool the server needs.
func rawExchangeOffPool(port: Int, _ requests: String, responses: Int) async throws -> RawExchange {
    try await offPool { try rawExchange(port: port, requests, responses: responses) }
}

/// Blocking socket work on its own thread, off the cooperative pool the server needs.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
