import CONNXRuntime
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A loaded ONNX Runtime: its API table and the process-wide `OrtEnv`.
///
/// Loaded once per library (keyed by resolved path) and kept for the life of the process: the
/// library is never dlclose'd and the environment never released, so sessions can come and go
/// without tearing ONNX Runtime's global state down.
final class ORTLibrary: @unchecked Sendable {  // immutable after init; OrtApi and OrtEnv are thread-safe
    /// The path the library was loaded from (as configured).
    let path: String
    /// ONNX Runtime's version string, e.g. "1.31.1".
    let version: String
    let api: UnsafePointer<OrtApi>
    /// `OrtEnv *`, one per process.
    let env: OpaquePointer

    private static let loaded = Mutex<[String: ORTLibrary]>([:])

    /// The library at `path`, loading it and creating the environment on first use. Thread-safe.
    static func shared(path: String) throws -> ORTLibrary {
        let key = resolvedPath(path)
        return try loaded.withLock { cache in
            if let library = cache[key] { return library }
            let library = try ORTLibrary(loading: path)
            cache[key] = library
            return library
        }
    }

    private init(loading path: String) throws {
        var failure = QORT_LOAD_OK
        var versionPointer: UnsafePointer<CChar>? = nil
        var message = ""
        let api = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 2048) { buffer in
            buffer.initialize(repeating: 0)
            let api = qort_load(path, &versionPointer, &failure, buffer.baseAddress!, buffer.count)
            message = String(cString: buffer.baseAddress!)
            return api
        }
        guard let api else {
            let text = message
            switch failure {
            case QORT_LOAD_SYMBOL, QORT_LOAD_ABI: throw ONNXBackendError(.symbolMissing, text)
            case QORT_LOAD_API_VERSION: throw ONNXBackendError(.apiVersionUnsupported, text)
            default: throw ONNXBackendError(.libraryNotFound, text)
            }
        }
        self.path = path
        self.api = api
        self.version = versionPointer.map { String(cString: $0) } ?? "unknown"

        var env: OpaquePointer? = nil
        if let status = api.pointee.CreateEnv(ORT_LOGGING_LEVEL_WARNING, "quiver", &env) {
            let text = Self.consume(status, api: api)
            throw ONNXBackendError(.sessionCreation, "cannot create the ONNX Runtime environment (\(path)): \(text.message)")
        }
        guard let env else {
            throw ONNXBackendError(.sessionCreation, "cannot create the ONNX Runtime environment (\(path)): CreateEnv returned no environment")
        }
        self.env = env
    }

    /// Reads and releases an `OrtStatus`.
    private static func consume(_ status: OpaquePointer, api: UnsafePointer<OrtApi>) -> (code: OrtErrorCode, message: String) {
        defer { api.pointee.ReleaseStatus(status) }
        return (api.pointee.GetErrorCode(status), String(cString: api.pointee.GetErrorMessage(status)))
    }

    /// Reads and releases `status`; nil when the call succeeded (NULL status).
    func failure(_ status: OpaquePointer?) -> (code: OrtErrorCode, message: String)? {
        guard let status else { return nil }
        return Self.consume(status, api: api)
    }

    /// Throws `makeError(ORT's message)` when `status` is an error, releasing it either way.
    func check(_ status: OpaquePointer?, _ makeError: (String) -> ONNXBackendError) throws {
        if let failure = failure(status) { throw makeError(failure.message) }
    }

    private static func resolvedPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// Calls `body` with a C array of NUL-terminated copies of `strings`, valid for the call only.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>>) throws -> R) rethrows -> R {
    let copies: [UnsafeMutablePointer<CChar>] = strings.map { strdup($0)! }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) }
    return try pointers.withUnsafeBufferPointer { try body($0.baseAddress!) }
}
