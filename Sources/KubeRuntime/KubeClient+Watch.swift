import AsyncHTTPClient
import KubeModel
import NIOCore

/// Watches: a GET with `watch=true` whose chunked body holds one `{"type","object"}` JSON per line.
///
/// The call returns once the server accepted the watch (a refusal throws `KubeAPIError`); the stream
/// then yields events until the server ends the body (a clean end: resume from the last resourceVersion
/// seen). An `ERROR` event ends the stream with a `KubeAPIError` carrying its Status (410 Expired when
/// the resourceVersion is too old). Cancelling the task that consumes the stream, or dropping the
/// stream, closes the connection.
extension KubeClient {
    /// A dynamic watch. Bookmarks arrive as `.bookmark` events whose object carries only
    /// `metadata.resourceVersion` (and annotations).
    public func watch(
        _ resource: GroupVersionResource, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws -> AsyncThrowingStream<WatchEvent<JSONValue>, any Error> {
        try await openWatch(ResourcePath(resource: resource, namespace: namespace), options: options) { type, object in
            WatchEvent(type: type, object: object)
        }
    }

    /// A typed watch. A BOOKMARK whose object cannot be decoded as `T` (its required fields are absent)
    /// is skipped; use the dynamic watch, or an `Informer`, to follow bookmarks of such kinds.
    public func watch<T: KubernetesResource>(
        _ type: T.Type, namespace: String? = nil, options: ListOptions = ListOptions()
    ) async throws -> AsyncThrowingStream<WatchEvent<T>, any Error> {
        let path = ResourcePath(resource: T.groupVersionResource, namespace: T.isNamespaced ? namespace : nil)
        return try await openWatch(path, options: options) { type, object in
            do {
                return WatchEvent(type: type, object: try object.decode(as: T.self))
            } catch {
                if type == .bookmark { return nil }
                throw KubeClientError.decoding("watch \(path.path): cannot decode \(T.self): \(error)")
            }
        }
    }

    func openWatch<Element: Sendable>(
        _ path: ResourcePath, options: ListOptions,
        transform: @escaping @Sendable (WatchEventType, JSONValue) throws -> Element?
    ) async throws -> AsyncThrowingStream<Element, any Error> {
        var query = options
        query.limit = nil
        query.continue = nil
        let request = KubeRequest(method: .get, path: path.path, query: query.queryItems + [("watch", "true")])
        let limit = configuration.requestTimeout
        let deadline: @Sendable () -> NIODeadline = {
            if let seconds = options.timeoutSeconds { return .now() + .seconds(Int64(seconds)) + TimeAmount(limit) }
            return .distantFuture
        }
        let opened = try await withRetries(request, deadline: deadline) { response -> WatchOpening in
            guard response.status.code == 200 else {
                let body = try await response.body.collect(upTo: 1024 * 1024)
                return .refused(
                    KubeResponse(
                        status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                        body: Array(body.readableBytesView)))
            }
            return .accepted(response)
        }
        let response: HTTPClientResponse
        switch opened {
        case .refused(let refusal): throw Self.apiError(from: refusal)
        case .accepted(let accepted): response = accepted
        }
        let logger = self.logger
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Element.self, throwing: (any Error).self)
        let reader = Task {
            do {
                var splitter = LineSplitter()
                func handle(_ line: [UInt8]) throws -> Bool {
                    let event: JSONValue
                    do {
                        event = try JSONValue(parsing: line)
                    } catch {
                        throw KubeClientError.decoding("watch \(path.path): invalid event JSON: \(error)")
                    }
                    guard let typeName = event["type"]?.stringValue, let type = WatchEventType(rawValue: typeName) else {
                        throw KubeClientError.decoding("watch \(path.path): an event has no known type")
                    }
                    let object = event["object"] ?? .null
                    if type == .error {
                        let status = (try? object.decode(as: Status.self))
                            ?? Status(message: object.serializedString(), reason: "InternalError", code: 500)
                        throw KubeAPIError(status: status, httpStatus: 200)
                    }
                    if let element = try transform(type, object) {
                        if case .terminated = continuation.yield(element) { return false }
                    }
                    return true
                }
                reading: for try await chunk in response.body {
                    for line in try splitter.append(chunk.readableBytesView) {
                        guard try handle(line) else { break reading }
                    }
                }
                if let last = splitter.finish() { _ = try handle(last) }
                continuation.finish()
            } catch {
                if Task.isCancelled {
                    continuation.finish()
                } else {
                    logger.debug("watch ended with an error", metadata: ["path": "\(path.path)", "error": "\(error)"])
                    continuation.finish(throwing: Self.isConnectionFailure(error) ? KubeClientError.transport("watch \(path.path): \(error)") : error)
                }
            }
        }
        continuation.onTermination = { _ in reader.cancel() }
        return stream
    }
}

/// The answer to a watch request: accepted (body still streaming) or refused (body read).
enum WatchOpening: KubeResponseConvertible, Sendable {
    case accepted(HTTPClientResponse)
    case refused(KubeResponse)

    var responseStatus: Int {
        switch self {
        case .accepted: 200
        case .refused(let r): r.status
        }
    }

    var responseRetryAfter: Int? {
        switch self {
        case .accepted: nil
        case .refused(let r): r.retryAfterSeconds
        }
    }
}
