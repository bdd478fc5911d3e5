import ACSearchTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A daemon shared by several services: its socket file, HTTP that is not quite
/// HTTP, and half-sent requests (issue 24), through the real acsearchd.
final class SharedServerTests: XCTestCase {
    var db: String { SampleIndex.path }

    func daemon(_ configuration: String = "header_timeout = 2\nidle_timeout = 30\n", socket: String? = nil) throws
        -> (DaemonProcess, TemporaryDirectory) {
        let folder = TemporaryDirectory("cfg")
        let file = folder.write("acsearch.toml", configuration)
        return (try DaemonProcess(arguments: ["--db", db, "--config", file], socket: socket), folder)
    }

    func send(_ socket: String, _ text: String, timeout: Double = 8) throws -> (status: Int, body: String, raw: String) {
        let descriptor = try Raw.connect(socket, timeout: timeout)
        defer { close(descriptor) }
        _ = Raw.send(descriptor, Array(text.utf8))
        let raw = String(decoding: Raw.readAll(descriptor), as: UTF8.self)
        let (status, body) = Raw.parse(raw)
        return (status, body, raw)
    }

    func inode(_ path: String) -> UInt64? {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    // MARK: - The socket file

    func testAStoppedDaemonRemovesItsOwnSocket() throws {
        let (daemon, _) = try daemon()
        XCTAssertNotNil(inode(daemon.socket))
        XCTAssertEqual(daemon.stop(), 0, daemon.logText)
        XCTAssertNil(inode(daemon.socket), "the socket file is left behind")
    }

    /// The first daemon's socket file is removed while it runs (a cleaner, an
    /// operator) and a second daemon binds the same path: the first, stopping,
    /// must leave the second's socket alone.
    func testADaemonStoppingAfterAnotherTookItsPathLeavesTheOthersSocket() throws {
        let (first, _) = try daemon()
        let path = first.socket
        XCTAssertEqual(unlink(path), 0)
        let (second, _) = try daemon(socket: path)
        defer { XCTAssertEqual(second.stop(), 0, second.logText) }
        let secondInode = try XCTUnwrap(inode(path))
        XCTAssertEqual(first.stop(), 0, first.logText)
        XCTAssertEqual(inode(path), secondInode, "the first daemon deleted the second's socket")
        XCTAssertEqual(try second.json("/v1/health").status, 200, "the second daemon is still reachable")
    }

    // MARK: - Malformed HTTP

    func testMalformedHTTPGetsTheJSONErrorBodyOfEvery4xx() throws {
        let (daemon, _) = try daemon()
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        let cases = [
            "negative Content-Length": "GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
            "a space in the header name": "GET /v1/health HTTP/1.1\r\nHo st: x\r\n\r\n",
            "not HTTP at all": "HELLO\r\n\r\n",
            "two Content-Lengths": "GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        ]
        for (name, request) in cases {
            let answer = try send(daemon.socket, request)
            XCTAssertEqual(answer.status, 400, "\(name): \(answer.raw)")
            XCTAssertTrue(answer.raw.lowercased().contains("content-type: application/json"), "\(name): \(answer.raw)")
            let object = try XCTUnwrap(try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
                                       "\(name): the body is not JSON: \(answer.raw)")
            let error = try XCTUnwrap(object["error"] as? [String: Any], name)
            XCTAssertEqual(error["status"] as? Int, 400, name)
            XCTAssertEqual(error["code"] as? String, "malformed_request", name)
            XCTAssertFalse((error["message"] as? String ?? "").isEmpty, name)
            XCTAssertEqual(try daemon.json("/v1/health").status, 200, "alive after \(name)")
        }
    }

    func testAnAbsoluteFormRequestTargetIsServed() throws {
        let (daemon, _) = try daemon()
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        let health = try send(daemon.socket, "GET http://localhost/v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(health.status, 200, health.raw)
        XCTAssertTrue(health.body.contains("\"ok\""), health.body)
        let search = try send(daemon.socket, "GET HTTP://acsearch/v1/search?q=hai+duong&limit=1 HTTP/1.1\r\nHost: acsearch\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(search.status, 200, search.raw)
        XCTAssertTrue(search.body.contains("\"hits\""), search.body)
    }

    // MARK: - Half-sent requests

    /// A head announcing a body that never comes is answered 408 and closed within
    /// the header timeout (2 s here; the idle timeout is 30 s), so such requests
    /// cannot hold every connection slot: the client after them is served.
    func testAHalfSentBodyGets408AndFreesItsConnectionSlot() throws {
        let (daemon, _) = try daemon("header_timeout = 2\nidle_timeout = 30\nmax_connections = 4\n")
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        let stuck = try (0..<4).map { _ -> CInt in
            // recv gives up after 10 s: well before the 30 s idle timeout, well after the 2 s header timeout.
            let descriptor = try Raw.connect(daemon.socket, timeout: 10)
            _ = Raw.send(descriptor, Array("GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n".utf8))
            return descriptor
        }
        defer { stuck.forEach { close($0) } }
        for descriptor in stuck {
            let answer = String(decoding: Raw.readAll(descriptor), as: UTF8.self)
            XCTAssertTrue(answer.hasPrefix("HTTP/1.1 408"), "half-sent request: \(answer)")
            XCTAssertTrue(answer.contains("\"request_rejected\""), answer)
            XCTAssertTrue(answer.lowercased().contains("connection: close"), answer)
        }
        XCTAssertEqual(try daemon.json("/v1/health").status, 200, "a connection slot was free again")
        // A body that does come in time is still read, and the request answered.
        let complete = try send(daemon.socket, "GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
        XCTAssertEqual(complete.status, 200, complete.raw)
    }
}
