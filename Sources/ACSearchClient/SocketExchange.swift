#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 GET and its answer over a Unix socket, with blocking calls.
///
/// Not SwiftNIO, on purpose: the CLI's start-up is one of the figures we hold
/// ourselves to (docs/benchmarks.md), and with NIO in the binary the runtime spent
/// more time starting (the protocol conformances it scans at the first casts) than
/// the request took. The exchange is one write and a few reads on a local socket,
/// answered by acsearchd alone, which always sends Content-Length and closes when
/// asked to; an answer in any other shape is refused, not guessed at.
struct SocketExchange {
    let path: String
    /// Seconds for the whole exchange.
    let timeout: Double

    /// The status and body of `GET target`.
    func get(_ target: String) throws(ClientError) -> (Int, [UInt8]) {
        try exchange("GET", target)
    }

    /// The status and body of `METHOD target` (a request without a body).
    func exchange(_ method: String, _ target: String) throws(ClientError) -> (Int, [UInt8]) {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFSOCK {
            throw .notASocket(path)
        }
        let deadline = Deadline(seconds: timeout)
        let descriptor = try connect(deadline)
        defer { close(descriptor) }
        // PUT, POST and DELETE say they carry no body, as RFC 9110 asks of them.
        let length = method == "GET" ? "" : "Content-Length: 0\r\n"
        let request = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nUser-Agent: acsearch-client\r\n\(length)Connection: close\r\n\r\n"
        try send(Array(request.utf8), on: descriptor, deadline)
        return try receive(on: descriptor, deadline)
    }

    private func connect(_ deadline: Deadline) throws(ClientError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw .unreachable(path, "the path is longer than a Unix socket path may be (\(MemoryLayout.size(ofValue: address.sun_path) - 1) bytes)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .unreachable(path, SocketExchange.describe(errno)) }
        // A listener with a full backlog makes connect wait; the send timeout bounds it.
        setTimeout(SO_SNDTIMEO, on: descriptor, deadline)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if status != 0 {
            let code = errno
            close(descriptor)
            if code == EAGAIN || code == EINPROGRESS { throw .timedOut(path, timeout) }
            throw .unreachable(path, SocketExchange.describe(code))
        }
        return descriptor
    }

    private func send(_ bytes: [UInt8], on descriptor: Int32, _ deadline: Deadline) throws(ClientError) {
        var sent = 0
        while sent < bytes.count {
            setTimeout(SO_SNDTIMEO, on: descriptor, deadline)
            // MSG_NOSIGNAL: a daemon that went away is an error to report, not a SIGPIPE.
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw .timedOut(path, timeout) }
                throw .unreachable(path, "the connection broke: \(SocketExchange.describe(errno))")
            }
            sent += count
        }
    }

    private func receive(on descriptor: Int32, _ deadline: Deadline) throws(ClientError) -> (Int, [UInt8]) {
        var received: [UInt8] = []
        var head: Head? = nil
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let head, let length = head.contentLength, received.count - head.size >= length { break }
            guard !deadline.passed else { throw .timedOut(path, timeout) }
            setTimeout(SO_RCVTIMEO, on: descriptor, deadline)
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw .timedOut(path, timeout) }
                throw .unreachable(path, "the connection broke: \(SocketExchange.describe(errno))")
            }
            if count == 0 { break }
            received += buffer[..<count]
            if head == nil { head = try Head(parsing: received, path: path) }
        }
        guard let head else {
            throw received.isEmpty ? .unreachable(path, "the daemon closed the connection without answering")
                : .invalidAnswer("the daemon's answer ended inside its HTTP head")
        }
        let body = Array(received[head.size...])
        if let length = head.contentLength {
            guard body.count >= length else {
                throw .invalidAnswer("the daemon's answer ended after \(body.count) of \(length) bytes")
            }
            return (head.status, Array(body.prefix(length)))
        }
        return (head.status, body)
    }

    /// Bounds the next blocking call by what is left of the exchange's time.
    private func setTimeout(_ option: Int32, on descriptor: Int32, _ deadline: Deadline) {
        let left = max(deadline.secondsLeft, 0.001)
        var value = timeval(tv_sec: Int(left), tv_usec: Int((left - left.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    static func describe(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "the socket does not exist"
        case ECONNREFUSED: return "nothing is listening on it"
        case EACCES: return "permission denied (is your user in the socket's group?)"
        default: return String(cString: strerror(code))
        }
    }

    /// The status line and headers of an answer, once they have all arrived.
    struct Head {
        let status: Int
        let contentLength: Int?
        /// Bytes up to and including the blank line.
        let size: Int

        /// nil while the head is incomplete.
        init?(parsing bytes: [UInt8], path: String) throws(ClientError) {
            let end: [UInt8] = [13, 10, 13, 10]
            guard let blank = bytes.indices.dropLast(3).first(where: { bytes[$0..<$0 + 4].elementsEqual(end) }) else {
                guard bytes.count < 65_536 else { throw .invalidAnswer("the daemon's answer has an HTTP head over 64 KiB") }
                return nil
            }
            let lines = String(decoding: bytes[..<blank], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
            let statusLine = lines.first.map { $0.split(separator: " ") } ?? []
            guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
                throw .invalidAnswer("\(path) did not answer in HTTP/1.1 (is it acsearchd's socket?)")
            }
            var contentLength: Int? = nil
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].drop(while: { $0 == " " })
                if name == "content-length" {
                    guard let length = Int(value), length >= 0 else { throw .invalidAnswer("the daemon sent Content-Length \(value)") }
                    contentLength = length
                } else if name == "transfer-encoding" {
                    throw .invalidAnswer("the daemon sent Transfer-Encoding \(value), which this client does not take")
                }
            }
            self.status = status
            self.contentLength = contentLength
            size = blank + 4
        }
    }

    /// A point in time on the monotonic clock.
    struct Deadline {
        let end: Double

        init(seconds: Double) { end = Deadline.now + seconds }

        var secondsLeft: Double { end - Deadline.now }
        var passed: Bool { secondsLeft <= 0 }

        static var now: Double {
            var time = timespec()
            clock_gettime(CLOCK_MONOTONIC, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
    }
}
