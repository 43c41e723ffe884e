import EmbeddingCore
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Serves the embedding routes (``EmbeddingRoute``) on the connection's event loop, in the HTTP
/// pipeline, and passes every other request on to the router.
///
/// Why: under load about a third of quiver-embed's CPU outside ONNX Runtime went to carrying each
/// request through the router's async machinery: a task per connection, hops between the event
/// loop and the cooperative pool for the request parts, the body and the response (about 120
/// against 80 µs a request with a fake backend). That CPU is taken from the model's threads. Here a request is read, parsed and tokenized on the event loop, handed to
/// the pipeline with a completion, and answered from the event loop again, with the same parsing,
/// validation, answers and metrics as the router's (``EmbeddingService/embeddingCall(_:body:started:)``,
/// ``EmbeddingService/reply(to:result:)``).
///
/// HTTP/1.1 rules it keeps:
/// - Responses leave in request order. While a request handed to the router is unanswered, the
///   next ones go to the router too; while one of ours waits for the model, later pipelined parts
///   are held (and reading stops once there are any) until it is answered.
/// - `Connection: close` closes the connection after the answer.
/// - A client that disconnects cancels its request: inputs not yet in a batch are dropped.
/// - On graceful shutdown (`ChannelShouldQuiesceEvent`) a request in progress is answered, then the
///   connection closes.
/// - `--api-key` and `--payload-limit` apply as on the router, with the same error bodies.
/// - `Expect: 100-continue` gets `100 Continue`, or the refusal before the body is sent.
final class EmbeddingFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// Passing the current request's parts on to the router.
        case forwarding
        /// Reading the body of a request served here; `rejection` is the answer already decided
        /// (401, 413), sent once the body has been read (or at once on `Expect: 100-continue`).
        case reading(Reading)
        /// The request waits for the model; the ticket cancels it if the client goes away.
        case waiting(EmbeddingTicket?)
        /// The connection is gone.
        case closed
    }

    private struct Reading {
        var route: EmbeddingRoute
        var started: UInt64
        var body: ByteBuffer
        var rejection: Reply?
    }

    private let service: EmbeddingService
    private let serverName: String?
    private var state = State.idle
    /// Requests passed to the router whose responses have not ended.
    private var routerResponsesPending = 0
    /// Parts that arrived while a request here waited (HTTP pipelining), replayed in order after it.
    private var held = CircularBuffer<HTTPRequestPart>()
    /// A `read` held back while a request waits and parts are held, so that a pipelining client
    /// is not read without bound.
    private var readHeld = false
    /// Close after the current answer (the client asked, or the server is shutting down).
    private var closeAfterAnswer = false
    private var context: ChannelHandlerContext?

    init(service: EmbeddingService, serverName: String?) {
        self.service = service
        self.serverName = serverName
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        handle(unwrapInboundIn(data), context: context)
    }

    private func handle(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch state {
        case .closed:
            return
        case .waiting:
            held.append(part)
            return
        case .forwarding:
            if case .end = part { state = .idle }
            context.fireChannelRead(wrapInboundOut(part))
        case .reading(var reading):
            switch part {
            case .head:
                // The decoder never sends a head before the previous request's end.
                context.fireChannelRead(wrapInboundOut(part))
            case .body(var chunk):
                if reading.rejection == nil {
                    if reading.body.readableBytes + chunk.readableBytes > service.configuration.payloadLimit {
                        reading.rejection = service.failureReply(
                            EmbeddingError.payloadTooLarge(
                                "Payload too large: the body is larger than the limit of \(service.configuration.payloadLimit) bytes (--payload-limit)"),
                            shape: reading.route.shape, route: reading.route.name)
                        reading.body.clear()
                    } else {
                        reading.body.writeBuffer(&chunk)
                    }
                }
                state = .reading(reading)
            case .end:
                serve(reading, context: context)
            }
        case .idle:
            guard case .head(let head) = part else {
                // Only a head starts a request; anything else belongs to the router.
                context.fireChannelRead(wrapInboundOut(part))
                return
            }
            if routerResponsesPending == 0, head.method == .post, let route = Self.route(of: head) {
                let reading = startReading(head, route: route, allocator: context.channel.allocator)
                state = .reading(reading)
                if head.headerFields[.connection]?.lowercased() == "close" { closeAfterAnswer = true }
                if head.headerFields[.expect]?.lowercased() == "100-continue" {
                    expectContinue(reading, context: context)
                }
            } else {
                routerResponsesPending += 1
                state = .forwarding
                context.fireChannelRead(wrapInboundOut(part))
            }
        }
    }

    private static func route(of head: HTTPRequest) -> EmbeddingRoute? {
        guard let path = head.path else { return nil }
        if let query = path.firstIndex(of: "?") { return EmbeddingRoute(path: String(path[..<query])) }
        return EmbeddingRoute(path: path)
    }

    private func startReading(_ head: HTTPRequest, route: EmbeddingRoute, allocator: ByteBufferAllocator) -> Reading {
        let started = DispatchTime.now().uptimeNanoseconds
        let limit = service.configuration.payloadLimit
        var rejection: Reply?
        if let apiKey = service.configuration.apiKey,
           let error = BearerAuth.check(authorization: head.headerFields[.authorization], apiKey: apiKey) {
            rejection = APIError.reply(error: error, shape: route.shape)
        } else if let length = head.headerFields[.contentLength].flatMap(Int.init), length > limit {
            rejection = service.failureReply(
                EmbeddingError.payloadTooLarge("Payload too large: the body is \(length) bytes, the limit is \(limit) (--payload-limit)"),
                shape: route.shape, route: route.name)
        }
        let capacity = rejection == nil ? head.headerFields[.contentLength].flatMap(Int.init).map { min($0, limit) } ?? 1024 : 0
        return Reading(route: route, started: started, body: allocator.buffer(capacity: capacity), rejection: rejection)
    }

    /// `Expect: 100-continue` (curl sends it for bodies over 1 MiB, then waits a second for it):
    /// say go on, or give the refusal at once and close instead of reading the body.
    private func expectContinue(_ reading: Reading, context: ChannelHandlerContext) {
        if let rejection = reading.rejection {
            state = .waiting(nil)
            closeAfterAnswer = true
            answer(rejection, context: context)
        } else {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
    }

    private func serve(_ reading: Reading, context: ChannelHandlerContext) {
        state = .waiting(nil)
        if let rejection = reading.rejection {
            answer(rejection, context: context)
            return
        }
        let call: EmbeddingCall
        do {
            call = try service.embeddingCall(reading.route, body: Data(reading.body.readableBytesView), started: reading.started)
        } catch {
            answer(service.failureReply(error, shape: reading.route.shape, route: reading.route.name), context: context)
            return
        }
        let loop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: loop)
        do {
            // The completion always comes back through `execute`, so it runs after this returns.
            let ticket = try service.submit(call) { result in
                loop.execute { handler.value.finish(call, result) }
            }
            if case .waiting = state { state = .waiting(ticket) }
        } catch {
            answer(service.reply(to: call, result: .failure(error)), context: context)
        }
    }

    private func finish(_ call: EmbeddingCall, _ result: Result<EmbeddingResult, Error>) {
        // Pool and write the body even for a client that left: the metrics count the request.
        let reply = service.reply(to: call, result: result)
        guard case .waiting = state, let context else { return }
        answer(reply, context: context)
    }

    /// Writes `reply`, then goes on with what was held while it was prepared.
    private func answer(_ reply: Reply, context: ChannelHandlerContext) {
        var headers = reply.headers
        headers[.contentLength] = String(reply.body.readableBytes)
        headers[.date] = HTTPDate.now()
        if let serverName { headers[.server] = serverName }
        let close = closeAfterAnswer
        if close { headers[.connection] = "close" }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: reply.status, headerFields: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(reply.body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        if close {
            state = .closed
            held.removeAll()
            context.close(promise: nil)
            return
        }
        state = .idle
        if !held.isEmpty {
            while let part = held.popFirst() {
                handle(part, context: context)
                if case .waiting = state { break }
            }
            // What went on to the router reaches it on read-complete (the async channel
            // delivers reads in bursts).
            context.fireChannelReadComplete()
        }
        if readHeld, held.isEmpty {
            readHeld = false
            context.read()
        }
    }

    private var isWaiting: Bool {
        if case .waiting = state { return true }
        return false
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .waiting(let ticket) = state { ticket?.cancel() }
        state = .closed
        held.removeAll()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            switch state {
            case .reading, .waiting:
                // Answer the request in progress, then close; the router has none (see above).
                closeAfterAnswer = true
                return
            case .idle, .forwarding, .closed:
                break
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { routerResponsesPending = max(0, routerResponsesPending - 1) }
        context.write(data, promise: promise)
    }

    func read(context: ChannelHandlerContext) {
        // Stop reading only once a client has sent more than the request that waits (it
        // pipelines): holding every read would cost two epoll changes per request.
        if isWaiting && !held.isEmpty {
            readHeld = true
        } else {
            context.read()
        }
    }
}
