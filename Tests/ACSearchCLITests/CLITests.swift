import ACSearchTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The built `acsearch` binary against a real acsearchd over the sample corpus:
/// stdout, stderr and exit status of each command.
final class CLITests: XCTestCase {
    let binary = Checkout.executable("acsearch")

    func acsearch(_ daemon: DaemonProcess?, _ arguments: [String], socket: String? = nil) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["ACSEARCH_SOCKET"] = socket ?? daemon?.socket ?? "/tmp/acsearch-test-no-such.sock"
        environment.removeValue(forKey: "NO_COLOR")
        return try Run.process(binary, arguments, environment: environment)
    }

    func testSearchPrintsRankedHitsWithoutEscapesWhenPiped() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { daemon.stop() }
        let run = try acsearch(daemon, ["Hai Duong inspections"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr, "")
        XCTAssertTrue(run.stdout.contains(" 1. "), run.stdout)
        XCTAssertTrue(run.stdout.contains("Provincial anti-corruption steering committees review their first year"), run.stdout)
        XCTAssertTrue(run.stdout.contains("press item · 2023-06-19"))
        XCTAssertTrue(run.stdout.hasPrefix("Documents naming Hải Dương (join the words with AND"), run.stdout)
        XCTAssertNotNil(run.stdout.range(of: #"documents match, showing 1–\d+ \(\d+\.\d ms\)"#, options: .regularExpression), run.stdout)
        XCTAssertFalse(run.stdout.contains("\u{1B}["), "no escape codes when stdout is not a terminal")
        XCTAssertFalse(run.stdout.contains("<mark>"))
    }

    func testFlagsMirrorTheAPI() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { daemon.stop() }
        let run = try acsearch(daemon, ["--kind", "conclusion", "--province", "Hải Dương", "--since", "2021-01-01",
                                        "--until", "31/12/2022", "--sort", "newest", "--limit", "5", "--exact", "--facets",
                                        "thanh tra"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("inspection conclusion"), run.stdout)
        XCTAssertFalse(run.stdout.contains("press item ·"))
        XCTAssertTrue(run.stdout.contains("kind: conclusion"), run.stdout)
        let page = try acsearch(daemon, ["--limit", "2", "--page", "2", "--json", "Hai Duong"])
        let object = try JSONSerialization.jsonObject(with: Data(page.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["offset"] as? Int, 2)
        let timeline = try acsearch(daemon, ["--timeline", "--limit", "0", "tham nhũng"])
        XCTAssertEqual(timeline.status, 0)
        XCTAssertTrue(timeline.stdout.contains("█"), timeline.stdout)
        XCTAssertNotNil(timeline.stdout.range(of: #"(?m)^\d{4}(-\d{2})?  *█"#, options: .regularExpression), timeline.stdout)
        let collapse = try acsearch(daemon, ["--collapse", "Thanh Hoa steering committee"])
        XCTAssertTrue(collapse.stdout.contains("+1 more of this story"), collapse.stdout)
    }

    func testJSONCarriesTheDocumentedFields() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { daemon.stop() }
        let run = try acsearch(daemon, ["--json", "--facets", "Hai Duong inspections"])
        XCTAssertEqual(run.status, 0)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        for key in ["schema_version", "query", "corrected_query", "total", "offset", "limit", "took_ms", "hits", "facets"] {
            XCTAssertTrue(object.keys.contains(key), key)
        }
        XCTAssertEqual(object["schema_version"] as? Int, 1)
        let hit = try XCTUnwrap((object["hits"] as? [[String: Any]])?.first)
        for key in ["id", "rank", "percent", "kind", "title", "lang", "provinces", "source", "snippet"] {
            XCTAssertNotNil(hit[key], key)
        }
    }

    func testNothingFoundExitsOne() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { daemon.stop() }
        let run = try acsearch(daemon, ["zzyzx quokkas"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.contains("No documents match"))
    }

    func testBadQueryExitsTwoWithOneLine() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { daemon.stop() }
        let run = try acsearch(daemon, ["province:Atlantis"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stdout, "")
        XCTAssertTrue(run.stderr.hasPrefix("acsearch: unknown province"), run.stderr)
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1)
        XCTAssertEqual(try acsearch(daemon, ["show", "no-such-id"]).status, 2)
    }

    func testDaemonNotRunningExitsThreeAndSaysWhatToDo() throws {
        let run = try acsearch(nil, ["Hai Duong"])
        XCTAssertEqual(run.status, 3)
        XCTAssertTrue(run.stderr.contains("cannot reach acsearchd at /tmp/acsearch-test-no-such.sock"), run.stderr)
        XCTAssertTrue(run.stderr.contains("systemctl start acsearchd.socket"))
        XCTAssertFalse(run.stderr.contains("Error Domain") || run.stderr.contains("errno"), run.stderr)
    }

    func testSocketPathThatIsNotASocket() throws {
        let directory = TemporaryDirectory("cli")
        let file = directory.write("plain-file", "not a socket")
        let run = try acsearch(nil, ["--socket", file, "Hai Duong"])
        XCTAssertEqual(run.status, 3)
        XCTAssertTrue(run.stderr.contains("is not a socket"), run.stderr)
    }

    func testUsageErrorExits64() throws {
        let run = try acsearch(nil, ["--sort", "sideways", "x"])
        XCTAssertEqual(run.status, 64)
        XCTAssertTrue(run.stderr.contains("--sort"), run.stderr)
        let badDay = try acsearch(nil, ["--since", "2022-02-30", "x"])
        XCTAssertEqual(badDay.status, 64)
        XCTAssertTrue(badDay.stderr.contains("--since must be a date like"), badDay.stderr)
    }

    func testShowSimilarCitesSuggestStatus() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { daemon.stop() }
        let conference = "press/vna-2023-06-19-provincial-steering-committees-one-year.md"
        let show = try acsearch(daemon, ["show", conference])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("Tran Duc Thang"), show.stdout)
        XCTAssertTrue(show.stdout.contains("Cites 67-QD/TW"), show.stdout)
        XCTAssertTrue(show.stdout.contains("Quy định số 67-QĐ/TW"), "what it cites, by title")

        let regulation = try acsearch(daemon, ["show", "regulations/qd-67-2022-ban-chi-dao-cap-tinh.md"])
        XCTAssertTrue(regulation.stdout.contains("Cited by"), regulation.stdout)

        let similar = try acsearch(daemon, ["similar", conference, "--limit", "3"])
        XCTAssertEqual(similar.status, 0)
        XCTAssertFalse(similar.stdout.contains("id: \(conference)\n"))

        let cites = try acsearch(daemon, ["cites", "67-QĐ/TW"])
        XCTAssertEqual(cites.status, 0)
        XCTAssertTrue(cites.stdout.hasPrefix("67-QD/TW: Quy định số 67-QĐ/TW"), cites.stdout)
        XCTAssertTrue(cites.stdout.contains(conference))

        let suggest = try acsearch(daemon, ["suggest", "insp"])
        XCTAssertEqual(suggest.status, 0)
        XCTAssertTrue(suggest.stdout.split(separator: "\n").contains { $0.hasPrefix("insp") })

        let status = try acsearch(daemon, ["status"])
        XCTAssertEqual(status.status, 0)
        XCTAssertTrue(status.stdout.contains("44 documents"), status.stdout)
        XCTAssertNotNil(status.stdout.range(of: #"latency p50 \d+\.\d ms, p99 \d+\.\d ms"#, options: .regularExpression), status.stdout)
    }

    /// Options before the subcommand, as git, docker and systemctl take them: an alias
    /// `acs='acsearch --socket S --timeout T'` works for every command.
    func testOptionsBeforeTheSubcommand() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { daemon.stop() }
        let conference = "press/vna-2023-06-19-provincial-steering-committees-one-year.md"
        let alias = ["--socket", daemon.socket, "--timeout", "20"]
        // No ACSEARCH_SOCKET: only the option can lead to the daemon.
        let status = try acsearch(nil, alias + ["status"])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("44 documents"), status.stdout)
        let show = try acsearch(nil, alias + ["show", conference])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("Tran Duc Thang"), show.stdout)
        XCTAssertEqual(try acsearch(nil, alias + ["similar", conference, "--limit", "2"]).status, 0)
        XCTAssertTrue(try acsearch(nil, alias + ["cites", "67-QĐ/TW"]).stdout.hasPrefix("67-QD/TW: "))
        XCTAssertEqual(try acsearch(nil, alias + ["suggest", "insp"]).status, 0)
        let search = try acsearch(nil, alias + ["Hai Duong inspections"])
        XCTAssertEqual(search.status, 0, search.stderr)
        XCTAssertTrue(search.stdout.contains("Documents naming Hải Dương"), search.stdout)
        XCTAssertEqual(try acsearch(nil, alias + ["search", "--kind", "press", "Hai Duong"]).status, 0)

        let json = try acsearch(daemon, ["--json", "status"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["documents"] as? Int, 44, json.stdout)
        let shown = try acsearch(daemon, ["--json", "show", conference])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])?["id"] as? String,
                       conference)
        // After the command, as before; and the word "status" is still searchable.
        XCTAssertEqual(try acsearch(nil, ["status", "--socket", daemon.socket]).status, 0)
        let word = try acsearch(nil, alias + ["--json", "search", "status"])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(word.stdout.utf8)) as? [String: Any])?["query"] as? String,
                       "status", word.stdout + word.stderr)
        // A bad global option is a usage error before any command runs.
        XCTAssertEqual(try acsearch(nil, ["--timeout", "0", "status"]).status, 64)
    }

    func testCompletionScripts() throws {
        for shell in ["bash", "zsh", "fish"] {
            let run = try acsearch(nil, ["--generate-completion-script", shell])
            XCTAssertEqual(run.status, 0, shell)
            XCTAssertTrue(run.stdout.contains("acsearch"), shell)
            XCTAssertTrue(run.stdout.contains("cites"), shell)
        }
    }
}

