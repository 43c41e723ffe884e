import ArgumentParser

@main
struct Quiver: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiver",
        abstract: "Quiver control plane."
    )
}
