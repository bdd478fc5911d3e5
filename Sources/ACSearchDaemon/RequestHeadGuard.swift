import NIOCore

/// Sits in front of the HTTP decoder and keeps clients honest at the byte level: a
/// request head larger than the limit is answered 431, a head that does not arrive
/// completely within the header timeout is answered 408, and a connection idle
/// longer than the idle timeout is closed. Slow clients cannot hold the daemon.
final class RequestHeadGuard: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let maxHeadBytes: Int
    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var headBytes = 0
    private var headStarted = false
    /// The last bytes seen, to find "\r\n\r\n" across reads.
    private var tail: [UInt8] = []
    private var timer: Scheduled<Void>? = nil
    private var refused = false

    init(maxHeadBytes: Int, headerTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.maxHeadBytes = maxHeadBytes
        self.headerTimeout = headerTimeout
        self.idleTimeout = idleTimeout
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(idleTimeout, context: context, answer: nil)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        let buffer = unwrapInboundIn(data)
        if !headStarted, buffer.readableBytes > 0 {
            headStarted = true
            arm(headerTimeout, context: context, answer: "408 Request Timeout")
        }
        for byte in buffer.readableBytesView {
            headBytes += 1
            tail.append(byte)
            if tail.count > 4 { tail.removeFirst() }
            if tail == [13, 10, 13, 10] || tail.suffix(2) == [10, 10] {
                // A complete head: the decoder takes it from here.
                headBytes = 0
                headStarted = false
                arm(idleTimeout, context: context, answer: nil)
            } else if headBytes > maxHeadBytes {
                refuse(context: context, status: "431 Request Header Fields Too Large",
                       message: "the request line and headers are larger than \(maxHeadBytes) bytes")
                return
            }
        }
        context.fireChannelRead(data)
    }

    private func arm(_ timeout: TimeAmount, context: ChannelHandlerContext, answer: String?) {
        timer?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = loopBound.value
            if let answer {
                handler.refuse(context: context, status: answer, message: "the request head did not arrive in time")
            } else {
                context.close(promise: nil)
            }
        }
    }

    /// Answers with a minimal response written directly to the socket, then closes.
    private func refuse(context: ChannelHandlerContext, status: String, message: String) {
        guard !refused else { return }
        refused = true
        timer?.cancel()
        let code = Int(status.prefix(3)) ?? 400
        let body = #"{"error":{"code":"request_rejected","message":"\#(message)","status":\#(code)}}"# + "\n"
        let response = "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        var buffer = context.channel.allocator.buffer(capacity: response.utf8.count)
        buffer.writeString(response)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }
}
