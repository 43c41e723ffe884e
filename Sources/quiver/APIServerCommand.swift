import ArgumentParser
import EmbeddedKube
import Foundation
import Hummingbird
import Logging

/// `quiver apiserver`: EmbeddedKube alone, a Kubernetes-compatible API server persisted in SQLite.
struct APIServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apiserver",
        abstract: "Run EmbeddedKube, a Kubernetes-compatible API server persisted in SQLite.",
        discussion: """
            Listens on 127.0.0.1 and writes an admin kubeconfig to DIR/kubeconfig:
              quiver apiserver --data-dir /tmp/kube --port 6443 &
              kubectl --kubeconfig /tmp/kube/kubeconfig get namespaces
            """
    )

    @Option(name: .customLong("data-dir"), help: "Directory for the SQLite store, the admin token and the kubeconfig.")
    var dataDirectory: String

    @Option(help: "Port to listen on (0 picks a free one; the kubeconfig names it).")
    var port: Int = 6443

    @Option(name: .customLong("token-file"), help: "Kubernetes static token file: token,user,uid[,\"group1,group2\"] per line.")
    var tokenFile: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func run() async throws {
        var tokens: [StaticToken] = []
        if let tokenFile {
            let text = try readFlagFile(tokenFile, flag: "--token-file")
            do {
                tokens = try StaticToken.parseFile(text)
            } catch {
                throw ValidationError("--token-file \(tokenFile): \(error)")
            }
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        var logger = Logger(label: "quiver-apiserver")
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("unknown --log-level \(logLevel)") }
        logger.logLevel = level
        let configuration = EmbeddedKubeConfiguration(dataDirectory: dataDirectory, port: port, tokens: tokens)
        let app = try await buildEmbeddedKube(configuration: configuration, logger: logger) { port, server in
            let scheme = server.tls == nil ? "http" : "https"
            print("EmbeddedKube listening on \(scheme)://127.0.0.1:\(port); kubeconfig: \((dataDirectory as NSString).appendingPathComponent("kubeconfig"))")
            fflush(nil)
        }
        try await app.runService()
    }
}
