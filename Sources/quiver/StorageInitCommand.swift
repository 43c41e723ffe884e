import ArgumentParser
import Foundation
import Logging
import StorageInit

/// `quiver storage-init`: fetch a model into a directory. Rendered workloads run it as their init
/// container (`quiver storage-init --uri <STORAGE_URI> --dest /mnt/models`).
struct StorageInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage-init",
        abstract: "Fetch a model (s3://, hf://, https://, file://) into a directory.",
        discussion: """
            Credentials and endpoints come from the environment, as the operator sets them:
              AWS_ENDPOINT_URL, AWS_REGION (or AWS_DEFAULT_REGION), AWS_ACCESS_KEY_ID,
              AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; HF_ENDPOINT, HF_TOKEN.
            A file already present with the listed size is kept, so a restarted init container resumes.
            """
    )

    @Option(help: "What to fetch: s3://BUCKET/PREFIX, hf://ORG/NAME[@REVISION], https://…, file:///path.")
    var uri: String

    @Option(help: "Directory to fetch into.")
    var dest: String = "/mnt/models"

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown --log-level \(logLevel)") }
        var logger = Logger(label: "quiver.storage-init")
        logger.logLevel = level
        let env = ProcessInfo.processInfo.environment
        let parsed: StorageURI
        do {
            parsed = try StorageURI(parsing: uri)
        } catch {
            throw ValidationError(error.message)
        }
        let configuration = StorageInitConfiguration(
            s3Endpoint: env["AWS_ENDPOINT_URL_S3"] ?? env["AWS_ENDPOINT_URL"],
            s3Region: env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"] ?? "us-east-1",
            s3AccessKeyID: env["AWS_ACCESS_KEY_ID"], s3SecretAccessKey: env["AWS_SECRET_ACCESS_KEY"],
            s3SessionToken: env["AWS_SESSION_TOKEN"],
            huggingFaceEndpoint: env["HF_ENDPOINT"] ?? "https://huggingface.co",
            huggingFaceToken: env["HF_TOKEN"] ?? env["HUGGING_FACE_HUB_TOKEN"])
        let started = Date()
        do {
            let summary = try await StorageInitializer(configuration: configuration, logger: logger).fetch(parsed, into: dest)
            let seconds = Date().timeIntervalSince(started)
            print("fetched \(summary.files) file(s), \(summary.bytes) bytes, kept \(summary.skipped) already present, from \(parsed) into \(dest) in \(String(format: "%.1f", seconds)) s")
        } catch {
            FileHandle.standardError.write(Data("quiver storage-init: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }
}
