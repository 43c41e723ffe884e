import Crypto
import Foundation

/// Local mode's token file: one line per token, `sha256:<hex>,<user>,<group>[;<group>…]`. Only
/// hashes are stored, so the file discloses no token. `#` comments and blank lines are skipped.
public struct TokenFile: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        /// Lower-case hex SHA-256 of the token.
        public var sha256: String
        public var user: String
        public var groups: [String]

        public init(sha256: String, user: String, groups: [String]) {
            self.sha256 = sha256
            self.user = user
            self.groups = groups
        }

        /// The line for the token file.
        public var line: String { "sha256:\(sha256),\(user),\(groups.joined(separator: ";"))" }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) {
        self.entries = entries
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses the file's text; an error names the line and what is wrong with it.
    public static func parse(_ text: String) throws -> TokenFile {
        var entries: [Entry] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            func fail(_ why: String) -> ParseError { ParseError(description: "token file line \(index + 1): \(why)") }
            guard fields.count == 3 else { throw fail("expected sha256:<hex>,<user>,<group>[;<group>…], got \(fields.count) field(s)") }
            guard fields[0].hasPrefix("sha256:") else { throw fail("the token must be given as sha256:<hex> (quiver token generate writes such lines)") }
            let hex = String(fields[0].dropFirst("sha256:".count)).lowercased()
            guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else { throw fail("sha256: needs 64 hex digits") }
            guard !fields[1].isEmpty else { throw fail("the user is empty") }
            let groups = fields[2].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !groups.isEmpty else { throw fail("at least one group is needed") }
            guard !entries.contains(where: { $0.sha256 == hex }) else { throw fail("the same token appears twice") }
            entries.append(Entry(sha256: hex, user: fields[1], groups: groups))
        }
        return TokenFile(entries: entries)
    }

    /// The entry of `token`, if the file has it.
    public func entry(for token: String) -> Entry? {
        let hash = Self.sha256Hex(token)
        return entries.first { $0.sha256 == hash }
    }

    /// Lowercase hex SHA-256 of `text`. The gateway hashes the bearer token of every request, so
    /// this writes the digits itself: `String(format:)` per byte cost about 35 µs a call.
    static func sha256Hex(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// A new random token (32 bytes, URL-safe base64 with a `qv_` prefix) and its file entry.
    public static func generate(user: String, groups: [String]) -> (token: String, entry: Entry) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = "qv_" + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return (token, Entry(sha256: sha256Hex(token), user: user, groups: groups))
    }
}
