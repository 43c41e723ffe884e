import ArgumentParser

@main
struct Quiver: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiver",
        abstract: "Quiver control plane: Kubernetes-native serving of embedding models.",
        subcommands: [OperatorCommand.self, APIServerCommand.self, RenderCommand.self, StorageInitCommand.self, TokenCommand.self]
    )
}
