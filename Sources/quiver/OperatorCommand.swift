import ArgumentParser

/// `quiver operator`: the reconcilers against a cluster (kubeconfig or in-cluster).
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "operator", abstract: "Run the Quiver operator.")

    func run() async throws {
        throw ValidationError("quiver operator is not implemented yet")
    }
}
