import ArgumentParser
import Foundation

/// The text of a file a flag names; a file that cannot be read is a `ValidationError` naming it
/// (and the flag, when there is one).
func readFlagFile(_ path: String, flag: String? = nil) throws -> String {
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw ValidationError("cannot read \(flag.map { "\($0) " } ?? "")\(path): \(error.localizedDescription)")
    }
}
