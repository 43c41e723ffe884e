import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One request as the scripted server received it.
struct RecordedRequest: Sendable {
    var method: String
    /// Path and query as sent.
    var uri: String
    var headers: [(String, String)]
    var body: [UInt8]
    var receivedAt: ContinuousClock.Instant

    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
    var query: String { uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? "" }
    /// Decoded query items.
    var queryItems: [String: String] {
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
            items[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return items
    }

    func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    var bodyString: String { String(decoding: body, as: UTF8.self) }
}

/// What the scripted server answers.
struct ScriptedResponse: Sendable {
    struct Chunk: Sendable {
        var bytes: [UInt8]
        /// Pause before this chunk is written.
        var delay: Duration
    }

    var status: Int
    var headers: [(String, String)] = [("Content-Type", "application/json")]
    var chunks: [Chunk] = []
    /// Send the body chunked (no Content-Length), as a watch is.
    var chunked = false
    /// Close the connection after the chunks without ending the body (a dropped watch).
    var abortAfterChunks = false
    /// After the chunks, keep the body open, writing an empty line every 20 ms, until the client goes away.
    var holdOpen = false
    /// Pause before the response head is written (a server slow to answer).
    var headDelay: Duration = .zero

    static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> ScriptedResponse {
        ScriptedResponse(
            status: status, headers: [("Content-Type", "application/json")] + headers,
            chunks: [Chunk(bytes: Array(body.utf8), delay: .zero)])
    }

    /// A watch body: the given pieces of bytes, each after its delay.
    static func stream(_ pieces: [(String, Duration)], abort: Bool = false, holdOpen: Bool = false) -> ScriptedResponse {
        ScriptedResponse(
            status: 200, chunks: pieces.map { Chunk(bytes: Array($0.0.utf8), delay: $0.1) }, chunked: true,
            abortAfterChunks: abort, holdOpen: holdOpen)
    }
}

/// A small HTTP/1.1 server on 127.0.0.1 with a free port that answers from a script, for testing the
/// client over a real socket.
final class ScriptedServer: Sendable {
    typealias Script = @Sendable (RecordedRequest, Int) -> ScriptedResponse

    let port: Int
    private let script: Script
    private let recorded = Mutex<[RecordedRequest]>([])
    private let closedStreams = Mutex(0)

    private init(port: Int, script: @escaping Script) {
        self.port = port
        self.script = script
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var requests: [RecordedRequest] { recorded.withLock { $0 } }
    /// Held-open bodies whose client went away.
    var closedHeldStreams: Int { closedStreams.withLock { $0 } }

    /// Starts a server, runs `body`, and stops the server, also when `body` throws.
    static func with<R: Sendable>(
        _ script: @escaping Script, _ body: (ScriptedServer) async throws -> R
    ) async throws -> R {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: child)
                }
            }
        guard let port = channel.channel.localAddress?.port else {
            try await channel.channel.close()
            throw ScriptError.noPort
        }
        let server = ScriptedServer(port: port, script: script)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound in
                    try await withThrowingTaskGroup(of: Void.self) { connections in
                        for try await connection in inbound {
                            connections.addTask { await server.serve(connection) }
                        }
                        connections.cancelAll()
                    }
                }
            }
            let result: Result<R, any Error>
            do {
                result = .success(try await body(server))
            } catch {
                result = .failure(error)
            }
            group.cancelAll()
            try? await channel.channel.close()
            return try result.get()
        }
    }

    enum ScriptError: Error { case noPort }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let h):
                    head = h
                    body = []
                case .body(let buffer):
                    body.append(contentsOf: buffer.readableBytesView)
                case .end:
                    guard let h = head else { continue }
                    let request = RecordedRequest(
                        method: h.method.rawValue, uri: h.uri, headers: h.headers.map { ($0.name, $0.value) }, body: body,
                        receivedAt: .now)
                    let index = recorded.withLock { list in
                        list.append(request)
                        return list.count - 1
                    }
                    let response = script(request, index)
                    guard try await write(response, to: outbound) else { return }
                }
            }
        }
    }

    /// Writes a response; false when the connection must be closed. A held-open body whose client
    /// goes away at any point (even before the head is written) counts in `closedHeldStreams`.
    private func write(_ response: ScriptedResponse, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws -> Bool {
        guard response.holdOpen else { return try await writeAll(response, to: outbound) }
        do {
            return try await writeAll(response, to: outbound)
        } catch {
            closedStreams.withLock { $0 += 1 }
            return false
        }
    }

    private func writeAll(_ response: ScriptedResponse, to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws -> Bool {
        var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status))
        for (name, value) in response.headers { head.headers.add(name: name, value: value) }
        if !response.chunked {
            head.headers.add(name: "Content-Length", value: String(response.chunks.reduce(0) { $0 + $1.bytes.count }))
        }
        if response.headDelay > .zero { try await Task.sleep(for: response.headDelay) }
        try await outbound.write(.head(head))
        for chunk in response.chunks {
            if chunk.delay > .zero { try await Task.sleep(for: chunk.delay) }
            if !chunk.bytes.isEmpty {
                try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: chunk.bytes))))
            }
        }
        if response.abortAfterChunks { return false }
        if response.holdOpen {
            while true {
                try await Task.sleep(for: .milliseconds(20))
                try await outbound.write(.body(.byteBuffer(ByteBuffer(string: "\n"))))
            }
        }
        try await outbound.write(.end(nil))
        return true
    }
}

/// Runs `body` with a limit; fails the test's expectations with a timeout error if it takes longer.
struct TimeoutError: Error {}

func withTimeout<R: Sendable>(_ limit: Duration = .seconds(10), _ body: @escaping @Sendable () async throws -> R) async throws -> R {
    try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        guard let first = try await group.next(), let value = first else {
            group.cancelAll()
            throw TimeoutError()
        }
        group.cancelAll()
        return value
    }
}