final class CLIBinaryTests: XCTestCase {
    /// The CLI must start fast and stay small: it talks HTTP, it does not link Xapian.
    func testCLIDoesNotLinkXapian() throws {
        let cli = try Run.process("/usr/bin/ldd", [Checkout.executable("acsearch")])
        XCTAssertEqual(cli.status, 0)
        XCTAssertFalse(cli.stdout.contains("xapian"), cli.stdout)
        let daemon = try Run.process("/usr/bin/ldd", [Checkout.executable("acsearchd")])
        XCTAssertTrue(daemon.stdout.contains("libxapian"), "the check can tell: the daemon does link it")
    }

    /// Start-up is one of the measured figures (docs/benchmarks.md): the CLI carries the
    /// Swift runtime and FoundationEssentials inside it, neither Foundation (ICU) nor
    /// SwiftNIO, and is not position-independent (the daemon is).
    func testCLIStartsWithoutSharedSwiftLibrariesFoundationOrNIO() throws {
        if Run.sanitized { throw XCTSkip("sanitizer builds link the CLI as Swift links any program (Package.swift)") }
        let binary = Checkout.executable("acsearch")
        let cli = try Run.process("/usr/bin/ldd", [binary])
        for library in ["libswiftCore", "libFoundation", "ICU", "libdispatch"] {
            XCTAssertFalse(cli.stdout.contains(library), "\(library): \(cli.stdout)")
        }
        let symbols = try Run.process("/usr/bin/nm", [binary])
        XCTAssertEqual(symbols.status, 0)
        XCTAssertTrue(symbols.stdout.contains("ACSearchClient"), "the check can tell: the client is in")
        XCTAssertFalse(symbols.stdout.contains("7NIOCore"), "no SwiftNIO")
        XCTAssertFalse(symbols.stdout.contains("FoundationInternationalization"), "no Foundation beyond Essentials")
        let header = try Run.process("/usr/bin/env", ["readelf", "-h", binary])
        XCTAssertTrue(header.stdout.contains("EXEC (Executable file)"), header.stdout + header.stderr)
        let daemonHeader = try Run.process("/usr/bin/env", ["readelf", "-h", Checkout.executable("acsearchd")])
        XCTAssertTrue(daemonHeader.stdout.contains("DYN (Position-Independent"), "the check can tell: " + daemonHeader.stdout)
    }

