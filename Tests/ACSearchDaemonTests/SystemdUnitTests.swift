import ACSearchDaemon
import ACSearchIndex
import ACSearchTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The units under systemd/, proven without a running systemd.
final class SystemdUnitTests: XCTestCase {
    static let units = ["acsearchd.socket", "acsearchd.service", "acsearch-index.service", "acsearch-index.timer",
                        "acsearch-index.path", "acsearch-shard@.service"]
    let unitDirectory = Checkout.root.appendingPathComponent("systemd")

    /// The units with their binaries pointed at this build (verify checks they exist).
    func unitsForThisBuild() throws -> TemporaryDirectory {
        let directory = TemporaryDirectory("units")
        for unit in SystemdUnitTests.units {
            directory.write(unit, try self.unit(unit).replacingOccurrences(of: "/usr/local/bin/", with: Checkout.products.path + "/"))
        }
        return directory
    }

    func unit(_ name: String) throws -> String {
        try String(contentsOf: unitDirectory.appendingPathComponent(name), encoding: .utf8)
    }

    /// The value of `Key=` in a unit (the last one wins, as in systemd).
    func setting(_ key: String, in unit: String) throws -> String? {
        try self.unit(unit).split(separator: "\n").last { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    func testEveryUnitVerifies() throws {
        let units = try unitsForThisBuild()
        // A template is verified through an instance.
        units.write("acsearch-shard@7001.service", try unit("acsearch-shard@.service"))
        let files = SystemdUnitTests.units.filter { !$0.hasSuffix("@.service") } + ["acsearch-shard@7001.service"]
        let run = try Run.process("/usr/bin/systemd-analyze", ["verify", "--man=no"] + files.map(units.child))
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertFalse(run.stderr.contains("Unknown"), run.stderr)
    }

    func testSecurityExposure() throws {
        let units = try unitsForThisBuild()
        units.write("acsearch-shard@7001.service", try unit("acsearch-shard@.service"))
        for (unit, limit) in [("acsearchd.service", 1.5), ("acsearch-index.service", 3.0), ("acsearch-shard@7001.service", 5.0)] {
            let run = try Run.process("/usr/bin/systemd-analyze", ["security", "--offline=yes", units.child(unit)])
            let line = (run.stdout + run.stderr).split(separator: "\n").first { $0.contains("Overall exposure level") }
            let score = line.flatMap { $0.split(separator: ":").last?.split(separator: " ").first }.flatMap { Double($0) }
            let exposure = try XCTUnwrap(score, run.stdout + run.stderr)
            XCTAssertLessThanOrEqual(exposure, limit, "\(unit): \(line ?? "")")
        }
    }

    func testEveryHardeningDirectiveSaysWhy() throws {
        for unit in SystemdUnitTests.units {
            let lines = try self.unit(unit).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (index, line) in lines.enumerated() where line.contains("=") && !line.hasPrefix("#") {
                let key = String(line.prefix { $0 != "=" })
                guard ["Protect", "Private", "Restrict", "Capability", "SystemCall", "NoNew", "MemoryDeny", "Lock"]
                    .contains(where: key.hasPrefix) else { continue }
                // The directive, or the block it belongs to, is introduced by a comment.
                var above = index - 1
                while above >= 0, !lines[above].hasPrefix("#"), !lines[above].isEmpty { above -= 1 }
                XCTAssertTrue(above >= 0 && lines[above].hasPrefix("#"), "\(unit): \(line) has no comment")
            }
        }
    }

    func testSocketIsGroupOnlyAndIndexerStandsDownAsSuccess() throws {
        XCTAssertEqual(try setting("SocketMode", in: "acsearchd.socket"), "0660")
        XCTAssertEqual(try setting("SocketGroup", in: "acsearchd.socket"), "acsearch")
        XCTAssertEqual(try setting("ListenStream", in: "acsearchd.socket"), "/run/acsearch/acsearch.sock")
        XCTAssertEqual(try setting("Type", in: "acsearchd.service"), "notify")
        XCTAssertEqual(try setting("SuccessExitStatus", in: "acsearch-index.service"), "75")
        XCTAssertEqual(try setting("Persistent", in: "acsearch-index.timer"), "true")
    }

    /// Both programs find the watch store where the units let them write: beside the
    /// index the indexer's service line names, which is the daemon's default too.
    func testTheWatchStoreIsWhereBothUnitsMayWrite() throws {
        let exec = try XCTUnwrap(try setting("ExecStart", in: "acsearch-index.service"))
        let words = exec.split(separator: " ").map(String.init)
        let db = try XCTUnwrap(words.firstIndex(of: "--db").map { words[$0 + 1] })
        let store = WatchStore.beside(index: db)
        XCTAssertEqual(DaemonConfiguration().watchStore, store, "the daemon's default store is the indexer's")
        for name in ["acsearchd.service", "acsearch-index.service"] {
            let writable = try unit(name).split(separator: "\n").filter { $0.hasPrefix("ReadWritePaths=") }
                .flatMap { $0.dropFirst("ReadWritePaths=".count).split(separator: " ") }
                .map { $0.hasPrefix("-") ? String($0.dropFirst()) : String($0) }
            XCTAssertTrue(writable.contains(store), "\(name) may not write \(store): \(writable)")
        }
        let install = try String(contentsOf: Checkout.root.appendingPathComponent("scripts/install"), encoding: .utf8)
        XCTAssertTrue(install.contains("-o acsearch -g acsearch -m 0750 \(store)"), "scripts/install makes \(store) for the acsearch user")
    }

    /// acsearchd as its service line starts it, under systemd-socket-activate on the
    /// socket the socket unit configures (moved to a temporary folder).
    func testDaemonStartsAsTheServiceLineSays() throws {
        let launcher = "/usr/bin/systemd-socket-activate"
        guard FileManager.default.isExecutableFile(atPath: launcher) else { throw XCTSkip("no systemd-socket-activate") }
        let work = TemporaryDirectory("svc")
        let index = SampleIndex.path
        let config = work.write("acsearch.toml", try unit("acsearch.toml")
            .replacingOccurrences(of: "/var/lib/acsearch/index", with: index)
            .replacingOccurrences(of: "/usr/local/share/acsearch", with: Checkout.indexDirectory))
        let execStart = try XCTUnwrap(try setting("ExecStart", in: "acsearchd.service"))
            .replacingOccurrences(of: "/usr/local/bin/", with: Checkout.products.path + "/")
            .replacingOccurrences(of: "/etc/acsearch/acsearch.toml", with: config)
        let listen = try XCTUnwrap(try setting("ListenStream", in: "acsearchd.socket"))
        let socket = work.child((listen as NSString).lastPathComponent)
        let notify = try NotifySocket(path: work.child("notify"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher)
        let passed = Run.sanitizerSettings.keys.sorted().flatMap { ["-E", $0] }
        process.arguments = ["-E", "NOTIFY_SOCKET"] + passed + ["-l", socket] + execStart.split(separator: " ").map(String.init)
        process.environment = ["NOTIFY_SOCKET": notify.path, "PATH": "/usr/bin:/bin"].merging(Run.sanitizerSettings) { mine, _ in mine }
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        XCTAssertTrue(waitUntil(timeout: 10) { FileManager.default.fileExists(atPath: socket) }, "no socket")
        let answer = try Raw.request(socket: socket, bytes: Array("GET /v1/search?q=Hai+Duong HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        XCTAssertEqual(answer.status, 200, answer.body)
        XCTAssertTrue(notify.wait(for: "READY=1", timeout: 5))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(notify.wait(for: "STOPPING=1", timeout: 2))
    }

    /// The indexer service's command line twice at once: one indexes, the other
    /// stands down with the exit status the unit counts as success.
    func testTwoIndexerRunsAtOnceOneStandsDown() throws {
        let work = TemporaryDirectory("twice")
        var lines: [String] = []
        for n in 0..<1000 {
            lines.append(#"{"id": "r\#(n)", "body": "Record \#(n) about inspections in Hai Duong and land \#(n % 13) \#(String(repeating: "text ", count: 40))"}"#)
        }
        work.write("sources/big.jsonl", lines.joined(separator: "\n"))
        let execStart = try XCTUnwrap(try setting("ExecStart", in: "acsearch-index.service"))
            .replacingOccurrences(of: "/usr/local/bin/", with: Checkout.products.path + "/")
            .replacingOccurrences(of: "/var/lib/acsearch/index", with: work.child("index"))
            .replacingOccurrences(of: "$ACSEARCH_SOURCES", with: work.child("sources"))
        let arguments = execStart.split(separator: " ").map(String.init)
        let success = try XCTUnwrap(try setting("SuccessExitStatus", in: "acsearch-index.service")).split(separator: " ")
            .compactMap { Int32($0) } + [0]

        let first = Process()
        first.executableURL = URL(fileURLWithPath: arguments[0])
        first.arguments = Array(arguments.dropFirst())
        first.environment = ["ACSEARCH_DATA": Checkout.indexDirectory]
        first.standardError = FileHandle.nullDevice
        try first.run()
        // The first run holds the lock once it has begun building the new index (in
        // partial indexes inside its folder, which become the index at the end).
        waitUntil(timeout: 20, interval: 0.002) {
            FileManager.default.fileExists(atPath: work.child("index/.building/0/iamglass")) || !first.isRunning
        }
        XCTAssertTrue(first.isRunning, "the first run must still hold the lock for this test to mean anything")
        let second = try Run.process(arguments[0], Array(arguments.dropFirst()), environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 0)
        XCTAssertEqual(second.status, 75, second.stderr)
        XCTAssertTrue(success.contains(second.status), "the unit counts a stood-down run as success")
        XCTAssertTrue(second.stderr.contains("another indexer"), second.stderr)
    }

    /// MemoryDenyWriteExecute must not break the daemon: run it with the kernel's
    /// no-write-and-execute policy (PR_SET_MDWE, inherited across exec) and query it.
    func testDaemonRunsWithoutWritableExecutableMemory() throws {
        let work = TemporaryDirectory("mdwe")
        // Sets the policy, proves it holds (a writable and executable mapping is
        // refused), then becomes acsearchd.
        let launcher = work.write("mdwe.py", """
        import ctypes, mmap, os, sys
        PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1
        if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
            sys.exit(77)
        try:
            mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
            sys.exit(78)
        except OSError:
            pass
        os.execv(sys.argv[1], sys.argv[1:])
        """)
        let notify = try NotifySocket(path: work.child("n"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", launcher, Checkout.executable("acsearchd"), "--db", SampleIndex.path, "--socket", work.child("s")]
        process.environment = ["NOTIFY_SOCKET": notify.path, "ACSEARCH_DATA": Checkout.indexDirectory,
                               "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
            .merging(Run.sanitizerSettings) { mine, _ in mine }
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        guard notify.wait(for: "READY=1", timeout: 20) else {
            process.waitUntilExit()
            if process.terminationStatus == 77 { throw XCTSkip("this kernel has no PR_SET_MDWE") }
            XCTAssertNotEqual(process.terminationStatus, 78, "the policy did not refuse a W+X mapping")
            return XCTFail("acsearchd did not start under MDWE (exit \(process.terminationStatus))")
        }
        let answer = try Raw.request(socket: work.child("s"), bytes: Array("GET /v1/search?q=thanh+tra HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        XCTAssertEqual(answer.status, 200)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
