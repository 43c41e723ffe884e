import EmbeddingCore
import EmbeddingServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite(.serialized) struct ServerBehaviourTests {
    @Test func apiKeyIsRequiredExceptOnHealthChecks() async throws {
        try await withServer(testConfiguration { $0.apiKey = "s3cret" }) { client in
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

    @Test func payloadLimitAnswers413() async throws {
        try await withServer(testConfiguration { $0.payloadLimit = 100 }) { client in
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
