import Foundation
import KubeModel
import Logging
import NIOCore
import NIOPosix
import SQLiteNIO
import Synchronization

/// Write-behind persistence of the object store in SQLite (WAL). Writes are appended in order
/// under the store lock; one writer task commits them in batches (group commit) and then releases
/// the callers waiting on their tickets, so an acknowledged write is in the database file.
final class Persistence: Sendable {
    enum Operation: Sendable {
        case upsert(storageKey: String, key: String, resourceVersion: Int64, bytes: [UInt8])
        case delete(storageKey: String, key: String, resourceVersion: Int64)

        var resourceVersion: Int64 {
            switch self {
            case .upsert(_, _, let rv, _), .delete(_, _, let rv): rv
            }
        }
    }

    private struct State {
        var pending: [Operation] = []
        var nextTicket: UInt64 = 1
        var committed: UInt64 = 0
        var failure: (any Error)?
        /// Set once the writer has stopped: later writes fail instead of waiting forever.
        var stopped = false
        var waiters: [(ticket: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    private let state = Mutex(State())
    private let connection: SQLiteConnection
    private let wake: AsyncStream<Void>.Continuation
    private let wakeStream: AsyncStream<Void>
    private let logger: Logger

    private init(connection: SQLiteConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
        (wakeStream, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    struct Loaded: Sendable {
        var objects: [String: [String: StoredObject]]
        var resourceVersion: Int64
    }

    /// Opens (or creates) `DIR/store.sqlite3` and loads every object.
    static func open(directory: String, logger: Logger) async throws -> (Persistence, Loaded) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("store.sqlite3")
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        _ = try await connection.query("PRAGMA journal_mode=WAL", [])
        // WAL + NORMAL: a committed transaction is in the WAL file once COMMIT returns, so it
        // survives the process being killed (not a power cut, which real etcd would also fsync for).
        _ = try await connection.query("PRAGMA synchronous=NORMAL", [])
        _ = try await connection.query(
            "CREATE TABLE IF NOT EXISTS objects (skey TEXT NOT NULL, okey TEXT NOT NULL, rv INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (skey, okey))",
            [])
        _ = try await connection.query("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL)", [])
        var objects: [String: [String: StoredObject]] = [:]
        var maxRV: Int64 = 1
        for row in try await connection.query("SELECT skey, okey, rv, data FROM objects", []) {
            guard let skey = row.column("skey")?.string, let okey = row.column("okey")?.string,
                  let rv = row.column("rv")?.integer, case .blob(let buffer)? = row.column("data")
            else { continue }
            let bytes = Array(buffer.readableBytesView)
            guard let value = try? JSONValue(parsing: bytes) else {
                logger.error("skipping an unreadable stored object", metadata: ["resource": "\(skey)", "key": "\(okey)"])
                continue
            }
            objects[skey, default: [:]][okey] = StoredObject(value: value, bytes: bytes, resourceVersion: Int64(rv))
            maxRV = max(maxRV, Int64(rv))
        }
        if let row = try await connection.query("SELECT v FROM meta WHERE k = 'resourceVersion'", []).first,
           let v = row.column("v")?.integer {
            maxRV = max(maxRV, Int64(v))
        }
        return (Persistence(connection: connection, logger: logger), Loaded(objects: objects, resourceVersion: maxRV))
    }

    /// Queues a write; returns the ticket to wait on. Called under the store lock, so order is kept.
    func append(_ operation: Operation) -> UInt64 {
        let ticket = state.withLock { s in
            s.pending.append(operation)
            defer { s.nextTicket += 1 }
            return s.nextTicket
        }
        wake.yield()
        return ticket
    }

    func waitCommitted(_ ticket: UInt64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: Result<Void, any Error>? = state.withLock { s in
                if let failure = s.failure { return .failure(failure) }
                if s.committed >= ticket { return .success(()) }
                if s.stopped { return .failure(APIServerError.serviceUnavailable("the API server is shutting down")) }
                s.waiters.append((ticket, continuation))
                return nil
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// The writer loop; runs until cancelled, committing what is pending in one transaction at a time.
    func run() async {
        for await _ in wakeStream {
            while true {
                let (batch, lastTicket) = state.withLock { s -> ([Operation], UInt64) in
                    let batch = s.pending
                    s.pending.removeAll(keepingCapacity: true)
                    return (batch, s.nextTicket - 1)
                }
                if batch.isEmpty { break }
                do {
                    try await commit(batch)
                    let ready = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
                        s.committed = lastTicket
                        let ready = s.waiters.filter { $0.ticket <= lastTicket }.map(\.continuation)
                        s.waiters.removeAll { $0.ticket <= lastTicket }
                        return ready
                    }
                    for c in ready { c.resume() }
                } catch {
                    logger.critical("persisting objects failed", metadata: ["error": "\(error)"])
                    let waiters = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
                        s.failure = error
                        defer { s.waiters.removeAll() }
                        return s.waiters.map(\.continuation)
                    }
                    for c in waiters { c.resume(throwing: error) }
                    return
                }
            }
        }
    }

    private func commit(_ batch: [Operation]) async throws {
        _ = try await connection.query("BEGIN IMMEDIATE", [])
        do {
            var maxRV: Int64 = 0
            for op in batch {
                switch op {
                case .upsert(let skey, let okey, let rv, let bytes):
                    _ = try await connection.query(
                        "INSERT INTO objects (skey, okey, rv, data) VALUES (?, ?, ?, ?) ON CONFLICT (skey, okey) DO UPDATE SET rv = excluded.rv, data = excluded.data",
                        [.text(skey), .text(okey), .integer(Int(rv)), .blob(ByteBuffer(bytes: bytes))])
                case .delete(let skey, let okey, _):
                    _ = try await connection.query("DELETE FROM objects WHERE skey = ? AND okey = ?", [.text(skey), .text(okey)])
                }
                maxRV = max(maxRV, op.resourceVersion)
            }
            _ = try await connection.query(
                "INSERT INTO meta (k, v) VALUES ('resourceVersion', ?) ON CONFLICT (k) DO UPDATE SET v = max(v, excluded.v)",
                [.integer(Int(maxRV))])
            _ = try await connection.query("COMMIT", [])
        } catch {
            _ = try? await connection.query("ROLLBACK", [])
            throw error
        }
    }

    /// Asks the writer to stop once what is pending is committed (graceful shutdown).
    func finish() {
        wake.yield()
        wake.finish()
    }

    /// After `run` has returned: fail whoever still waits, and close the database.
    func close() async {
        let waiters = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
            s.stopped = true
            defer { s.waiters.removeAll() }
            return s.waiters.map(\.continuation)
        }
        for c in waiters { c.resume(throwing: APIServerError.serviceUnavailable("the API server is shutting down")) }
        try? await connection.close()
    }
}
