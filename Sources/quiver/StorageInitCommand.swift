import ArgumentParser

/// `quiver storage-init`: fetch a model into a directory (the init container of rendered workloads).
struct StorageInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "storage-init", abstract: "Fetch a model into a directory.")

    func run() async throws {
        throw ValidationError("quiver storage-init is not implemented yet")
    }
}