    /// Colour only on a terminal, and never with NO_COLOR (`script` gives the CLI a pty).
    func testColourOnlyOnATerminalWithoutNoColor() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("no script(1)") }
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { daemon.stop() }
        let command = "\(Checkout.executable("acsearch")) --socket \(daemon.socket) --limit 1 'Hai Duong'"
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        environment["TERM"] = "xterm"
        let coloured = try Run.process("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment)
        XCTAssertTrue(coloured.stdout.contains("\u{1B}[1m"), coloured.stdout)
        environment["NO_COLOR"] = "1"
        let plain = try Run.process("/usr/bin/script", ["-qec", command, "/dev/null"], environment: environment)
        XCTAssertTrue(plain.stdout.contains("documents match"), plain.stdout)
        XCTAssertFalse(plain.stdout.contains("\u{1B}["), plain.stdout)
    }
}

/// The CLI's own HTTP client against sockets that answer badly: each gives one
/// clear line and exit status 3 (no answer) or 2 (an answer it cannot use).
final class CLIClientTests: XCTestCase {
    func acsearch(_ socket: String, _ arguments: [String]) throws -> ProcessResult {
        try Run.process(Checkout.executable("acsearch"), ["--socket", socket] + arguments)
    }

    func testADaemonThatNeverAnswersTimesOut() throws {
        let listener = try RawListener(reply: nil)
        let run = try acsearch(listener.path, ["--timeout", "0.5", "Hai Duong"])
        XCTAssertEqual(run.status, 3, run.stderr)
        XCTAssertTrue(run.stderr.contains("did not answer within 0.5 s"), run.stderr)
        XCTAssertEqual(try acsearch(listener.path, ["--timeout", "0", "x"]).status, 64, "a timeout must be above 0")
    }

