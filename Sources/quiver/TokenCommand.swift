import ArgumentParser
import ControlPlane

/// `quiver token generate`: a new API token and its line for `quiver operator --token-file`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage local-mode API tokens.", subcommands: [Generate.self])

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new token, then its line for the token file.",
            discussion: """
                The first line is the token (give it to the user); the second is what the token file
                stores (only its SHA-256):
                  quiver token generate --user alice --group team-a >> /dev/stdout
                  qv_…
                  sha256:…,alice,team-a
                """)

        @Option(help: "The user the token stands for.")
        var user: String

        @Option(help: "A group of the user (repeat for more).")
        var group: [String] = []

        func validate() throws {
            guard !user.isEmpty, !user.contains(","), !user.contains("\n") else { throw ValidationError("--user must be non-empty, without commas") }
            guard !group.isEmpty else { throw ValidationError("give at least one --group") }
            for g in group where g.isEmpty || g.contains(",") || g.contains(";") || g.contains("\n") {
                throw ValidationError("--group \(g) must be non-empty, without commas or semicolons")
            }
        }

        func run() async throws {
            let (token, entry) = TokenFile.generate(user: user, groups: group)
            print(token)
            print(entry.line)
        }
    }
}
