import AsyncHTTPClient
import Foundation
import KubeModel
import Logging
import NIOCore

extension KubeClient {
    /// Sends a request and reads the whole answer, whatever its status: rate limited, authenticated,
    /// retried on 429/5xx/connection errors as the configuration's `RetryPolicy` allows, and sent once
    /// more after a 401 if the token file turned out to hold a new token.
    public func send(_ request: KubeRequest) async throws -> KubeResponse {
        try await withRetries(request, deadline: { .now() + TimeAmount(self.configuration.requestTimeout) }) { response in
            let buffer: ByteBuffer
            do {
                buffer = try await response.body.collect(upTo: self.configuration.maximumResponseBytes)
            } catch is NIOTooManyBytesError {
                throw KubeClientError.responseTooLarge(
                    "\(request.method.rawValue) \(request.path): the response exceeds \(self.configuration.maximumResponseBytes) bytes")
            }
            return KubeResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer.readableBytesView))
        }
    }

    /// Sends a request and returns the body of a 2xx answer; any other answer throws `KubeAPIError`.
    func perform(_ request: KubeRequest) async throws -> [UInt8] {
        let response = try await send(request)
        for warning in response.warnings {
            logger.notice("API server warning", metadata: ["warning": "\(warning)", "path": "\(request.path)"])
        }
        guard response.isSuccess else { throw Self.apiError(from: response) }
        return response.body
    }

    /// The error a non-2xx response stands for.
    static func apiError(from response: KubeResponse) -> KubeAPIError {
        var status: Status
        if let decoded = try? JSONDecoder().decode(Status.self, from: Data(response.body)), decoded.kind == "Status" {
            status = decoded
            if status.code == nil { status.code = response.status }
        } else {
            status = KubeAPIError.statusForResponse(code: response.status, body: response.body)
        }
        return KubeAPIError(status: status, httpStatus: response.status, retryAfterSeconds: response.retryAfterSeconds)
    }

    /// The retry loop shared by plain requests and watches. `handle` turns a response into the result;
    /// it runs for every answer (2xx or not) that is not retried.
    func withRetries<Result: Sendable>(
        _ request: KubeRequest,
        deadline: @Sendable () -> NIODeadline,
        handle: (HTTPClientResponse) async throws -> Result
    ) async throws -> Result where Result: KubeResponseConvertible {
        let policy = configuration.retry
        var attempt = 0
        var retriedUnauthorized = false
        while true {
            attempt += 1
            try await limiter.acquire()
            let httpRequest = try await makeHTTPRequest(request)
            let result: Result
            do {
                let response = try await http.execute(httpRequest, deadline: deadline(), logger: nil)
                result = try await handle(response)
            } catch let error where Self.isConnectionFailure(error) {
                try Task.checkCancellation()
                if let delay = policy.delay(afterAttempt: attempt, failure: .connection, method: request.method.rawValue) {
                    logger.debug(
                        "retrying after a connection error",
                        metadata: ["path": "\(request.path)", "attempt": "\(attempt)", "error": "\(error)"])
                    try await Task.sleep(for: delay)
                    continue
                }
                throw KubeClientError.transport("\(request.method.rawValue) \(request.pathAndQuery): \(error)")
            }
            let status = result.responseStatus
            if status == 401, !retriedUnauthorized, await credentials.refreshAfterUnauthorized() {
                retriedUnauthorized = true
                logger.debug("401: the token file changed, sending again", metadata: ["path": "\(request.path)"])
                continue
            }
            if status == 429 || status >= 500,
               let delay = policy.delay(
                   afterAttempt: attempt, failure: .status(status, retryAfterSeconds: result.responseRetryAfter),
                   method: request.method.rawValue)
            {
                logger.debug(
                    "retrying",
                    metadata: ["path": "\(request.path)", "status": "\(status)", "attempt": "\(attempt)", "delay": "\(delay)"])
                try await Task.sleep(for: delay)
                continue
            }
            return result
        }
    }

    private func makeHTTPRequest(_ request: KubeRequest) async throws -> HTTPClientRequest {
        var http = HTTPClientRequest(url: configuration.server + request.pathAndQuery)
        switch request.method {
        case .get: http.method = .GET
        case .post: http.method = .POST
        case .put: http.method = .PUT
        case .patch: http.method = .PATCH
        case .delete: http.method = .DELETE
        case .head: http.method = .HEAD
        }
        http.headers.add(name: "Accept", value: request.accept)
        http.headers.add(name: "User-Agent", value: configuration.userAgent)
        if let authorization = try await credentials.authorization() {
            http.headers.add(name: "Authorization", value: authorization)
        }
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: request.contentType ?? "application/json")
            http.body = .bytes(ByteBuffer(bytes: body))
        }
        return http
    }

    /// Whether an error thrown by the HTTP client means "no usable answer" (and not cancellation or a
    /// failure of our own handling).
    static func isConnectionFailure(_ error: any Error) -> Bool {
        if error is CancellationError || error is KubeAPIError || error is KubeClientError || error is NIOTooManyBytesError {
            return false
        }
        if let http = error as? HTTPClientError, http == .cancelled {
            return false
        }
        return true
    }
}

/// What the retry loop needs to know of a handled response.
protocol KubeResponseConvertible: Sendable {
    var responseStatus: Int { get }
    var responseRetryAfter: Int? { get }
}

extension KubeResponse: KubeResponseConvertible {
    var responseStatus: Int { status }
    var responseRetryAfter: Int? { retryAfterSeconds }
}
