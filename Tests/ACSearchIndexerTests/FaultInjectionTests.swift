import ACSearchTestSupport
import Foundation
import XCTest

/// I/O errors injected into the indexer's commits (strace) and a real full disk
/// (a small tmpfs): the indexer fails clearly, what it reported committed is kept,
/// the daemon keeps serving, and the next run completes.
final class FaultInjectionTests: XCTestCase {
    let binary = Checkout.executable("acsearch-index")

    /// `count` JSON records, numbered from `first`, with `words` words of body each.
    func records(_ count: Int, from first: Int = 0, words: Int = 40) -> Data {
        let lines = (first..<first + count).map { n in
            let body = (0..<words).map { "word\(($0 * 7 + n) % 997)" }.joined(separator: " ")
            return #"{"id": "rec-\#(n)", "title": "Inspection \#(n) in Hai Duong", "body": "Dugong \#(body)"}"#
        }
        return Data(lines.joined(separator: "\n").utf8)
    }

    func documents(in daemon: DaemonProcess) throws -> Int {
        let answer = try daemon.json("/v1/search?q=dugong&exact=true&limit=1")
        XCTAssertEqual(answer.status, 200, "\(answer.object)")
        return (answer.object["total"] as? [String: Any])?["lower"] as? Int ?? -1
    }

    /// Waits for the daemon's readers to reach `expected` documents (they look for
    /// a new revision every 50 ms).
    func servedCount(_ daemon: DaemonProcess, reaches expected: Int) throws -> Int {
        var served = -1
        let deadline = Date().addingTimeInterval(5)
        repeat {
            served = try documents(in: daemon)
        } while served != expected && Date() < deadline
        return served
    }

    func xapianCheck(_ db: String) throws -> ProcessResult {
        try Run.process("/usr/bin/xapian-check", [db])
    }

