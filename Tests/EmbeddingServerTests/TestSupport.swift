import EmbeddingCore
import EmbeddingServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ONNXBackend
import Testing

/// Paths of what `make setup` puts under `.cache/`.
enum Paths {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let modelDirectory = repositoryRoot.appendingPathComponent(".cache/models/all-MiniLM-L6-v2")
    static let onnxRuntime = repositoryRoot.appendingPathComponent(".cache/onnxruntime/lib/libonnxruntime.so.1.31.1")

    static func requireSetup() throws {
        for url in [modelDirectory.appendingPathComponent("model.onnx"), onnxRuntime] {
            if !FileManager.default.fileExists(atPath: url.path) {
                throw SetupMissing(path: url.path)
            }
        }
    }

    struct SetupMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) is missing: run `make setup` first" }
    }
}

/// The reference fixture: ids and sentence-transformers embeddings of MiniLM.
struct ReferenceCase: Decodable {
    var id: Int
    var text: String
    var ids: [Int32]
    var embedding: [Float]
    var truncated: Bool
    var n_tokens: Int
}

enum Reference {
    static let cases: [ReferenceCase] = {
        struct File: Decodable { var cases: [ReferenceCase] }
        let url = Bundle.module.url(forResource: "Resources", withExtension: nil)!.appendingPathComponent("minilm-reference.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }()
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "length \(a.count) != \(b.count)")
    var dot = 0.0, na = 0.0, nb = 0.0
    for i in a.indices {
        dot += Double(a[i]) * Double(b[i])
        na += Double(a[i]) * Double(a[i])
        nb += Double(b[i]) * Double(b[i])
    }
    return dot / (na.squareRoot() * nb.squareRoot())
}

func norm(_ a: [Float]) -> Double {
    a.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
}

/// A backend factory over the real ONNX Runtime and the real model file.
func onnxFactory(intraOpThreads: Int = 0) -> BackendFactory {
    { directory in
        try ONNXBackend(configuration: .init(
            libraryPath: Paths.onnxRuntime.path, modelPath: directory.onnxURL.path, intraOpThreads: intraOpThreads))
    }
}

func testConfiguration(_ change: (inout EmbeddingServerConfiguration) -> Void = { _ in }) -> EmbeddingServerConfiguration {
    var configuration = EmbeddingServerConfiguration(models: [.init(directory: Paths.modelDirectory.path)])
    configuration.hostname = "127.0.0.1"
    configuration.port = 0
    configuration.tokenizationWorkers = 2
    change(&configuration)
    return configuration
}

/// Starts a real server on a free loopback port, waits (bounded) for /health, runs `body`, and
/// stops the server whatever happens.
func withServer<T: Sendable>(
    _ configuration: EmbeddingServerConfiguration = testConfiguration(),
    backendFactory: @escaping BackendFactory = onnxFactory(),
    waitForHealth: Bool = true,
    _ body: @Sendable (TestClientProtocol) async throws -> T
) async throws -> T {
    try Paths.requireSetup()
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let app = try buildEmbeddingServer(configuration: configuration, backendFactory: backendFactory, logger: logger)
    // AsyncHTTPClient: several requests at once, and new connections after `Connection: close`.
    return try await app.test(.ahc(.http)) { client in
        if waitForHealth {
            let deadline = ContinuousClock.now + .seconds(60)
            while true {
                let response = try await client.execute(uri: "/health", method: .get)
                if response.status == .ok { break }
                if ContinuousClock.now > deadline { throw HealthTimeout() }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        return try await body(client)
    }
}

struct HealthTimeout: Error {}

extension TestClientProtocol {
    /// POSTs a JSON body (given as a string or an object) and returns status, headers and parsed JSON.
    func post(_ path: String, json: Any, headers: HTTPFields = [:]) async throws -> JSONResponse {
        let data: Data
        if let text = json as? String {
            data = Data(text.utf8)
        } else {
            data = try JSONSerialization.data(withJSONObject: json)
        }
        var fields = headers
        fields[.contentType] = "application/json"
        let response = try await execute(uri: path, method: .post, headers: fields, body: ByteBuffer(bytes: data))
        return JSONResponse(response)
    }

    func get(_ path: String, headers: HTTPFields = [:]) async throws -> JSONResponse {
        JSONResponse(try await execute(uri: path, method: .get, headers: headers))
    }
}

struct JSONResponse: @unchecked Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Data
    var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    var text: String { String(decoding: body, as: UTF8.self) }

    init(_ response: TestResponse) {
        status = response.status
        headers = response.headers
        body = Data(response.body.readableBytesView)
    }

    var object: [String: Any] { json as? [String: Any] ?? [:] }

    /// `{"error": {"message", "type", "param", "code"}}`
    var openAIError: [String: Any]? { object["error"] as? [String: Any] }

    /// OpenAI `data[i].embedding` as floats.
    var embeddings: [[Float]] {
        (object["data"] as? [[String: Any]] ?? []).map { item in
            (item["embedding"] as? [NSNumber] ?? []).map(\.floatValue)
        }
    }

    /// TEI `/embed`: `[[Float]]`.
    var vectors: [[Float]] {
        (json as? [[NSNumber]] ?? []).map { $0.map(\.floatValue) }
    }
}