    func testASocketPathTooLongForUnixSocketsIsSaid() throws {
        let run = try acsearch("/tmp/" + String(repeating: "s", count: 120) + ".sock", ["Hai Duong"])
        XCTAssertEqual(run.status, 3, run.stderr)
        XCTAssertTrue(run.stderr.contains("longer than a Unix socket path may be (107 bytes)"), run.stderr)
    }

    func testAnswersThatAreNotHTTPOrAreCutShort() throws {
        let cases: [(reply: String, expected: String, status: Int32)] = [
            ("SSH-2.0-OpenSSH_9.2\r\n\r\n", "did not answer in HTTP/1.1", 2),
            ("HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"schema_version\":", "ended after 18 of 500 bytes", 2),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "does not take", 2),
            ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", "not what this client expects", 2),
            ("", "closed the connection without answering", 3),
        ]
        for (reply, expected, status) in cases {
            let listener = try RawListener(reply: Array(reply.utf8))
            let run = try acsearch(listener.path, ["--timeout", "5", "Hai Duong"])
            XCTAssertEqual(run.status, status, reply)
            XCTAssertTrue(run.stderr.contains(expected), "\(reply): \(run.stderr)")
            if status == 2 { XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr) }
            XCTAssertEqual(listener.requestHead().split(separator: "\r\n").first, "GET /v1/search?q=Hai%20Duong HTTP/1.1")
        }
    }
}

