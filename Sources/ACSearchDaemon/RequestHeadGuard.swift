import ACSearchAPI
import Foundation
import NIOCore

/// Sits in front of the HTTP decoder and keeps clients honest at the byte level: a
/// request head larger than the limit is answered 431, a head that does not arrive
/// completely within the header timeout is answered 408, a chunked request body
/// (the API is GET: nothing needs one, and its end cannot be known here) 413, and a
/// connection idle longer than the idle timeout is closed. Slow clients cannot hold
/// the daemon. A body with a Content-Length is not head: it is let through uncounted
/// (the server answers 413 past its own limit), but it must arrive within the same
/// header timeout as its head, or the request is answered 408 and closed: a half-sent
/// request holds a connection slot no longer than a slow head does.
final class RequestHeadGuard: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let maxHeadBytes: Int
    private let headerTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var headStarted = false
    /// The current request head so far, to find its end and its body's length.
    private var head: [UInt8] = []
    /// Bytes of a Content-Length body still to let through.
    private var bodyRemaining = 0
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
            arm(headerTimeout, context: context, answer: "408 Request Timeout",
                message: "the request head did not arrive in time")
        }
        for byte in buffer.readableBytesView {
            if bodyRemaining > 0 {
                bodyRemaining -= 1
                // The whole request is in: the connection is idle until the next one.
                if bodyRemaining == 0 { arm(idleTimeout, context: context, answer: nil) }
                continue
            }
            head.append(byte)
            if head.count >= 2, head[head.count - 1] == 10, head[head.count - 2] == 10 || head.suffix(4) == [13, 10, 13, 10] {
                // A complete head: the decoder takes it from here.
                let framing = RequestHeadGuard.bodyFraming(of: head)
                head.removeAll(keepingCapacity: true)
                headStarted = false
                if framing.chunked {
                    refuse(context: context, status: "413 Content Too Large",
                           message: "chunked request bodies are not accepted; the API takes GET requests without a body")
                    return
                }
                bodyRemaining = framing.length
                if bodyRemaining > 0 {
                    arm(headerTimeout, context: context, answer: "408 Request Timeout",
                        message: "the request body (Content-Length \(bodyRemaining)) did not arrive in time")
                } else {
                    arm(idleTimeout, context: context, answer: nil)
                }
            } else if head.count > maxHeadBytes {
                refuse(context: context, status: "431 Request Header Fields Too Large",
                       message: "the request line and headers are larger than \(maxHeadBytes) bytes")
                return
            }
        }
        context.fireChannelRead(data)
    }

    private func arm(_ timeout: TimeAmount, context: ChannelHandlerContext, answer: String?, message: String = "") {
        timer?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = loopBound.value
            if let answer {
                handler.refuse(context: context, status: answer, message: message)
            } else {
                context.close(promise: nil)
            }
        }
    }

    /// Answers with a minimal response written directly to the socket (the body every
    /// error answer has), then closes.
    private func refuse(context: ChannelHandlerContext, status: String, message: String) {
        guard !refused else { return }
        refused = true
        timer?.cancel()
        let code = Int(status.prefix(3)) ?? 400
        let body = HTTPAnswer.error(APIError(status: code, code: "request_rejected", message: message)).body
        let head = "HTTP/1.1 \(status)\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        var buffer = context.channel.allocator.buffer(capacity: head.utf8.count + body.count)
        buffer.writeString(head)
        buffer.writeBytes(body)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }

    /// The body a head announces: its Content-Length (0 if none or unreadable, which
    /// the decoder refuses on its own) and whether it is chunked.
    static func bodyFraming(of head: [UInt8]) -> (length: Int, chunked: Bool) {
        var length = 0, chunked = false
        for line in String(decoding: head, as: UTF8.self).lowercased().split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            switch parts[0].trimmingCharacters(in: .whitespaces) {
            case "content-length": length = Int(value).map { max(0, $0) } ?? 0
            case "transfer-encoding": chunked = chunked || value.contains("chunked")
            default: break
            }
        }
        return (length, chunked)
    }
}
