import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's NOTIFY_SOCKET: the daemon tells it
/// when it is ready and when it stops.
public final class NotifySocket {
    public let path: String
    private let descriptor: CInt

    public init(path: String) throws {
        self.path = path
        unlink(path)
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = Raw.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard descriptor >= 0, bound == 0 else { throw Raw.Failure("cannot bind \(path)") }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// The next message, or nil after `timeout` seconds.
    public func receive(timeout: Double) -> String? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer.prefix(count), as: UTF8.self) : nil
    }

    /// Waits for a message containing `state` ("READY=1").
    public func wait(for state: String, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let message = receive(timeout: deadline.timeIntervalSinceNow), message.contains(state) { return true }
        }
        return false
    }
}

/// The real acsearchd, started for a test and stopped with it.
// @unchecked: requests from several test threads only read `socket`; `process` is
// driven by the test thread alone.
public final class DaemonProcess: @unchecked Sendable {
    public let process = Process()
    public let socket: String
    public let notify: NotifySocket
    public let log: String
    private let directory: TemporaryDirectory

    /// Starts `acsearchd arguments... --socket SOCKET` and waits until it says READY=1;
    /// `socket` names a path of the caller's instead of a fresh one.
    public init(arguments: [String], environment: [String: String] = [:], launcher: [String] = [],
                socket: String? = nil) throws {
        directory = TemporaryDirectory("d")
        self.socket = socket ?? directory.child("s.sock")
        log = directory.child("log")
        notify = try NotifySocket(path: directory.child("n.sock"))
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = notify.path
        env["ACSEARCH_DATA"] = Checkout.indexDirectory
        for (key, value) in environment { env[key] = value }
        let daemon = Checkout.executable("acsearchd")
        if launcher.isEmpty {
            process.executableURL = URL(fileURLWithPath: daemon)
            process.arguments = arguments + ["--socket", self.socket]
        } else {
            process.executableURL = URL(fileURLWithPath: launcher[0])
            process.arguments = Array(launcher.dropFirst()) + [self.socket, daemon] + arguments
        }
        process.environment = env
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        if !launcher.isEmpty { return }  // socket activation: it starts on the first connection
        guard notify.wait(for: "READY=1", timeout: 20) else {
            process.terminate()
            throw Raw.Failure("acsearchd did not become ready: \(logText)")
        }
    }

    public var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM and returns the exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// GET path (already encoded); the status and the body.
    public func get(_ path: String) throws -> (status: Int, body: String) {
        try Raw.request(socket: socket, bytes: Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8))
    }

    public func json(_ path: String) throws -> (status: Int, object: [String: Any]) {
        let (status, body) = try get(path)
        let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        return (status, object)
    }

    /// The ids of a search's hits in rank order, at most `limit`; a search not answered
    /// 200 throws, with what the daemon answered.
    public func hitIDs(_ query: String, limit: Int = 20) throws -> [String] {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        let (status, object) = try json("/v1/search?q=\(encoded)&limit=\(limit)")
        guard status == 200 else { throw Raw.Failure("\(query): answered \(status): \(object)") }
        return (object["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }
}

/// HTTP by hand over a Unix socket, so tests can send what no client would.
public enum Raw {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() where index < buffer.count - 1 { buffer[index] = byte }
        }
        return address
    }

    /// Connects, or fails.
    public static func connect(_ path: String, timeout: Double = 10) throws -> CInt {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = address(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            close(descriptor)
            throw Failure("cannot connect to \(path): \(String(cString: strerror(errno)))")
        }
        var time = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        return descriptor
    }

    public static func send(_ descriptor: CInt, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    /// Everything the server sends until it closes (or the timeout).
    public static func readAll(_ descriptor: CInt) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            out += buffer.prefix(count)
        }
        return out
    }

    /// Sends raw bytes, reads the whole answer; the first status and the body.
    public static func request(socket path: String, bytes: [UInt8], timeout: Double = 10) throws -> (status: Int, body: String) {
        let descriptor = try connect(path, timeout: timeout)
        defer { close(descriptor) }
        _ = send(descriptor, bytes)
        let response = String(decoding: readAll(descriptor), as: UTF8.self)
        return parse(response)
    }

    public static func parse(_ response: String) -> (status: Int, body: String) {
        let status = response.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
        let body = response.range(of: "\r\n\r\n").map { String(response[$0.upperBound...]) } ?? ""
        return (status, body)
    }
}

/// The sample corpus indexed once per test process by the real acsearch-index, for
/// tests that only read it.
public enum SampleIndex {
    private static let directory: TemporaryDirectory = {
        let directory = TemporaryDirectory("sample")
        let run = try! Run.process(Checkout.executable("acsearch-index"), ["--db", directory.child("db"), Checkout.corpus])
        precondition(run.status == 0, "acsearch-index failed on the sample corpus: \(run.stderr)")
        // A static is never deinitialised: remove the folder when the test process ends.
        atexit { try? FileManager.default.removeItem(atPath: SampleIndex.directory.path) }
        return directory
    }()

    public static var path: String { directory.child("db") }
}

/// The judged relevance set's documents (index/eval/documents) indexed once per test
/// process by the real acsearch-index: documents written to tell words from
/// syllables and numbers from their mentions.
public enum EvalIndex {
    private static let directory: TemporaryDirectory = {
        let directory = TemporaryDirectory("eval")
        let documents = Checkout.root.appendingPathComponent("index/eval/documents").path
        let run = try! Run.process(Checkout.executable("acsearch-index"), ["--db", directory.child("db"), documents])
        precondition(run.status == 0, "acsearch-index failed on the relevance set: \(run.stderr)")
        atexit { try? FileManager.default.removeItem(atPath: EvalIndex.directory.path) }
        return directory
    }()

    public static var path: String { directory.child("db") }
}
