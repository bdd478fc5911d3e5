import ACSearchDaemon
import ACSearchIndex
import ACSearchTestSupport
import Foundation
import Logging
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class DaemonBehaviourTests: XCTestCase {
    var db: String { SampleIndex.path }

    func testWatchdogPings() throws {
        let daemon = try DaemonProcess(arguments: ["--db", db], environment: ["WATCHDOG_USEC": "200000"])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        XCTAssertTrue(daemon.notify.wait(for: "WATCHDOG=1", timeout: 2))
        XCTAssertTrue(daemon.notify.wait(for: "WATCHDOG=1", timeout: 2), "and again")
    }

    func testSIGHUPReloadsTheConfiguration() throws {
        let config = TemporaryDirectory("hup")
        let file = config.write("acsearch.toml", "log_level = \"info\"\n")
        let daemon = try DaemonProcess(arguments: ["--db", db, "--config", file])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        config.write("acsearch.toml", "log_level = \"debug\"\n")
        kill(daemon.process.processIdentifier, SIGHUP)
        XCTAssertTrue(daemon.notify.wait(for: "READY=1", timeout: 5), "RELOADING=1 then READY=1")
        XCTAssertTrue(daemon.logText.contains("configuration reloaded"), daemon.logText)
        _ = try daemon.get("/v1/health")
        // Debug level now: connections are logged with the peer's credentials.
        XCTAssertTrue(try waitUntil(timeout: 3) {
            _ = try daemon.get("/v1/health")
            return daemon.logText.contains("uid=\(getuid())")
        }, daemon.logText)
        // A broken file is refused and the daemon keeps going.
        config.write("acsearch.toml", "log_level = \"loud\"\n")
        kill(daemon.process.processIdentifier, SIGHUP)
        XCTAssertTrue(daemon.notify.wait(for: "READY=1", timeout: 5))
        XCTAssertTrue(daemon.logText.contains("configuration not reloaded"), daemon.logText)
        XCTAssertEqual(try daemon.get("/v1/health").status, 200)
    }

    func testTheOpenFileLimitIsRaisedToServeMaxConnections() throws {
        // Started as systemd starts services by default: a soft limit far below what
        // max_connections needs, a higher hard limit.
        let folder = TemporaryDirectory("nofile")
        let socketPath = folder.child("s.sock")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        process.arguments = ["--nofile=128:8192", "--", Checkout.executable("acsearchd"), "--db", db, "--socket", socketPath]
        process.environment = ["ACSEARCH_DATA": Checkout.indexDirectory].merging(Run.sanitizerSettings) { mine, _ in mine }
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { kill(process.processIdentifier, SIGTERM); process.waitUntilExit() }
        XCTAssertTrue(waitUntil(timeout: 10, interval: 0.02) { Raw.isListening(socketPath) }, "the daemon never listened")
        // prlimit execs the daemon: same pid. 256 connections (the default) + 256 spare.
        let limits = try String(contentsOfFile: "/proc/\(process.processIdentifier)/limits", encoding: .utf8)
        let line = try XCTUnwrap(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        XCTAssertEqual(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).first, "512", String(line))
    }

    /// Readers carry their names (top -H, perf, gdb): Linux takes at most 15 bytes.
    func testReaderThreadsAreNamed() throws {
        let daemon = try DaemonProcess(arguments: ["--db", db, "--workers", "2"])
        defer { daemon.stop() }
        XCTAssertEqual(try daemon.get("/v1/search?q=thanh+tra").status, 200)  // readers start with the first job
        let tasks = "/proc/\(daemon.process.processIdentifier)/task"
        let names = try FileManager.default.contentsOfDirectory(atPath: tasks).compactMap {
            try? String(contentsOfFile: "\(tasks)/\($0)/comm", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        XCTAssertEqual(Set(names.filter { $0.hasPrefix("acsearchd-rd-") }), ["acsearchd-rd-0", "acsearchd-rd-1"], "\(names)")
    }

    func testConnectionLimitAnswers503() throws {
        let config = TemporaryDirectory("max")
        let file = config.write("acsearch.toml", "max_connections = 2\n")
        let daemon = try DaemonProcess(arguments: ["--db", db, "--config", file])
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        let idle = try (0..<2).map { _ in try Raw.connect(daemon.socket) }
        defer { idle.forEach { close($0) } }
        // Until the daemon has accepted both, a third connection may still be served.
        var refused = try daemon.json("/v1/health")
        try waitUntil(timeout: 5) {
            refused = try daemon.json("/v1/health")
            return refused.status == 503
        }
        XCTAssertEqual(refused.status, 503)
        XCTAssertEqual((refused.object["error"] as? [String: Any])?["code"] as? String, "too_many_connections")
    }

    func testOverloadedPoolRefusesInsteadOfQueueingForever() throws {
        let resources = try AnalysisResources(directory: Checkout.indexDirectory)
        let pool = ReaderPool(workers: 1, maxQueue: 0, logger: Logger(label: "test")) {
            try Searcher(shards: [.local(path: SampleIndex.path)], resources: resources)
        }
        defer { pool.shutdown() }
        let gate = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let results = LockedArray<Result<Int, any Error>>()
        try pool.submit({ _ in
            started.signal()
            gate.wait()
            return 1
        }, done: { result in
            results.append(result)
            finished.signal()
        })
        // Wait until the one worker is busy.
        XCTAssertEqual(started.wait(timeout: .now() + 10), .success, "the worker never took the job")
        XCTAssertThrowsError(try pool.submit({ _ in 2 }, done: { _ in XCTFail("a refused job must not run") })) { error in
            XCTAssertTrue(error is ReaderPool.Overloaded, "\(error)")
        }
        gate.signal()
        finished.wait()
        XCTAssertEqual(try results.values.first?.get(), 1)
    }

    /// A job runs on a reader with its Searcher, and a job's error comes back as its
    /// result, not lost: the router turns it into an answer.
    func testPoolJobsGetTheirSearcherAndTheirErrorsBack() throws {
        let resources = try AnalysisResources(directory: Checkout.indexDirectory)
        let pool = ReaderPool(workers: 1, maxQueue: 4, logger: Logger(label: "test")) {
            try Searcher(shards: [.local(path: SampleIndex.path)], resources: resources)
        }
        defer { pool.shutdown() }
        struct Refused: Error {}
        let results = LockedArray<Result<Int, any Error>>()
        let done = DispatchSemaphore(value: 0)
        try pool.submit({ try $0.statistics().documents }, done: { results.append($0); done.signal() })
        try pool.submit({ _ -> Int in throw Refused() }, done: { results.append($0); done.signal() })
        done.wait()
        done.wait()
        let all = results.values
        XCTAssertEqual(all.count, 2)
        let (counted, failed) = (all[0], all[1])
        XCTAssertGreaterThan(try counted.get(), 0)
        XCTAssertThrowsError(try failed.get()) { XCTAssertTrue($0 is Refused, "\($0)") }
        pool.shutdown()
        XCTAssertThrowsError(try pool.submit({ _ in 0 }, done: { _ in })) { XCTAssertTrue($0 is ReaderPool.Stopped, "\($0)") }
    }

    func testConfigurationPrecedenceFileThenEnvironment() throws {
        var configuration = DaemonConfiguration()
        try configuration.apply(toml: "socket = \"/from/file.sock\"\nworkers = 4\nlog_level = \"debug\"", source: "file")
        try configuration.apply(environment: ["ACSEARCHD_SOCKET": "/from/env.sock", "ACSEARCHD_WORKERS": "3"])
        XCTAssertEqual(configuration.socket, "/from/env.sock")
        XCTAssertEqual(configuration.workers, 3)
        XCTAssertEqual(configuration.logLevel, "debug", "what the environment does not set, the file does")
        XCTAssertThrowsError(try configuration.apply(environment: ["ACSEARCHD_WORKERS": "many"]))
        XCTAssertThrowsError(try configuration.apply(toml: "workers = \"two\"", source: "file"))
        XCTAssertThrowsError(try configuration.apply(toml: "this is not toml", source: "file"))
    }
}

import ACSearchAnalysis

final class SocketAccessTests: XCTestCase {
    /// The socket is 0660: a user outside its group is refused by the kernel, the
    /// owner's side is served (run as root, as CI is; `nobody` is the outsider).
    func testUserOutsideTheGroupIsRefusedAndAMemberIsServed() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("needs root and setpriv")
        }
        // The socket's group is "adm"; nobody is not in it unless given it.
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path],
                                       environment: ["ACSEARCHD_SOCKET_GROUP": "adm", "ACSEARCHD_LOG_LEVEL": "debug"])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        var status = stat()
        XCTAssertEqual(stat(daemon.socket, &status), 0)
        XCTAssertEqual(status.st_gid, 4, "the socket belongs to the configured group")
        XCTAssertEqual(status.st_mode & 0o777, 0o660)
        // The outsider must be able to reach the folder, so only the socket's mode decides.
        chmod((daemon.socket as NSString).deletingLastPathComponent, 0o755)
        let cli = Checkout.executable("acsearch")
        chmod(Checkout.products.path, 0o755)
        let asNobody = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]
        let outsider = try Run.process("/usr/bin/setpriv", asNobody + [cli, "status", "--socket", daemon.socket])
        XCTAssertEqual(outsider.status, 3, outsider.stderr)
        XCTAssertTrue(outsider.stderr.contains("permission denied"), outsider.stderr)
        let member = try Run.process("/usr/bin/setpriv", ["--reuid=nobody", "--regid=nogroup", "--groups=adm", "--",
                                                          cli, "status", "--socket", daemon.socket])
        XCTAssertEqual(member.status, 0, member.stderr)
        // The peer's uid (SO_PEERCRED) is logged with the connection, at debug level.
        let nobody = getpwnam("nobody").pointee.pw_uid
        XCTAssertTrue(waitUntil(timeout: 3, interval: 0.02) { daemon.logText.contains("uid=\(nobody)") }, daemon.logText)
    }
}