/// A Unix socket that takes one connection, reads the request's head and answers
/// with fixed bytes (or never answers), for clients under test.
final class RawListener: @unchecked Sendable {
    let path: String
    private let directory = TemporaryDirectory("raw")
    private let descriptor: Int32
    private let received = NSLock()
    private var head: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)

    /// With nil the listener never accepts: connect succeeds and no answer comes.
    init(reply: [UInt8]?) throws {
        path = directory.path + "/s.sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        guard let reply else { done.signal(); return }
        Thread.detachNewThread { [self] in
            let connection = accept(descriptor, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 4096)
            var head: [UInt8] = []
            while !head.reversed().starts(with: [10, 13, 10, 13]) {
                let count = recv(connection, &buffer, buffer.count, 0)
                if count <= 0 { break }
                head += buffer[..<count]
            }
            received.withLock { self.head = head }
            _ = reply.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(connection)
            done.signal()
        }
    }

    /// What the client sent (after it got its answer); empty if no client came within
    /// ten seconds (a CLI that died before connecting must fail the test, not hang it).
    func requestHead() -> String {
        guard done.wait(timeout: .now() + 10) == .success else { return "" }
        done.signal()
        return received.withLock { String(decoding: head, as: UTF8.self) }
    }

    deinit { close(descriptor) }
}

/// Documents are other people's text: none of it may drive the terminal of whoever
/// searches (set its title, write its clipboard with OSC 52, clear it, reorder a line).
final class CLIHostileTextTests: XCTestCase {
    static let title = "Kết luận thanh tra \u{1B}]0;owned\u{07}đất đai \u{1B}]52;c;ZWNobyBvd25lZA==\u{07}Hải Dương"
    static let issuer = "Thanh tra \u{9B}31m tỉnh \u{202E}gnp.exe"
    static let id = "hostile/one.md"
    /// An id the daemon's URLs cannot carry (it refuses controls in paths), but search shows it.
    static let rawID = "hostile/\u{1B}[2Jtwo.md"

    /// Characters that must never reach a terminal raw from a document.
    static func raw(_ text: String) -> [String] {
        text.unicodeScalars.filter { scalar in
            let value = scalar.value
            return (value < 0x20 && value != 0x0A) || (0x7F...0x9F).contains(value)
                || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
        }.map { "U+" + String($0.value, radix: 16) }
    }

