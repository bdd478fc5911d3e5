import ACSearchTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Malformed and hostile HTTP, by hand: each is answered with a 4xx or a clean
/// close within the header timeout, memory stays bounded, and real clients are
/// served meanwhile.
final class HostileClientTests: XCTestCase {
    var db: String { SampleIndex.path }

    func daemon(_ configuration: String = "header_timeout = 2\nidle_timeout = 3\n") throws -> (DaemonProcess, TemporaryDirectory) {
        let folder = TemporaryDirectory("cfg")
        let file = folder.write("acsearch.toml", configuration)
        return (try DaemonProcess(arguments: ["--db", db, "--config", file]), folder)
    }

    func send(_ daemon: DaemonProcess, _ text: String) throws -> String {
        let descriptor = try Raw.connect(daemon.socket, timeout: 5)
        defer { close(descriptor) }
        _ = Raw.send(descriptor, Array(text.utf8))
        return String(decoding: Raw.readAll(descriptor), as: UTF8.self)
    }

    func status(_ daemon: DaemonProcess, _ text: String) throws -> Int { Raw.parse(try send(daemon, text)).status }

    func residentKiB(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    func testMalformedRequestsGetA4xxAndTheDaemonLivesOn() throws {
        let (daemon, _) = try daemon()
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        let cases: [(String, String, ClosedRange<Int>)] = [
            ("bare LF line ends", "GET /v1/health HTTP/1.1\nHost: x\nConnection: close\n\n", 400...400),
            ("absurd Content-Length", "GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400...413),
            ("negative Content-Length", "GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400...400),
            ("NUL in the path", "GET /v1/hea\u{0}lth HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400...400),
            ("percent-encoded NUL", "GET /v1/search?q=a%00b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400...400),
            ("invalid UTF-8 in the query", "GET /v1/search?q=%FF%FE%C3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400...400),
            ("invalid UTF-8 in a document id", "GET /v1/documents/%C0%AF HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400...404),
            ("no Host, HTTP/1.1", "GET /v1/health HTTP/1.1\r\nConnection: close\r\n\r\n", 200...400),
            ("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400...505),
            ("a 64 KiB path", "GET /v1/search?q=" + String(repeating: "a", count: 65_536) + " HTTP/1.1\r\nHost: x\r\n\r\n", 400...431),
            ("deeply nested query", "GET /v1/search?q=" + String(repeating: "(", count: 450) + "a" + String(repeating: ")", count: 450)
                + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 200...400),
            ("nested beyond the length limit", "GET /v1/search?q=" + String(repeating: "(", count: 5_000) + "a"
                + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400...400),
        ]
        for (name, request, expected) in cases {
            let answer = try status(daemon, request)
            XCTAssertTrue(expected.contains(answer), "\(name): \(answer)")
            XCTAssertEqual(try daemon.json("/v1/health").status, 200, "alive after: \(name)")
        }
    }

    func testPipelinedRequestsAreAnsweredInOrder() throws {
        let (daemon, _) = try daemon()
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let answer = try send(daemon, "GET /v1/search?q=hai+duong&limit=1 HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /v1/nothing HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let statuses = answer.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix(3) }
        XCTAssertEqual(statuses, ["200", "404", "200"])
    }

    /// A client that pipelines a thousand searches and reads none of the answers: the
    /// daemon answers only what fits the connection's buffers and stops reading, so
    /// answers do not pile up in its memory; once the client reads, every one arrives,
    /// in order.
    func testAClientThatReadsNoAnswersIsNotAnsweredAheadOfItsReading() throws {
        let (daemon, _) = try daemon("header_timeout = 20\nidle_timeout = 30\n")
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        let served = { try daemon.json("/v1/status").object["requests_served"] as? Int ?? -1 }
        let before = try served()
        let descriptor = try Raw.connect(daemon.socket, timeout: 10)
        defer { close(descriptor) }
        let request = "GET /v1/search?q=inspections HTTP/1.1\r\nHost: x\r\n\r\n"
        let count = 1_000
        // The last request asks to close, so the answers end where the connection does.
        let requests = String(repeating: request, count: count - 1) + "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let sender = Thread { _ = Raw.send(descriptor, Array(requests.utf8)) }
        sender.start()
        usleep(1_500_000)  // the time in which the daemon may answer only what fits its buffers
        let answeredUnread = try served() - before - 1
        XCTAssertLessThan(answeredUnread, count / 4, "answers made for a client that reads none of them")
        // Now read: every answer comes, in order, the last one too.
        let text = String(decoding: Raw.readAll(descriptor), as: UTF8.self)
        XCTAssertEqual(text.components(separatedBy: "HTTP/1.1 200 OK").count - 1, count)
        XCTAssertTrue(text.hasSuffix("{\"status\":\"ok\"}\n"), String(text.suffix(200)))
    }

    func testAHalfClosedClientStillGetsItsAnswer() throws {
        let (daemon, _) = try daemon()
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let descriptor = try Raw.connect(daemon.socket, timeout: 5)
        defer { close(descriptor) }
        _ = Raw.send(descriptor, Array("GET /v1/search?q=hai+duong HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        shutdown(descriptor, Int32(SHUT_WR))
        let answer = Raw.parse(String(decoding: Raw.readAll(descriptor), as: UTF8.self))
        XCTAssertEqual(answer.status, 200)
        XCTAssertTrue(answer.body.contains("hits"))
    }

    func testAClientSendingOneByteAtATimeIsCutOffAtTheHeaderTimeout() throws {
        let (daemon, _) = try daemon()
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let descriptor = try Raw.connect(daemon.socket, timeout: 6)
        defer { close(descriptor) }
        let started = Date()
        // Each byte well inside any per-read timeout; the head's deadline is what counts.
        for byte in Array("GET /v1/search?q=hai+duong HTTP/1.1\r\nHost: x\r\n\r\n".utf8) {
            guard Raw.send(descriptor, [byte]) else { break }
            usleep(250_000)
            if Date().timeIntervalSince(started) > 4 { break }
        }
        let answer = Raw.parse(String(decoding: Raw.readAll(descriptor), as: UTF8.self))
        XCTAssertEqual(answer.status, 408)
        XCTAssertLessThan(Date().timeIntervalSince(started), 4, "cut off by the 2 s header timeout")
    }

    func testAnEndlessChunkedBodyIsCutOff() throws {
        let (daemon, _) = try daemon()
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let descriptor = try Raw.connect(daemon.socket, timeout: 5)
        defer { close(descriptor) }
        _ = Raw.send(descriptor, Array("GET /v1/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
        let chunk = Array("1000\r\n".utf8) + [UInt8](repeating: 0x61, count: 4096) + Array("\r\n".utf8)
        var sent = 0
        while sent < 64 << 20, Raw.send(descriptor, chunk) { sent += chunk.count }
        XCTAssertLessThan(sent, 64 << 20, "the daemon stopped reading long before 64 MiB")
        let answer = Raw.parse(String(decoding: Raw.readAll(descriptor), as: UTF8.self))
        XCTAssertTrue([0, 413].contains(answer.status), "refused (413), or closed before the answer was read: \(answer.status)")
        XCTAssertEqual(try daemon.json("/v1/health").status, 200)
    }

    func testAThousandIdleConnectionsNeitherStarveRealClientsNorGrowMemory() throws {
        let (daemon, _) = try daemon("header_timeout = 2\nidle_timeout = 3\nmax_connections = 1100\n")
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        _ = try daemon.json("/v1/search?q=hai+duong")
        let before = residentKiB(daemon.process.processIdentifier)
        let idle = try (0..<1_000).map { _ in try Raw.connect(daemon.socket, timeout: 6) }
        defer { idle.forEach { close($0) } }
        // Half of them start a request and never finish it.
        for descriptor in idle.prefix(500) { _ = Raw.send(descriptor, Array("GET /v1/sea".utf8)) }
        let started = Date()
        XCTAssertEqual(try daemon.json("/v1/search?q=hai+duong").status, 200, "a real client is served meanwhile")
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5)
        let during = residentKiB(daemon.process.processIdentifier)
        // Every idle connection is answered (408) or closed by the header timeout.
        var closed = 0
        for descriptor in idle {
            let answer = Raw.readAll(descriptor)
            let text = String(decoding: answer, as: UTF8.self)
            if answer.isEmpty || text.hasPrefix("HTTP/1.1 408") { closed += 1 }
        }
        XCTAssertEqual(closed, 1_000)
        XCTAssertLessThan(Date().timeIntervalSince(started), 6, "all cut off within the header timeout")
        if !Run.sanitized {  // a sanitizer's quarantine and shadow memory make RSS meaningless
            XCTAssertLessThan(during - before, 64 * 1024, "resident memory grew by \((during - before) / 1024) MiB for 1,000 connections")
        }
        XCTAssertEqual(try daemon.json("/v1/health").status, 200)
    }

    func testTheDaemonNeedsNoWriteAccessToTheIndex() throws {
        guard getuid() == 0 else { throw XCTSkip("a read-only bind mount needs root") }
        let folder = TemporaryDirectory("ro")
        let readOnly = folder.child("index")
        try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: true)
        guard try Run.process("/bin/mount", ["--bind", db, readOnly]).status == 0 else { throw XCTSkip("cannot bind-mount here") }
        defer { _ = try? Run.process("/bin/umount", ["-l", readOnly]) }
        XCTAssertEqual(try Run.process("/bin/mount", ["-o", "remount,bind,ro", readOnly]).status, 0)
        XCTAssertFalse(FileManager.default.createFile(atPath: readOnly + "/probe", contents: Data()), "the mount is read-only")
        let daemon = try DaemonProcess(arguments: ["--db", readOnly])
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        XCTAssertEqual(try daemon.json("/v1/search?q=hai+duong").status, 200)
        XCTAssertEqual(try daemon.json("/v1/status").status, 200)
    }
}

/// The daemon killed with SIGKILL under load, its socket held as systemd holds it
/// (Tests/Tools/socket-supervisor): requests that arrive while it is down wait in
/// the socket's backlog and are answered by the restarted daemon.
final class SupervisedRestartTests: XCTestCase {
    func testKilledUnderLoadTheRestartedDaemonAnswersWhatQueued() throws {
        let work = TemporaryDirectory("sup")
        let socketPath = work.child("s.sock"), pidFile = work.child("pid")
        let supervisor = Process()
        supervisor.executableURL = Checkout.root.appendingPathComponent("Tests/Tools/socket-supervisor")
        supervisor.arguments = [socketPath, pidFile, "1", Checkout.executable("acsearchd"), "--db", SampleIndex.path]
        supervisor.environment = ProcessInfo.processInfo.environment.merging(["ACSEARCH_DATA": Checkout.indexDirectory]) { $1 }
        supervisor.standardError = FileHandle.nullDevice
        try supervisor.run()
        defer { if supervisor.isRunning { kill(supervisor.processIdentifier, SIGKILL) } }
        @Sendable func get(_ path: String) -> Int {
            (try? Raw.request(socket: socketPath, bytes: Array("GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)).status) ?? 0
        }
        XCTAssertTrue(waitUntil(timeout: 20, interval: 0.05) { get("/v1/health") == 200 }, "the daemon never answered")

        let statuses = LockedArray<Int>()
        let stop = LockedArray<Int>()
        let load = (0..<3).map { _ in
            Thread { while stop.count == 0 { statuses.append(get("/v1/search?q=hai+duong+inspections")) } }
        }
        load.forEach { $0.start() }
        XCTAssertTrue(waitUntil(timeout: 30) { statuses.count >= 30 }, "the load was never answered")
        let pid = try XCTUnwrap(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).split(separator: " ")[0]))
        kill(pid, SIGKILL)
        // While no daemon runs (the supervisor waits a second, as RestartSec=1),
        // these connect and send; they wait in the backlog.
        let queued = try (0..<20).map { n -> CInt in
            let descriptor = try Raw.connect(socketPath, timeout: 15)
            _ = Raw.send(descriptor, Array("GET /v1/search?q=inspection&offset=\(n) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            return descriptor
        }
        let answers = queued.map { descriptor -> Int in
            defer { close(descriptor) }
            return Raw.parse(String(decoding: Raw.readAll(descriptor), as: UTF8.self)).status
        }
        XCTAssertEqual(answers, Array(repeating: 200, count: 20), "every queued request answered by the new daemon")
        let after = statuses.count
        XCTAssertTrue(waitUntil(timeout: 30) { statuses.count >= after + 30 }, "the new daemon did not take the load")
        stop.append(1)
        XCTAssertTrue(waitUntil(timeout: 30) { !load.contains(where: { !$0.isFinished }) }, "a client never returned")
        // Only requests in flight inside the killed daemon can be lost: one per client at most.
        XCTAssertLessThanOrEqual(statuses.values.filter { $0 != 200 }.count, 3, "\(statuses.values.filter { $0 != 200 })")
        XCTAssertTrue(try String(contentsOfFile: pidFile, encoding: .utf8).hasSuffix(" 2\n"), "restarted once")

        kill(supervisor.processIdentifier, SIGTERM)
        supervisor.waitUntilExit()
        XCTAssertEqual(supervisor.terminationStatus, 0, "SIGTERM: the daemon drained and exited 0")
    }
}
