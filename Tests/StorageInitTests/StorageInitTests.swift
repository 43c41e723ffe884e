import Foundation
import StorageInit
import Testing

@Suite struct StorageURITests {
    @Test func parsesTheSupportedSchemes() throws {
        #expect(try StorageURI(parsing: "s3://on-boarded-bucket/our-awesome-model/v1") == .s3(bucket: "on-boarded-bucket", prefix: "our-awesome-model/v1"))
        #expect(try StorageURI(parsing: "s3://bucket") == .s3(bucket: "bucket", prefix: ""))
        #expect(try StorageURI(parsing: "hf://sentence-transformers/all-MiniLM-L6-v2") == .huggingFace(repository: "sentence-transformers/all-MiniLM-L6-v2", revision: "main"))
        #expect(try StorageURI(parsing: "hf://BAAI/bge-small-en-v1.5@v2") == .huggingFace(repository: "BAAI/bge-small-en-v1.5", revision: "v2"))
        #expect(try StorageURI(parsing: "file:///models/minilm") == .file(path: "/models/minilm"))
        if case .http(let url) = try StorageURI(parsing: "https://example.com/m/model.onnx") {
            #expect(url.lastPathComponent == "model.onnx")
        } else {
            Issue.record("https:// should parse as .http")
        }
    }

    @Test(arguments: [
        ("ftp://host/x", "scheme \"ftp\" is not supported"),
        ("s3:///prefix", "no bucket"),
        ("hf://just-a-name", "expected hf://ORGANIZATION/NAME[@REVISION]"),
        ("pvc://claim/models", "mounted into the pod by the operator"),
        ("ai://secret/path", "resolved through their object-store secret"),
        ("file://relative/path", "needs an absolute path"),
        ("no-scheme", "is not a URI"),
    ])
    func refusesWithAClearMessage(_ text: String, _ expected: String) {
        do {
            _ = try StorageURI(parsing: text)
            Issue.record("\(text) should be refused")
        } catch {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }
}

@Suite struct SigV4Tests {
    /// The same request signed by botocore's S3SigV4Auth (the AWS SDK's reference signer).
    @Test func matchesBotocore() {
        let signer = SigV4Signer(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1")
        let headers = signer.headers(host: "127.0.0.1:9000", path: "/models/minilm/config.json", query: [("x-id", "GetObject")], amzDate: "20261124T155357Z")
        let authorization = headers.first { $0.0 == "Authorization" }?.1
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261124/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=035060e97c17f5723775b31962a8ec64fc133ed24443de97943f71c681982fe4")
        #expect(headers.contains { $0 == ("x-amz-date", "20261124T155357Z") })
        #expect(headers.contains { $0 == ("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") })
    }
}

@Suite struct LocalFetchTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "quiver-storage-init-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func copiesADirectoryTree() async throws {
        let source = try Self.temporaryDirectory()
        let destination = try Self.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: source)
            try? FileManager.default.removeItem(atPath: destination)
        }
        try FileManager.default.createDirectory(atPath: source + "/1_Pooling", withIntermediateDirectories: true)
        try Data("{\"hidden_size\":384}".utf8).write(to: URL(fileURLWithPath: source + "/config.json"))
        try Data("{\"pooling_mode_mean_tokens\":true}".utf8).write(to: URL(fileURLWithPath: source + "/1_Pooling/config.json"))
        let summary = try await StorageInitializer(configuration: .init()).fetch(.file(path: source), into: destination + "/models")
        #expect(summary.files == 2)
        #expect(try String(contentsOfFile: destination + "/models/1_Pooling/config.json", encoding: .utf8) == "{\"pooling_mode_mean_tokens\":true}")
    }

    @Test func aMissingPathIsNotFound() async throws {
        let destination = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: destination) }
        do {
            _ = try await StorageInitializer(configuration: .init()).fetch(.file(path: "/nonexistent/quiver-model"), into: destination)
            Issue.record("a missing path should fail")
        } catch {
            #expect(error.isNotFound)
            #expect(error.message == "file:///nonexistent/quiver-model does not exist")
        }
    }
}
