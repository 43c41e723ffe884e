import EmbeddingCore
import EmbeddingServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite(.serialized) struct ServerBehaviourTests {
    @Test(arguments: [true, false])
    func apiKeyIsRequiredExceptOnHealthChecks(fastPath: Bool) async throws {
        try await withServer(testConfiguration { $0.apiKey = "s3cret"; $0.fastPath = fastPath }) { client in
            let missing = try await client.post("/v1/embeddings", json: ["input": "hi"])
            #expect(missing.status == .unauthorized)
            #expect(missing.openAIError?["code"] as? String == "invalid_api_key")
            let wrong = try await client.post("/embed", json: ["inputs": "hi"], headers: [.authorization: "Bearer nope"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.object["error_type"] as? String == "Unauthorized")
            let right = try await client.post("/v1/embeddings", json: ["input": "hi"], headers: [.authorization: "Bearer s3cret"])
            #expect(right.status == .ok)
            #expect(try await client.get("/health").status == .ok)
            #expect(try await client.get("/v2/health/ready").status == .ok)
            #expect(try await client.get("/metrics").status == .ok)
            #expect(try await client.get("/info").status == .unauthorized)
        }
    }

    @Test(arguments: [true, false])
    func payloadLimitAnswers413(fastPath: Bool) async throws {
        try await withServer(testConfiguration { $0.payloadLimit = 100; $0.fastPath = fastPath }) { client in
            let big = try await client.post("/v1/embeddings", json: ["input": String(repeating: "a", count: 200)])
            #expect(big.status == .contentTooLarge)
            #expect((big.openAIError?["message"] as? String)?.contains("--payload-limit") == true)
            let teiBig = try await client.post("/embed", json: ["inputs": String(repeating: "a", count: 200)])
            #expect(teiBig.status == .contentTooLarge)
            #expect(teiBig.object["error_type"] as? String == "Validation")
            #expect(try await client.post("/embed", json: ["inputs": "small"]).status == .ok)
        }
    }

    @Test func admissionRefusesMoreInputsThanTheLimitWith429() async throws {
        try await withServer(testConfiguration { $0.maxConcurrentRequests = 2 }) { client in
            let response = try await client.post("/v1/embeddings", json: ["input": ["a", "b", "c"]])
            #expect(response.status == .tooManyRequests)
            #expect((response.openAIError?["message"] as? String)?.contains("overloaded") == true)
            let tei = try await client.post("/embed", json: ["inputs": ["a", "b", "c"]])
            #expect(tei.status == .tooManyRequests)
            #expect(tei.object["error_type"] as? String == "Overloaded")
            #expect(try await client.post("/embed", json: ["inputs": ["a", "b"]]).status == .ok)
        }
    }

    @Test func healthIs503UntilTheModelIsLoaded() async throws {
        let gate = Gate()
        let factory = onnxFactory()
        try await withServer(backendFactory: { directory in
            gate.wait()
            return try factory(directory)
        }, waitForHealth: false) { client in
            defer { gate.open() }
            let early = try await client.get("/health")
            #expect(early.status == .serviceUnavailable)
            #expect(early.object["error_type"] as? String == "Unhealthy")
            let embed = try await client.post("/v1/embeddings", json: ["input": "hi"])
            #expect(embed.status == .serviceUnavailable)
            #expect(try await client.get("/v2/models/all-MiniLM-L6-v2/ready").status == .serviceUnavailable)
            gate.open()
            let deadline = ContinuousClock.now + .seconds(60)
            while try await client.get("/health").status != .ok {
                #expect(ContinuousClock.now < deadline)
                if ContinuousClock.now > deadline { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            let ready = try await client.get("/v2/models/all-MiniLM-L6-v2/ready")
            #expect(ready.status == .ok)
            #expect(try await client.get("/v2/models/nope/ready").status == .notFound)
        }
    }

    @Test func backendFailureAnswers424() async throws {
        let fake = FakeBackend(width: 384)
        fake.failure = "device lost"
        try await withServer(backendFactory: { _ in fake }) { client in
            let response = try await client.post("/embed", json: ["inputs": "hello"])
            #expect(response.status.code == 424)
            #expect(response.object["error_type"] as? String == "Backend")
            #expect((response.object["error"] as? String)?.contains("device lost") == true)
            let openAI = try await client.post("/v1/embeddings", json: ["input": "hello"])
            #expect(openAI.status.code == 424)
            #expect(openAI.openAIError?["type"] as? String == "server_error")
            fake.unhealthy = "gone"
            #expect(try await client.get("/health").status == .serviceUnavailable)
        }
    }

    @Test func severalModelsAreServedUnderTheirNames() async throws {
        let configuration = testConfiguration {
            $0.models = [
                .init(directory: Paths.modelDirectory.path, servedName: "minilm"),
                .init(directory: Paths.modelDirectory.path, servedName: "minilm-cls", pooling: .cls),
            ]
        }
        try await withServer(configuration) { client in
            let models = try await client.get("/v1/models")
            let ids = (models.object["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(ids == ["minilm", "minilm-cls"])
            let text = Reference.cases[0].text
            let mean = try await client.post("/v1/embeddings", json: ["input": text, "model": "minilm"])
            #expect(mean.object["model"] as? String == "minilm")
            #expect(cosine(mean.embeddings[0], Reference.cases[0].embedding) >= 0.99999)
            let cls = try await client.post("/v1/embeddings", json: ["input": text, "model": "minilm-cls"])
            #expect(cls.object["model"] as? String == "minilm-cls")
            #expect(cosine(cls.embeddings[0], Reference.cases[0].embedding) < 0.999)
            #expect(try await client.post("/v1/embeddings", json: ["input": text, "model": "other"]).status == .notFound)
        }
    }

    @Test func infoModelsMetricsAndHeaders() async throws {
        try await withServer { client in
            let info = try await client.get("/info")
            #expect(info.object["served_model_name"] as? String == "all-MiniLM-L6-v2")
            #expect((info.object["model_id"] as? String)?.hasSuffix("/all-MiniLM-L6-v2") == true)
            #expect(info.object["max_input_length"] as? Int == 256)
            #expect(info.object["max_batch_tokens"] as? Int == 16384)
            #expect(info.object["max_client_batch_size"] as? Int == 32)
            #expect(((info.object["model_type"] as? [String: Any])?["embedding"] as? [String: Any])?["pooling"] as? String == "mean")

            let response = try await client.post("/embed", json: ["inputs": ["Hello world", "another one"]])
            #expect(response.headers[HTTPField.Name("x-compute-tokens")!] == "8")
            #expect(response.headers[HTTPField.Name("x-compute-type")!] == "cpu")
            for name in ["x-compute-time", "x-total-time", "x-tokenization-time", "x-queue-time", "x-inference-time"] {
                #expect(response.headers[HTTPField.Name(name)!] != nil, "missing \(name)")
            }
            _ = try await client.post("/embed", json: ["inputs": [String]()])

            let metrics = try await client.get("/metrics")
            #expect(metrics.status == .ok)
            for name in ["te_request_count", "te_request_success", "te_request_failure", "te_request_duration_bucket",
                         "te_request_inference_duration", "te_request_input_length", "te_batch_next_size", "te_queue_size"] {
                #expect(metrics.text.contains(name), "missing \(name)")
            }
            #expect(metrics.text.contains("te_request_failure{err=\"validation\"} 1"))
        }
    }

    @Test func tokenizeAndDecodeFollowTEI() async throws {
        try await withServer { client in
            let tokens = try await client.post("/tokenize", json: ["inputs": "Héllo world"])
            #expect(tokens.status == .ok)
            let list = try #require((tokens.json as? [[[String: Any]]])?.first)
            #expect(list.map { $0["id"] as? Int } == [101, 7592, 2088, 102])
            #expect(list.map { $0["special"] as? Bool } == [true, false, false, true])
            #expect(list[1]["text"] as? String == "Héllo")
            #expect(list[1]["start"] as? Int == 0)
            #expect(list[1]["stop"] as? Int == 6)
            #expect(list[0]["start"] is NSNull)

            let plain = try await client.post("/tokenize", json: ["inputs": ["a b"], "add_special_tokens": false])
            #expect((plain.json as? [[[String: Any]]])?.first?.count == 2)

            let decoded = try await client.post("/decode", json: ["ids": [101, 7592, 2088, 102]])
            #expect(decoded.json as? [String] == ["hello world"])
            let keep = try await client.post("/decode", json: ["ids": [[101, 7592, 102]], "skip_special_tokens": false])
            #expect(keep.json as? [String] == ["[CLS] hello [SEP]"])
        }
    }
}

/// A one-shot latch a blocking thread can wait on.
final class Gate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false
    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }
    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}

/// A copy of the MiniLM directory (files linked, not copied) whose
/// config_sentence_transformers.json declares prompts.
func modelDirectoryWithPrompts(defaultPromptName: String? = nil) throws -> URL {
    let fm = FileManager.default
    let directory = fm.temporaryDirectory.appendingPathComponent("quiver-prompts-\(UUID().uuidString)")
    try fm.createDirectory(at: directory, withIntermediateDirectories: true)
    for name in try fm.contentsOfDirectory(atPath: Paths.modelDirectory.path) where name != "config_sentence_transformers.json" {
        try fm.createSymbolicLink(at: directory.appendingPathComponent(name), withDestinationURL: Paths.modelDirectory.appendingPathComponent(name))
    }
    var config: [String: Any] = ["prompts": ["query": "query: ", "passage": "passage: "]]
    if let defaultPromptName { config["default_prompt_name"] = defaultPromptName }
    try JSONSerialization.data(withJSONObject: config).write(to: directory.appendingPathComponent("config_sentence_transformers.json"))
    return directory
}

@Suite(.serialized) struct PromptTests {
    @Test func promptNameIsPrependedBeforeTokenization() async throws {
        let directory = try modelDirectoryWithPrompts()
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = testConfiguration { $0.models = [.init(directory: directory.path, servedName: "minilm")] }
        try await withServer(configuration) { client in
            let withPrompt = try await client.post("/embed", json: ["inputs": "how do tides work", "prompt_name": "query"])
            #expect(withPrompt.status == .ok, "\(withPrompt.text)")
            let literal = try await client.post("/embed", json: ["inputs": "query: how do tides work"])
            #expect(cosine(try #require(withPrompt.vectors.first), try #require(literal.vectors.first)) > 0.999999)
            #expect(withPrompt.headers[HTTPField.Name("x-compute-tokens")!] == literal.headers[HTTPField.Name("x-compute-tokens")!])
            let tokens = try await client.post("/tokenize", json: ["inputs": "tides", "prompt_name": "passage"])
            let list = try #require((tokens.json as? [[[String: Any]]])?.first)
            #expect(list.compactMap { $0["text"] as? String } == ["[CLS]", "passage", ":", "tides", "[SEP]"])
            let unknown = try await client.post("/embed", json: ["inputs": "x", "prompt_name": "nope"])
            #expect(unknown.status == .unprocessableContent)
            #expect((unknown.object["error"] as? String)?.contains("passage, query") == true)
        }
    }

    @Test func defaultPromptNameAppliesToOpenAIRequests() async throws {
        let directory = try modelDirectoryWithPrompts(defaultPromptName: "query")
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = testConfiguration { $0.models = [.init(directory: directory.path, servedName: "minilm")] }
        try await withServer(configuration) { client in
            let openAI = try await client.post("/v1/embeddings", json: ["input": "how do tides work"])
            let defaulted = try await client.post("/embed", json: ["inputs": "how do tides work"])
            let passage = try await client.post("/embed", json: ["inputs": "how do tides work", "prompt_name": "passage"])
            // [CLS] query : how do tides work [SEP]
            #expect((openAI.object["usage"] as? [String: Any])?["prompt_tokens"] as? Int == 8)
            #expect(cosine(try #require(openAI.embeddings.first), try #require(defaulted.vectors.first)) > 0.999999)
            #expect(cosine(try #require(passage.vectors.first), try #require(defaulted.vectors.first)) < 0.9999)
        }
        // The flag overrides the model's default.
        let flagged = testConfiguration {
            $0.models = [.init(directory: directory.path, servedName: "minilm")]
            $0.defaultPromptName = "passage"
        }
        try await withServer(flagged) { client in
            let tokens = try await client.post("/tokenize", json: ["inputs": "tides"])
            let list = try #require((tokens.json as? [[[String: Any]]])?.first)
            #expect(list.compactMap { $0["text"] as? String } == ["[CLS]", "passage", ":", "tides", "[SEP]"])
        }
    }
}

/// A minimal HTTP/1.1 exchange over a plain loopback socket, for what the test client cannot do
/// (two requests at once, hanging up mid-request). Reads until the server closes when `read` is set.
func rawHTTP(port: Int, _ request: String, read: Bool) throws -> String {
    let fd = try connectLoopback(port: port)
    defer { close(fd) }
    try sendAll(fd, request)
    guard read else { return "" }
    var response = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        response += buffer[0..<n]
        if let text = String(bytes: response, encoding: .utf8), text.contains("\r\n\r\n"),
           let length = text.components(separatedBy: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") })
            .flatMap({ Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }),
           let headerEnd = text.range(of: "\r\n\r\n"), text.utf8.distance(from: headerEnd.upperBound, to: text.endIndex) >= length {
            break
        }
    }
    return String(decoding: response, as: UTF8.self)
}

/// A blocking TCP socket connected to 127.0.0.1:`port`, with a 30 s receive timeout.
func connectLoopback(port: Int) throws -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        throw POSIXError(.ECONNREFUSED)
    }
    var timeout = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    return fd
}

/// Sends all of `text` on `fd`.
func sendAll(_ fd: Int32, _ text: String) throws {
    let bytes = Array(text.utf8)
    var sent = 0
    while sent < bytes.count {
        let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw POSIXError(.EPIPE) }
        sent += n
    }
}