    func testDocumentTextNeverReachesTheTerminalRaw() throws {
        let directory = TemporaryDirectory("hostile")
        let record: [String: Any] = [
            "id": Self.id, "kind": "conclusion", "title": Self.title, "issuer": Self.issuer, "number": "12/KL-TTr",
            "date": "2024-03-01", "lang": "vi", "url": "https://example.org/\u{1B}]8;;evil\u{1B}\\",
            "body": "Căn cứ Quy định 67-QĐ/TW, thanh tra \u{1B}[31mđất đai\u{1B}[0m tại Hải Dương.\r\u{1B}[Kche giấu \u{8D}\u{2067}x\u{2069}.\r\nDòng hai.",
        ]
        let other: [String: Any] = ["id": Self.rawID, "kind": "press", "title": "Thanh tra đất đai", "body": "thanh tra đất đai"]
        let lines = try [record, other].map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let feed = directory.write("feed.jsonl", lines.joined(separator: "\n") + "\n")
        let index = try Run.process(Checkout.executable("acsearch-index"), ["--db", directory.child("db"), feed])
        XCTAssertEqual(index.status, 0, index.stderr)
        let daemon = try DaemonProcess(arguments: ["--db", directory.child("db")])
        defer { daemon.stop() }

        for arguments in [["thanh tra đất đai"], ["--facets", "--timeline", "thanh tra"], ["show", Self.id],
                          ["cites", "67-QĐ/TW"], ["suggest", "thanh"], ["show", Self.rawID], ["similar", Self.id]] {
            let run = try Run.process(Checkout.executable("acsearch"), ["--socket", daemon.socket] + arguments)
            XCTAssertNotEqual(run.status, 3, run.stderr)
            XCTAssertEqual(Self.raw(run.stdout), [], "\(arguments): \(run.stdout.debugDescription)")
            XCTAssertEqual(Self.raw(run.stderr), [], "\(arguments): \(run.stderr.debugDescription)")
        }
        let search = try Run.process(Checkout.executable("acsearch"), ["--socket", daemon.socket, "thanh tra đất đai"])
        XCTAssertTrue(search.stdout.contains(#"\x1b]52;c;ZWNobyBvd25lZA==\x07"#), "shown escaped: " + search.stdout)
        XCTAssertTrue(search.stdout.contains(#"Thanh tra \x9b31m tỉnh \u202egnp.exe"#), search.stdout)
        XCTAssertTrue(search.stdout.contains(#"id: hostile/\x1b[2Jtwo.md"#), search.stdout)
        let show = try Run.process(Checkout.executable("acsearch"), ["--socket", daemon.socket, "show", Self.id])
        XCTAssertTrue(show.stdout.contains(#"tại Hải Dương.\x0d\x1b[Kche giấu \x8d\u2067x\u2069."# + "\nDòng hai."), show.stdout)

        // JSON escapes them as JSON does, so the values come back whole.
        let json = try Run.process(Checkout.executable("acsearch"), ["--socket", daemon.socket, "--json", "show", Self.id])
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertEqual(Self.raw(json.stdout), [], json.stdout.debugDescription)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["title"] as? String, Self.title)
        XCTAssertEqual(object["issuer"] as? String, Self.issuer)
        XCTAssertEqual(object["id"] as? String, Self.id)
    }

    /// On a terminal, with colour, the only escape sequences are the CLI's own SGR codes.
    func testOnATerminalOnlyTheCLIsOwnColourCodes() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("no script(1)") }
        let directory = TemporaryDirectory("hostile")
        let record: [String: Any] = ["id": "hostile/tty.md", "kind": "press", "title": Self.title, "issuer": Self.issuer,
                                     "date": "2024-03-02", "body": "thanh tra \u{1B}]2;title\u{1B}\\ đất đai \u{1B}[?1049h"]
        let feed = directory.write("feed.jsonl", String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self))
        XCTAssertEqual(try Run.process(Checkout.executable("acsearch-index"), ["--db", directory.child("db"), feed]).status, 0)
        let daemon = try DaemonProcess(arguments: ["--db", directory.child("db")])
        defer { daemon.stop() }
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        environment["TERM"] = "xterm"
        for command in ["'thanh tra'", "show hostile/tty.md"] {
            let line = "\(Checkout.executable("acsearch")) --socket \(daemon.socket) \(command)"
            let run = try Run.process("/usr/bin/script", ["-qec", line, "/dev/null"], environment: environment)
            XCTAssertTrue(run.stdout.contains("\u{1B}[1m"), "coloured: " + run.stdout)
            let withoutOwnCodes = run.stdout.replacing(/\x1B\[[0-9;]*m/, with: "").replacing("\r\n", with: "\n")
            XCTAssertEqual(Self.raw(withoutOwnCodes), [], command + ": " + run.stdout.debugDescription)
        }
    }
}

/// `acsearch --format csv|jsonl`: every match, through as many of the API's pages
/// (at most 100 hits each) as it takes.
final class CLIExportTests: XCTestCase {
    static let count = 250
    static let awkwardTitle = "Kết luận \"đặc biệt\", số 7\nvề đất đai"

    /// RFC 4180 read back, independently of the writer: rows of fields.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" { field.unicodeScalars.append(scalars.removeFirst()) } else { quoted = false }
                } else { field.unicodeScalars.append(scalar) }
            } else if scalar == "\"" { quoted = true
            } else if scalar == "," { row.append(field); field = ""
            } else if scalar == "\r", scalars.first == "\n" { scalars.removeFirst(); row.append(field); rows.append(row); row = []; field = ""
            } else { field.unicodeScalars.append(scalar) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    func testExportWritesEveryMatchPageByPage() throws {
        let directory = TemporaryDirectory("export")
        var lines: [String] = []
        for n in 1...Self.count {
            var record: [String: Any] = ["id": "feed/\(n).md", "kind": n % 2 == 0 ? "press" : "conclusion",
                                         "title": n == 7 ? Self.awkwardTitle : "Thanh tra đất đai số \(n)",
                                         "body": "Thanh tra đất đai tại Hải Dương và Hà Nội, lần \(n).",
                                         "date": "2023-01-\(n % 28 + 1 < 10 ? "0" : "")\(n % 28 + 1)"]
            if n == 7 {
                record["issuer"] = "Thanh tra tỉnh, \"Hải Dương\""
                record["number"] = "7/KL-TTr"
                record["url"] = "https://example.org/kl?so=7,8"
            }
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self))
        }
        let feed = directory.write("feed.jsonl", lines.joined(separator: "\n") + "\n")
        let index = try Run.process(Checkout.executable("acsearch-index"), ["--db", directory.child("db"), feed])
        XCTAssertEqual(index.status, 0, index.stderr)
        let daemon = try DaemonProcess(arguments: ["--db", directory.child("db")])
        defer { daemon.stop() }
        func acsearch(_ arguments: [String]) throws -> ProcessResult {
            try Run.process(Checkout.executable("acsearch"), ["--socket", daemon.socket] + arguments)
        }

        let csv = try acsearch(["--format", "csv", "thanh tra đất đai"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertEqual(csv.stderr, "")
        XCTAssertTrue(csv.stdout.hasPrefix("id,kind,date,number,issuer,provinces,title,url\r\n"), csv.stdout)
        let rows = Self.parseCSV(csv.stdout)
        XCTAssertEqual(rows.count, Self.count + 1, "a header and every match, not only the first page")
        XCTAssertTrue(rows.allSatisfy { $0.count == 8 }, "\(rows.filter { $0.count != 8 })")
        XCTAssertEqual(Set(rows.dropFirst().map { $0[0] }), Set((1...Self.count).map { "feed/\($0).md" }))
        let awkward = try XCTUnwrap(rows.first { $0[0] == "feed/7.md" })
        XCTAssertEqual(awkward, ["feed/7.md", "conclusion", "2023-01-08", "7/KL-TTr", "Thanh tra tỉnh, \"Hải Dương\"",
                                 awkward[5], Self.awkwardTitle, "https://example.org/kl?so=7,8"])
        XCTAssertTrue(awkward[5].contains("Hải Dương"), awkward[5])
        XCTAssertTrue(csv.stdout.contains("\r\nfeed/8.md,press,2023-01-09,,,"), "unquoted when nothing needs it: " + csv.stdout)
        XCTAssertTrue(csv.stdout.contains(#""Kết luận ""đặc biệt"", số 7"# + "\nvề đất đai\","), "quoted as RFC 4180 says")

        let jsonl = try acsearch(["--format", "jsonl", "--sort", "oldest", "thanh tra đất đai"])
        XCTAssertEqual(jsonl.status, 0, jsonl.stderr)
        let objects = try jsonl.stdout.split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(objects.count, Self.count)
        XCTAssertEqual(Set(objects.compactMap { $0["id"] as? String }).count, Self.count)
        XCTAssertEqual(Set(objects[0].keys), ["id", "kind", "date", "number", "issuer", "provinces", "title", "url"])
        XCTAssertEqual(objects.compactMap { $0["date"] as? String }, objects.compactMap { $0["date"] as? String }.sorted())
        let seventh = try XCTUnwrap(objects.first { $0["id"] as? String == "feed/7.md" })
        XCTAssertEqual(seventh["title"] as? String, Self.awkwardTitle)
        XCTAssertEqual(objects.first { $0["id"] as? String == "feed/8.md" }?["number"] as? NSNull, NSNull())

        let limited = try acsearch(["--format", "jsonl", "--limit", "120", "thanh tra đất đai"])
        XCTAssertEqual(limited.status, 0, limited.stderr)
        XCTAssertEqual(limited.stdout.split(separator: "\n").count, 120, "--limit still applies, across pages")
        let fromOffset = try acsearch(["--format", "csv", "--offset", "200", "thanh tra đất đai"])
        XCTAssertEqual(Self.parseCSV(fromOffset.stdout).count, 1 + Self.count - 200)

        let none = try acsearch(["--format", "csv", "zzyzx"])
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stdout, "id,kind,date,number,issuer,provinces,title,url\r\n")
        XCTAssertEqual(try acsearch(["--format", "csv", "--json", "x"]).status, 64)
        XCTAssertEqual(try acsearch(["--format", "xml", "x"]).status, 64)
        XCTAssertEqual(try acsearch(["--format", "csv", "--page", "2", "x"]).status, 64)
    }
}