    /// "N documents of this run were committed before it": what the indexer says is kept.
    func committed(in message: String) -> Int? {
        if message.contains("nothing of this run was committed") { return 0 }
        guard let range = message.range(of: #"\d+ documents of this run were committed"#, options: .regularExpression) else { return nil }
        return Int(message[range].prefix { $0.isNumber })
    }

    func testInjectedIOErrorsDuringCommitLoseNothingCommitted() throws {
        let strace = "/usr/bin/strace"
        guard FileManager.default.isExecutableFile(atPath: strace) else { throw XCTSkip("strace is not installed (scripts/bootstrap installs it)") }
        // Which call fails, how, and from which occurrence on ("N+": that one and
        // every later one, as a disk that stays full).
        let faults: [(call: String, errno: String, when: String, says: String)] = [
            ("pwrite64", "ENOSPC", "60+", "No space left on device"),
            ("pwrite64", "EIO", "150", "Input/output error"),
            ("fdatasync", "EIO", "16+", "Input/output error"),
            ("rename", "ENOSPC", "3+", "No space left on device"),
            ("rename", "EIO", "2", "Input/output error"),
        ]
        var keptSomething = false
        for fault in faults {
            let label = "\(fault.call)=\(fault.errno)@\(fault.when)"
            let work = TemporaryDirectory("fault")
            let db = work.child("db")
            let base = try Run.process(binary, ["--db", db, "-"], stdin: records(100))
            XCTAssertEqual(base.status, 0, base.stderr)
            let daemon = try DaemonProcess(arguments: ["--db", db])
            XCTAssertEqual(try documents(in: daemon), 100)

            let injected = try Run.process(strace, [
                "-f", "-qq", "-o", "/dev/null", "-e", "trace=\(fault.call)",
                "-e", "inject=\(fault.call):error=\(fault.errno):when=\(fault.when)",
                binary, "--db", db, "--batch-size", "100", "-",
            ], stdin: records(600, from: 100))
            XCTAssertEqual(injected.status, 1, "\(label): \(injected.stderr)")
            XCTAssertTrue(injected.stderr.contains(fault.says), "\(label): the reason is given: \(injected.stderr)")
            let kept = try XCTUnwrap(committed(in: injected.stderr), "\(label): says what was kept: \(injected.stderr)")
            keptSomething = keptSomething || kept > 0

            let check = try xapianCheck(db)
            XCTAssertEqual(check.status, 0, "\(label): xapian-check: \(check.stdout)\(check.stderr)")
            // Every committed batch is there, and served; nothing else half-written is.
            XCTAssertEqual(try servedCount(daemon, reaches: 100 + kept), 100 + kept, label)

            let rerun = try Run.process(binary, ["--db", db, "--batch-size", "100", "-"], stdin: records(600, from: 100))
            XCTAssertEqual(rerun.status, 0, "\(label): the next run completes: \(rerun.stderr)")
            XCTAssertEqual(try xapianCheck(db).status, 0, label)
            XCTAssertEqual(try servedCount(daemon, reaches: 700), 700, label)
            XCTAssertEqual(daemon.stop(), 0, "\(label): the daemon never failed: \(daemon.logText)")
        }
        XCTAssertTrue(keptSomething, "at least one fault struck after a commit, so 'kept' was put to the test")
    }

    func testAFullDiskFailsClearlyAndTheRunAfterFreeingSpaceCompletes() throws {
        let disk = try SmallDisk("full")
        let db = disk.path + "/db"
        XCTAssertEqual(try Run.process(binary, ["--db", db, "-"], stdin: records(50)).status, 0)
        let daemon = try DaemonProcess(arguments: ["--db", db])
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }

        // About 6 MB of text: more than the disk holds.
        let batch = records(1_500, from: 50, words: 400)
        let full = try Run.process(binary, ["--db", db, "--batch-size", "200", "-"], stdin: batch)
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertTrue(full.stderr.contains("No space left on device"), full.stderr)
        let kept = try XCTUnwrap(committed(in: full.stderr), full.stderr)
        XCTAssertEqual(try xapianCheck(db).status, 0)
        XCTAssertEqual(try servedCount(daemon, reaches: 50 + kept), 50 + kept, "the last good revision is served")

        // Free space (grow the file system), run again: it completes.
        XCTAssertTrue(try disk.grow())
        let rerun = try Run.process(binary, ["--db", db, "--batch-size", "200", "-"], stdin: batch)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try xapianCheck(db).status, 0)
        XCTAssertEqual(try servedCount(daemon, reaches: 1_550), 1_550)
    }

    /// A new index is built in partial indexes and appears only when whole: a full disk
    /// during the build leaves no index and nothing half-built, says nothing was kept,
    /// and the run after freeing space builds it.
    func testAFullDiskWhileBuildingANewIndexLeavesNothingHalfBuilt() throws {
        let disk = try SmallDisk("full-new")
        let db = disk.path + "/db"

        let batch = records(1_500, words: 400)
        let full = try Run.process(binary, ["--db", db, "--writers", "2", "--batch-size", "200", "-"], stdin: batch)
        XCTAssertEqual(full.status, 1, full.stderr)
        XCTAssertTrue(full.stderr.contains("No space left on device"), full.stderr)
        XCTAssertTrue(full.stderr.contains("nothing of this run was committed"), full.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: db + "/iamglass"), "no index, not half of one")
        XCTAssertFalse(FileManager.default.fileExists(atPath: db + "/.building"), "the partials are removed")

        XCTAssertTrue(try disk.grow())
        let rerun = try Run.process(binary, ["--db", db, "--writers", "2", "--batch-size", "200", "-"], stdin: batch)
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(try xapianCheck(db).status, 0)
        let daemon = try DaemonProcess(arguments: ["--db", db])
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        XCTAssertEqual(try servedCount(daemon, reaches: 1_500), 1_500)
    }
}

/// A 4 MiB tmpfs to fill (needs root: the test is skipped otherwise), unmounted when
/// the test ends.
final class SmallDisk {
    private let work: TemporaryDirectory
    let path: String

    init(_ name: String) throws {
        guard getuid() == 0 else { throw XCTSkip("mounting a small tmpfs needs root") }
        work = TemporaryDirectory(name)
        path = work.child("disk")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mounted = try Run.process("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", path])
        guard mounted.status == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(mounted.stderr)") }
    }

    /// Frees space: the file system grows to 128 MiB.
    func grow() throws -> Bool {
        try Run.process("/bin/mount", ["-o", "remount,size=128m", path]).status == 0
    }

    deinit { _ = try? Run.process("/bin/umount", ["-l", path]) }
}