/// `rawHTTP` on its own thread: blocking socket calls must not hold the cooperative pool that
/// the server's handlers need.
func rawHTTPOffPool(port: Int, _ request: String, read: Bool) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try rawHTTP(port: port, request, read: read) }) }.start()
    }
}

func rawPOST(_ path: String, json: String) -> String {
    "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n\r\n\(json)"
}

@Suite(.serialized) struct DisconnectTests {
    @Test(arguments: [true, false])
    func inputsOfAClientThatHangsUpAreDroppedBeforeTheyRun(fastPath: Bool) async throws {
        let fake = FakeBackend(width: 384)
        // One input per batch: the first request holds the inference thread, the second the
        // prepared slot, so the hung-up request's inputs wait in the queue.
        try await withServer(testConfiguration { $0.maxBatchRequests = 1; $0.fastPath = fastPath }, backendFactory: { _ in fake }) { client in
            let port = try #require(client.port)
            fake.pause()
            defer { fake.resume() }
            let first = Task { try await rawHTTPOffPool(port: port, rawPOST("/embed", json: #"{"inputs": "first"}"#), read: true) }
            let deadline = ContinuousClock.now + .seconds(30)
            while fake.batches.count < 1 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            let second = Task { try await rawHTTPOffPool(port: port, rawPOST("/embed", json: #"{"inputs": "second"}"#), read: true) }
            try await Task.sleep(for: .milliseconds(300)) // tokenized and padded into the prepared slot
            // 8 inputs whose body is over the size from which a hang-up cancels the work; the
            // marker word "zebra" (id 29145) shows whether any of them ran.
            let inputs = (0..<8).map { "zebra \($0) " + String(repeating: "filler ", count: 40) }
            let body = String(decoding: try JSONSerialization.data(withJSONObject: ["inputs": inputs]), as: UTF8.self)
            #expect(body.utf8.count >= 2048)
            _ = try await rawHTTPOffPool(port: port, rawPOST("/embed", json: body), read: false) // sends, then closes
            var dropped = false
            while !dropped && ContinuousClock.now < deadline {
                let metrics = try await rawHTTPOffPool(port: port, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", read: true)
                dropped = metrics.contains("te_request_failure{err=\"dropped\"} 1")
                if !dropped { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(dropped, "the hung-up request was not dropped")
            fake.resume()
            #expect(try await first.value.hasPrefix("HTTP/1.1 200"))
            #expect(try await second.value.hasPrefix("HTTP/1.1 200"))
            // Let anything still queued run, then check the marker never reached the model.
            try await Task.sleep(for: .milliseconds(200))
            #expect(!fake.batches.contains { $0.inputIds.contains(29145) })
            #expect(fake.batches.count == 2, "batches: \(fake.batches.map(\.size))")
        }
    }
}
