import ACSearchAPI
import Logging
import NIOCore
import NIOHTTP1

/// Answers the HTTP requests of one connection, one at a time (NIO's
/// `HTTPServerPipelineHandler` in front holds pipelined requests back until the
/// answer before them is written, and at shutdown closes the connection when idle or
/// after its answer). The router answers a search on a reader thread; the answer
/// comes back to this connection's event loop and is written from there: two
/// hand-offs per request, no task in between.
final class APIRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: Router
    private let limits: HTTPLimits
    private let logger: Logger
    /// False for a connection over the limit: its request is answered 503, then it closes.
    private let admitted: Bool
    /// Who asks, as the readers are shared (set from SO_PEERCRED when the connection opens).
    var client: String
    private var request: HTTPRequestHead? = nil
    private var bodyBytes = 0
    /// A request is complete; its answer has not been written yet.
    private var answering = false
    /// A complete request held until the connection can take more output.
    private var waiting: HTTPRequestHead? = nil
    /// The client shut its side: answer what was asked, then close.
    private var inputClosed = false
    /// An answer that ends the connection was written: ignore what follows.
    private var closing = false

    init(router: Router, limits: HTTPLimits, admitted: Bool, logger: Logger, client: String) {
        self.client = client
        self.router = router
        self.limits = limits
        self.admitted = admitted
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard admitted else {
                let refusal = APIError(status: 503, code: "too_many_connections",
                                       message: "the daemon has \(limits.maxConnections) open connections; retry")
                write(.error(refusal), keepAlive: false, headOnly: head.method == .HEAD, context: context)
                return
            }
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > limits.maxBodyBytes {
                write(tooLarge(), keepAlive: false, headOnly: false, context: context)
                return
            }
            request = head
            bodyBytes = 0
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
            if bodyBytes > limits.maxBodyBytes {
                write(tooLarge(), keepAlive: false, headOnly: false, context: context)
            }
        case .end:
            guard let head = request else { return }
            request = nil
            answering = true
            if context.channel.isWritable {
                ask(head, context: context)
            } else {
                waiting = head
            }
        }
    }

    /// A client that pipelines requests and reads no answers: the next request waits
    /// until what was written has gone (NIO's `BackPressureHandler` in front stops
    /// reading too), so the answers queued for one connection stay under NIO's
    /// high-water mark instead of growing with every request it sends.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, let head = waiting {
            waiting = nil
            ask(head, context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    private func ask(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let connection = NIOLoopBound((handler: self, context: context), eventLoop: loop)
        router.answer(method: head.method.rawValue, uri: head.uri, client: client,
                      acceptLanguage: head.headers.first(name: "accept-language")) { answer in
            if loop.inEventLoop {
                connection.value.handler.answered(answer, to: head, context: connection.value.context)
            } else {
                loop.execute { connection.value.handler.answered(answer, to: head, context: connection.value.context) }
            }
        }
    }

    private func answered(_ answer: HTTPAnswer, to head: HTTPRequestHead, context: ChannelHandlerContext) {
        answering = false
        guard context.channel.isActive else { return }
        write(answer, keepAlive: head.isKeepAlive && !inputClosed, headOnly: head.method == .HEAD, context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            // Requested and shut (`shutdown(SHUT_WR)`, scripts): the answer still goes out.
            inputClosed = true
            if !answering { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection ended", metadata: ["error": "\(error)"])
        // Bytes that are not HTTP get the JSON error body every other 4xx has (NIO's
        // own handler would answer a bare 400); the decoder closes the connection
        // after this returns, so the answer is written now or not at all.
        if let parserError = error as? HTTPParserError, !answering, !closing {
            write(.error(APIError(status: 400, code: "malformed_request",
                                  message: "the request is not valid HTTP/1.1 (\(parserError)); send a GET request line, headers and an empty line")),
                  keepAlive: false, headOnly: false, context: context)
            return
        }
        context.close(promise: nil)
    }

    private func tooLarge() -> HTTPAnswer {
        .error(.init(status: 413, code: "body_too_large",
                     message: "request bodies are limited to \(limits.maxBodyBytes) bytes; the API takes GET requests"))
    }

    private func write(_ answer: HTTPAnswer, keepAlive: Bool, headOnly: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        for (name, value) in answer.headers { headers.add(name: name, value: value) }
        headers.add(name: "Content-Length", value: String(answer.body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        headers.add(name: "Server", value: "acsearchd/\(ACSearchVersion.current)")
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: answer.status),
                                    headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !headOnly && !answer.body.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: answer.body.count)
            buffer.writeBytes(answer.body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            closing = true
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
