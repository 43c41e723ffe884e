import EmbeddingCore
import EmbeddingServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@Suite(.serialized) struct EmbeddingServerTests {
    // MARK: vectors against sentence-transformers

    @Test func allReferenceCasesMatchSentenceTransformersOverHTTP() async throws {
        // sentence-transformers truncates to max_seq_length silently; ask for the same.
        try await withServer(testConfiguration { $0.autoTruncate = true }) { client in
            for reference in Reference.cases {
                let response = try await client.post("/v1/embeddings", json: ["input": reference.text, "model": "all-MiniLM-L6-v2"])
                #expect(response.status == .ok, "case \(reference.id): \(response.text)")
                let vector = try #require(response.embeddings.first)
                #expect(vector.count == 384)
                let similarity = cosine(vector, reference.embedding)
                #expect(similarity >= 0.99999, "case \(reference.id) \"\(reference.text.prefix(40))\": cosine \(similarity)")
                let usage = response.object["usage"] as? [String: Any]
                #expect(usage?["prompt_tokens"] as? Int == reference.n_tokens, "case \(reference.id)")
            }
        }
    }

    @Test func batchedAndSingleRequestsAgree() async throws {
        var configuration = testConfiguration { $0.maxClientBatchSize = 64 }
        configuration.maxBatchTokens = 16384
        try await withServer(configuration) { client in
            let texts = Reference.cases.map(\.text)
            let batch = try await client.post("/embed", json: ["inputs": texts, "truncate": true])
            #expect(batch.status == .ok, "\(batch.text)")
            let batched = batch.vectors
            try #require(batched.count == texts.count)
            // The embedding routes watch for hang-ups without ending keep-alive connections.
            #expect(batch.headers[.connection] == nil)
            for (i, text) in texts.enumerated() {
                let single = try await client.post("/embed", json: ["inputs": text, "truncate": true]).vectors
                let similarity = cosine(try #require(single.first), batched[i])
                #expect(similarity >= 0.999999, "input \(i): cosine \(similarity)")
                #expect(cosine(batched[i], Reference.cases[i].embedding) >= 0.99999, "input \(i) vs reference")
            }
        }
    }

    @Test func tokenIdInputsGiveTheSameVectorsAsText() async throws {
        try await withServer { client in
            let cases = Array(Reference.cases.prefix(5))
            let response = try await client.post("/v1/embeddings", json: ["input": cases.map { $0.ids.map(Int.init) }])
            #expect(response.status == .ok, "\(response.text)")
            for (i, vector) in response.embeddings.enumerated() {
                #expect(cosine(vector, cases[i].embedding) >= 0.99999)
            }
            let single = try await client.post("/v1/embeddings", json: ["input": cases[0].ids.map(Int.init)])
            #expect(cosine(try #require(single.embeddings.first), cases[0].embedding) >= 0.99999)
        }
    }

    @Test func base64EncodingCarriesLittleEndianFloat32() async throws {
        try await withServer { client in
            let text = Reference.cases[1].text
            let floats = try await client.post("/v1/embeddings", json: ["input": text]).embeddings[0]
            let response = try await client.post("/v1/embeddings", json: ["input": text, "encoding_format": "base64"])
            #expect(response.status == .ok)
            let data = response.object["data"] as? [[String: Any]]
            let encoded = try #require(data?.first?["embedding"] as? String)
            let bytes = try #require(Data(base64Encoded: encoded))
            #expect(bytes.count == 384 * 4)
            let decoded = (0..<384).map { i -> Float in
                let bits = UInt32(bytes[4 * i]) | UInt32(bytes[4 * i + 1]) << 8 | UInt32(bytes[4 * i + 2]) << 16 | UInt32(bytes[4 * i + 3]) << 24
                return Float(bitPattern: bits)
            }
            #expect(decoded == floats)
        }
    }

    @Test func matryoshkaDimensionsTruncateThenRenormalize() async throws {
        try await withServer { client in
            let text = Reference.cases[2].text
            let full = try await client.post("/v1/embeddings", json: ["input": text]).embeddings[0]
            let short = try await client.post("/v1/embeddings", json: ["input": text, "dimensions": 64]).embeddings[0]
            #expect(short.count == 64)
            #expect(abs(norm(short) - 1) < 1e-5)
            #expect(cosine(short, Array(full.prefix(64))) > 0.999999)
            let tei = try await client.post("/embed", json: ["inputs": text, "dimensions": 64]).vectors[0]
            #expect(tei.count == 64)
        }
    }

    @Test func teiEmbedHonoursNormalizeAndTruncate() async throws {
        try await withServer { client in
            let text = Reference.cases[0].text
            let raw = try await client.post("/embed", json: ["inputs": text, "normalize": false]).vectors[0]
            #expect(abs(norm(raw) - 1) > 1e-3)
            #expect(cosine(raw, Reference.cases[0].embedding) >= 0.99999)

            let long = String(repeating: "word ", count: 400)
            let refused = try await client.post("/embed", json: ["inputs": long])
            #expect(refused.status == .contentTooLarge)
            #expect(refused.object["error_type"] as? String == "Validation")
            #expect((refused.object["error"] as? String)?.contains("must have less than 256 tokens") == true)

            let truncated = try await client.post("/embed", json: ["inputs": long, "truncate": true])
            #expect(truncated.status == .ok)
            #expect(truncated.headers[HTTPField.Name("x-compute-tokens")!] == "256")
            if let truncatedCase = Reference.cases.first(where: \.truncated) {
                let response = try await client.post("/embed", json: ["inputs": truncatedCase.text, "truncate": true])
                #expect(cosine(response.vectors[0], truncatedCase.embedding) >= 0.99999)
            }
        }
    }

    // MARK: error paths, by status and shape

    @Test func openAIErrorsHaveOpenAIShapeAndStatus() async throws {
        try await withServer(testConfiguration { $0.maxClientBatchSize = 4 }) { client in
            func check(_ body: Any, _ status: HTTPResponse.Status, code: String? = nil, contains: String, file: String = #fileID, line: Int = #line) async throws {
                let response = try await client.post("/v1/embeddings", json: body)
                let location = SourceLocation(fileID: file, filePath: #filePath, line: line, column: 1)
                #expect(response.status == status, "\(response.text)", sourceLocation: location)
                let error = response.openAIError
                #expect(error != nil, "not OpenAI's shape: \(response.text)", sourceLocation: location)
                #expect((error?["message"] as? String)?.contains(contains) == true, "\(response.text)", sourceLocation: location)
                #expect(error?["type"] is String, sourceLocation: location)
                if let code { #expect(error?["code"] as? String == code, sourceLocation: location) }
            }
            try await check(["input": "hi", "model": "text-embedding-3-small"], .notFound, code: "model_not_found", contains: "text-embedding-3-small")
            try await check(["input": [String]()], .badRequest, contains: "empty")
            try await check(["input": ["a", "b", "c", "d", "e"]], .unprocessableContent, contains: "batch size 5 > maximum allowed batch size 4")
            try await check(["input": "hi", "encoding_format": "int8"], .unprocessableContent, contains: "encoding_format")
            try await check(["input": "hi", "dimensions": 0], .unprocessableContent, contains: "`dimensions` should")
            try await check(["input": "hi", "dimensions": 385], .unprocessableContent, contains: "`dimensions` should")
            try await check(["model": "all-MiniLM-L6-v2"], .unprocessableContent, contains: "missing field `input`")
            try await check(["input": 42], .unprocessableContent, contains: "input")
            try await check("{not json", .unprocessableContent, contains: "JSON")
            try await check(["input": [999_999]], .unprocessableContent, contains: "outside the vocabulary")
            try await check(["input": String(repeating: "word ", count: 300)], .contentTooLarge, contains: "256 tokens")
        }
    }

    @Test func teiErrorsHaveTEIShapeAndStatus() async throws {
        try await withServer(testConfiguration { $0.maxClientBatchSize = 4 }) { client in
            func check(_ path: String, _ body: Any, _ status: HTTPResponse.Status, type: String, contains: String, line: Int = #line) async throws {
                let response = try await client.post(path, json: body)
                let location = SourceLocation(fileID: #fileID, filePath: #filePath, line: line, column: 1)
                #expect(response.status == status, "\(response.text)", sourceLocation: location)
                #expect(response.object["error_type"] as? String == type, "\(response.text)", sourceLocation: location)
                #expect((response.object["error"] as? String)?.contains(contains) == true, "\(response.text)", sourceLocation: location)
            }
            try await check("/embed", ["inputs": [String]()], .badRequest, type: "Empty", contains: "empty")
            try await check("/embed", ["inputs": ["a", "b", "c", "d", "e"]], .unprocessableContent, type: "Validation", contains: "batch size 5")
            try await check("/embed", ["inputs": "x", "prompt_name": "query"], .unprocessableContent, type: "Validation", contains: "prompt name `query`")
            try await check("/embed", ["inputs": "x", "truncation_direction": "Up"], .unprocessableContent, type: "Validation", contains: "truncation_direction")
            try await check("/embed_sparse", ["inputs": "x"], HTTPResponse.Status(code: 424), type: "Backend", contains: "splade")
            try await check("/decode", ["ids": [Int]()], .badRequest, type: "Empty", contains: "empty")
            try await check("/decode", ["ids": [50_000]], .unprocessableContent, type: "Tokenizer", contains: "outside the vocabulary")
            try await check("/tokenize", ["nope": 1], .unprocessableContent, type: "Validation", contains: "missing field `inputs`")
        }
    }
}
