import AsyncHTTPClient
import EmbeddedKube
import Foundation
import KubeModel
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import ServiceLifecycle
import Synchronization
import Testing

// MARK: Running a server

/// A configuration for tests: loopback, a free port, plain HTTP, in memory.
func testKubeConfiguration(
    dataDirectory: String? = nil, useTLS: Bool = false, maxRequestBodyBytes: Int = 3 * 1024 * 1024,
    watchHistoryLimit: Int = 10_000, bookmarkIntervalSeconds: Double = 60, adminToken: String? = nil
) -> EmbeddedKubeConfiguration {
    EmbeddedKubeConfiguration(
        dataDirectory: dataDirectory, host: "127.0.0.1", port: 0, adminToken: adminToken,
        maxRequestBodyBytes: maxRequestBodyBytes, watchHistoryLimit: watchHistoryLimit,
        bookmarkIntervalSeconds: bookmarkIntervalSeconds, useTLS: useTLS)
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body` against a real EmbeddedKube on a free loopback port, then shuts the server down
/// gracefully (cancelling it if that takes too long), even when `body` throws.
func withEmbeddedKube<R: Sendable>(
    _ configuration: EmbeddedKubeConfiguration = testKubeConfiguration(),
    _ body: @Sendable (KubeHarness) async throws -> R
) async throws -> R {
    var logger = Logger(label: "embeddedkube-tests")
    logger.logLevel = .critical
    let (started, startedContinuation) = AsyncStream<(Int, EmbeddedKube)>.makeStream()
    let app = try await buildEmbeddedKube(configuration: configuration, logger: logger) { port, server in
        startedContinuation.yield((port, server))
    }
    let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self, returning: R.self) { tasks in
        tasks.addTask {
            defer { startedContinuation.finish() }
            try await group.run()
        }
        let result: Result<R, any Error>
        do {
            guard let (port, server) = try await firstElement(of: started, within: .seconds(60)) else {
                throw HarnessError(description: "EmbeddedKube stopped before listening")
            }
            let harness = try KubeHarness(port: port, server: server)
            do {
                result = .success(try await body(harness))
            } catch {
                result = .failure(error)
            }
            try? await harness.http.shutdown()
        } catch {
            result = .failure(error)
        }
        await group.triggerGracefulShutdown()
        // The server should stop on its own; a watchdog cancels it after a while.
        tasks.addTask {
            try? await Task.sleep(for: .seconds(20))
        }
        _ = try? await tasks.next()
        tasks.cancelAll()
        while (try? await tasks.next()) != nil {}
        return try result.get()
    }
}

/// The first element of `sequence`, or nil if it ends first; throws after `timeout`.
func firstElement<S: AsyncSequence & Sendable>(of sequence: S, within timeout: Duration) async throws -> S.Element?
where S.Element: Sendable {
    try await withThrowingTaskGroup(of: S.Element?.self) { group in
        group.addTask {
            for try await element in sequence { return element }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw HarnessError(description: "timed out after \(timeout)")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(
    within timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: interval)
    }
}

// MARK: HTTP

/// One answer of the server.
struct KubeResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
    var text: String { String(decoding: body, as: UTF8.self) }
    var contentType: String { headers.first(name: "Content-Type") ?? "" }
}

/// The running server and an HTTP client for it.
struct KubeHarness: Sendable {
    let port: Int
    let server: EmbeddedKube
    let http: HTTPClient
    var token: String { server.adminToken }
    var baseURL: String { "\(server.tls == nil ? "http" : "https")://127.0.0.1:\(port)" }

    init(port: Int, server: EmbeddedKube) throws {
        self.port = port
        self.server = server
        var configuration = HTTPClient.Configuration()
        if let tls = server.tls {
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            tlsConfiguration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(tls.caCertificatePEM.utf8)))
            configuration.tlsConfiguration = tlsConfiguration
        }
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(60))
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func makeRequest(
        _ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = nil, accept: String? = nil,
        token: String?? = .none, headers: [(String, String)] = []
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let bearer = token ?? self.token
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let accept { request.headers.add(name: "Accept", value: accept) }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        } else if let contentType {
            request.headers.add(name: "Content-Type", value: contentType)
        }
        return request
    }

    /// Sends a request (as the admin unless `token` says otherwise; `.some(nil)` sends none).
    func send(
        _ method: String, _ path: String, body: [UInt8]? = nil, contentType: String? = nil, accept: String? = "application/json",
        token: String?? = .none, headers: [(String, String)] = []
    ) async throws -> KubeResponse {
        let request = makeRequest(method, path, body: body, contentType: contentType, accept: accept, token: token, headers: headers)
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return KubeResponse(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
    }

    func send(_ method: String, _ path: String, json: JSONValue, contentType: String? = nil) async throws -> KubeResponse {
        try await send(method, path, body: json.serialized(), contentType: contentType)
    }

    func get(_ path: String, accept: String? = "application/json") async throws -> KubeResponse {
        try await send("GET", path, accept: accept)
    }

    func post(_ path: String, _ object: JSONValue) async throws -> KubeResponse {
        try await send("POST", path, json: object)
    }

    /// Opens a watch (or any streaming GET) and returns its lines as they arrive.
    func stream(_ path: String, accept: String = "application/json") async throws -> WatchLines {
        let request = makeRequest("GET", path, accept: accept)
        let response = try await http.execute(request, timeout: .seconds(120))
        let (lines, continuation) = AsyncStream<JSONValue>.makeStream()
        let reader = Task {
            var buffer: [UInt8] = []
            do {
                for try await chunk in response.body {
                    buffer.append(contentsOf: chunk.readableBytesView)
                    while let newline = buffer.firstIndex(of: 0x0A) {
                        let line = Array(buffer[..<newline])
                        buffer.removeSubrange(...newline)
                        if !line.isEmpty { continuation.yield((try? JSONValue(parsing: line)) ?? .string(String(decoding: line, as: UTF8.self))) }
                    }
                }
            } catch {}
            if !buffer.isEmpty { continuation.yield((try? JSONValue(parsing: buffer)) ?? .null) }
            continuation.finish()
        }
        continuation.onTermination = { _ in reader.cancel() }
        return WatchLines(status: Int(response.status.code), headers: response.headers, lines: lines, reader: reader)
    }
}

/// The lines of a streaming response, parsed as JSON.
final class WatchLines: Sendable {
    let status: Int
    let headers: HTTPHeaders
    private let iterator: Mutex<AsyncStream<JSONValue>.AsyncIterator?>
    private let reader: Task<Void, Never>

    init(status: Int, headers: HTTPHeaders, lines: AsyncStream<JSONValue>, reader: Task<Void, Never>) {
        self.status = status
        self.headers = headers
        self.iterator = Mutex(lines.makeAsyncIterator())
        self.reader = reader
    }

    /// The next line; nil at the end of the stream; throws after `timeout`.
    func next(within timeout: Duration = .seconds(20)) async throws -> JSONValue? {
        guard let taken = iterator.withLock({ i -> AsyncStream<JSONValue>.AsyncIterator? in defer { i = nil }; return i }) else {
            return nil
        }
        let box = IteratorBox(taken)
        let value = try await withThrowingTaskGroup(of: JSONValue?.self) { group in
            group.addTask { await box.next() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw HarnessError(description: "no watch line within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
        iterator.withLock { $0 = box.iterator }
        return value
    }

    /// Lines until one satisfies `predicate` (included), or the end of the stream.
    func collect(until predicate: (JSONValue) -> Bool, within timeout: Duration = .seconds(20)) async throws -> [JSONValue] {
        var out: [JSONValue] = []
        let deadline = ContinuousClock.now + timeout
        while let line = try await next(within: max(.milliseconds(1), deadline - ContinuousClock.now)) {
            out.append(line)
            if predicate(line) { break }
        }
        return out
    }

    /// Every line until the server ends the stream.
    func collectToEnd(within timeout: Duration = .seconds(30)) async throws -> [JSONValue] {
        try await collect(until: { _ in false }, within: timeout)
    }

    func close() {
        reader.cancel()
    }

    deinit { reader.cancel() }
}

/// Carries a stream iterator into a child task (only one task uses it at a time).
private final class IteratorBox: @unchecked Sendable {
    var iterator: AsyncStream<JSONValue>.AsyncIterator
    init(_ iterator: AsyncStream<JSONValue>.AsyncIterator) { self.iterator = iterator }
    func next() async -> JSONValue? { await iterator.next() }
}

// MARK: Transcripts

/// One recorded kube-apiserver exchange from `Resources/kube-apiserver/`.
struct Transcript: Sendable {
    var name: String
    var description: String
    var method: String
    var path: String
    var accept: String?
    var contentType: String?
    var requestBody: JSONValue?
    var status: Int
    var responseContentType: String?
    var responseBody: JSONValue

    static func load(_ name: String) throws -> Transcript {
        guard let root = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw HarnessError(description: "no Resources in the test bundle")
        }
        let url = root.appendingPathComponent("kube-apiserver").appendingPathComponent(name + ".json")
        let value = try JSONValue(parsing: [UInt8](try Data(contentsOf: url)))
        let request = value["request"] ?? .null
        let response = value["response"] ?? .null
        return Transcript(
            name: name, description: value["description"]?.stringValue ?? "",
            method: request["method"]?.stringValue ?? "GET", path: request["path"]?.stringValue ?? "/",
            accept: request[path: ["headers", "Accept"]]?.stringValue,
            contentType: request[path: ["headers", "Content-Type"]]?.stringValue,
            requestBody: request["body"].flatMap { $0.isNull ? nil : $0 },
            status: Int(response["status"]?.intValue ?? 0),
            responseContentType: response[path: ["headers", "Content-Type"]]?.stringValue,
            responseBody: response["body"] ?? .null)
    }

    /// The request body as sent: JSON bodies serialized, string bodies (YAML, text) as they are.
    var requestBytes: [UInt8]? {
        guard let requestBody else { return nil }
        if case .string(let text) = requestBody { return Array(text.utf8) }
        return requestBody.serialized()
    }
}

extension KubeHarness {
    /// Sends a transcript's request as recorded (method, path with query, Accept, Content-Type, body).
    func send(_ transcript: Transcript, body: [UInt8]? = nil) async throws -> KubeResponse {
        try await send(
            transcript.method, transcript.path, body: body ?? transcript.requestBytes, contentType: transcript.contentType,
            accept: transcript.accept)
    }

    /// Creates the Widget CRD (and the Gadget CRD) from the recorded requests and waits until they are served.
    func installCRDs(gadgets: Bool = false) async throws {
        var names = ["03-crd-create-widget"]
        if gadgets { names.append("03-crd-create-gadget") }
        for name in names {
            let transcript = try Transcript.load(name)
            let response = try await send(transcript)
            try #require(response.status == 201, "\(name): \(response.text)")
            let crdName = transcript.requestBody?[path: ["metadata", "name"]]?.stringValue ?? ""
            let established = try await eventually {
                let crd = try await get("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/\(crdName)").json
                return condition(crd, "Established") == "True"
            }
            try #require(established, "\(crdName) did not become Established")
        }
        let plural = try await eventually { try await get("/apis/quiver.dev/v1alpha1/namespaces/default/widgets").status == 200 }
        try #require(plural)
    }

    /// Creates a namespace (201, or 409 if it is there).
    func createNamespace(_ name: String) async throws {
        let response = try await post("/api/v1/namespaces", ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
        try #require(response.status == 201 || response.status == 409, "namespace \(name): \(response.text)")
    }
}

/// The status of a condition of an object's `status.conditions`.
func condition(_ object: JSONValue, _ type: String) -> String? {
    object[path: ["status", "conditions"]]?.arrayValue?.first { $0["type"]?.stringValue == type }?["status"]?.stringValue
}

// MARK: Comparing with the recording

/// The parts of a Status a client acts on.
struct StatusSummary: Hashable, CustomStringConvertible {
    struct Cause: Hashable { var reason: String?; var field: String? }
    var status: String?
    var reason: String?
    var code: Int64?
    var message: String?
    var name: String?
    var group: String?
    var kind: String?
    var causes: Set<Cause>

    init(_ value: JSONValue) {
        status = value["status"]?.stringValue
        reason = value["reason"]?.stringValue
        code = value["code"]?.intValue
        message = value["message"]?.stringValue
        let details = value["details"]
        name = details?["name"]?.stringValue
        group = details?["group"]?.stringValue
        kind = details?["kind"]?.stringValue
        causes = Set((details?["causes"]?.arrayValue ?? []).map { Cause(reason: $0["reason"]?.stringValue, field: $0["field"]?.stringValue) })
        message = message.map { Self.normalizedInvalidMessage($0, causes: details?["causes"]?.arrayValue ?? []) }
    }

    /// An Invalid message lists its causes as `[field: message, …]`. EmbeddedKube cannot reproduce
    /// the real server's order of that list (it follows the order of keys in the request body and
    /// schema, which a parsed JSON object does not keep), so the list is compared as a set: the
    /// message must consist of exactly the causes, in some order.
    static func normalizedInvalidMessage(_ message: String, causes: [JSONValue]) -> String {
        guard causes.count > 1, let open = message.range(of: " is invalid: ["), message.hasSuffix("]") else { return message }
        let texts = causes.map { cause -> String in
            let text = cause["message"]?.stringValue ?? ""
            if let field = cause["field"]?.stringValue, !field.isEmpty { return "\(field): \(text)" }
            return text
        }
        let prefix = String(message[..<open.upperBound])
        guard message == prefix + texts.joined(separator: ", ") + "]" else { return message }
        return prefix + texts.sorted().joined(separator: ", ") + "]"
    }

    var description: String {
        "\(status ?? "-") \(code.map(String.init) ?? "-") \(reason ?? "-") \"\(message ?? "")\" details(\(name ?? "-"), \(group ?? "-"), \(kind ?? "-")) causes \(causes.map { "\($0.reason ?? "-")@\($0.field ?? "-")" }.sorted())"
    }
}

/// Compares a response with a recorded one on what a client notices: the status code; for a
/// Status, reason, code, message, details and causes; for an object, kind, name, namespace,
/// generation, spec, status, labels, finalizers, and which server-set fields are present; for a
/// list, its kind, item names and metadata keys. uids, timestamps and resourceVersion numbers differ.
func expectMatches(_ actual: KubeResponse, _ recorded: Transcript, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.status == recorded.status, "\(recorded.name): status \(actual.status): \(actual.text)", sourceLocation: sourceLocation)
    expectSameBody(actual.json, recorded.responseBody, recorded.name, sourceLocation: sourceLocation)
}

func expectSameBody(_ actual: JSONValue, _ expected: JSONValue, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let kind = expected["kind"]?.stringValue ?? ""
    #expect(actual["kind"]?.stringValue == kind, "\(name): kind", sourceLocation: sourceLocation)
    #expect(actual["apiVersion"] == expected["apiVersion"], "\(name): apiVersion", sourceLocation: sourceLocation)
    if kind == "Status" {
        #expect(StatusSummary(actual) == StatusSummary(expected), "\(name): \(StatusSummary(actual)) vs recorded \(StatusSummary(expected))", sourceLocation: sourceLocation)
        return
    }
    if kind.hasSuffix("List") {
        let names = { (v: JSONValue) in (v["items"]?.arrayValue ?? []).map { $0[path: ["metadata", "name"]]?.stringValue ?? "" } }
        #expect(names(actual) == names(expected), "\(name): items", sourceLocation: sourceLocation)
        #expect(actual["metadata"]?.objectValue.map { Set($0.keys) } == expected["metadata"]?.objectValue.map { Set($0.keys) }, "\(name): list metadata keys \(actual["metadata"] ?? .null)", sourceLocation: sourceLocation)
        #expect(actual[path: ["metadata", "resourceVersion"]]?.stringValue.flatMap { Int64($0) } != nil, "\(name): list resourceVersion", sourceLocation: sourceLocation)
        for (a, e) in zip(actual["items"]?.arrayValue ?? [], expected["items"]?.arrayValue ?? []) {
            expectSameObject(a, e, "\(name) item", sourceLocation: sourceLocation)
        }
        return
    }
    expectSameObject(actual, expected, name, sourceLocation: sourceLocation)
}

func expectSameObject(_ actual: JSONValue, _ expected: JSONValue, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for key in ["spec", "status", "data", "type", "stringData"] {
        #expect(actual[key] == expected[key], "\(name): \(key) is \(actual[key] ?? .null), recorded \(expected[key] ?? .null)", sourceLocation: sourceLocation)
    }
    let a = actual["metadata"] ?? .null
    let e = expected["metadata"] ?? .null
    for key in ["name", "namespace", "generation", "labels", "annotations", "finalizers", "deletionGracePeriodSeconds"] {
        #expect(a[key] == e[key], "\(name): metadata.\(key) is \(a[key] ?? .null), recorded \(e[key] ?? .null)", sourceLocation: sourceLocation)
    }
    for key in ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp"] {
        #expect((a[key] != nil) == (e[key] != nil), "\(name): metadata.\(key) present: \(a[key] != nil), recorded \(e[key] != nil)", sourceLocation: sourceLocation)
    }
    let owners = { (m: JSONValue) in (m["ownerReferences"]?.arrayValue ?? []).map { $0["name"]?.stringValue ?? "" } }
    #expect(owners(a) == owners(e), "\(name): ownerReferences", sourceLocation: sourceLocation)
}

/// The resourceVersion of an object as a number.
func resourceVersion(_ object: JSONValue) -> Int64? {
    object[path: ["metadata", "resourceVersion"]]?.stringValue.flatMap { Int64($0) }
}

/// A fresh temporary directory; the caller removes it.
func makeTemporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "embeddedkube-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A Widget as the transcripts write them.
func widget(_ name: String, size: Int64 = 1, color: String = "red", image: String = "alpine", labels: [String: String] = [:], replicas: Int64? = nil) -> JSONValue {
    var object: JSONValue = [
        "apiVersion": "quiver.dev/v1alpha1", "kind": "Widget", "metadata": ["name": .string(name)],
        "spec": ["size": .int(size), "color": .string(color), "image": .string(image)],
    ]
    if !labels.isEmpty { object[path: ["metadata", "labels"]] = .object(labels.mapValues { .string($0) }) }
    if let replicas { object[path: ["spec", "replicas"]] = .int(replicas) }
    return object
}

let widgetsPath = "/apis/quiver.dev/v1alpha1/namespaces/demo/widgets"
let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
