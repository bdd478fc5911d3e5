import ACSearchIndex
import ACSearchTestSupport
import XapianKit
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The real acsearchd binary on a temporary socket, over an index of the sample corpus.
final class DaemonTests: XCTestCase {
    var db: String { SampleIndex.path }

    func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    func testEveryEndpointAndPrefix() throws {
        let daemon = try DaemonProcess(arguments: ["--db", db])
        defer { XCTAssertEqual(daemon.stop(), 0) }

        let search = try daemon.json("/v1/search?q=Hai+Duong+inspections&facets=kind,province,year,issuer,lang")
        XCTAssertEqual(search.status, 200)
        let hits = try XCTUnwrap(search.object["hits"] as? [[String: Any]])
        XCTAssertFalse(hits.isEmpty)
        for key in ["id", "rank", "percent", "kind", "title", "lang", "provinces", "source", "snippet"] {
            XCTAssertNotNil(hits[0][key], key)
        }
        XCTAssertEqual(Set((search.object["facets"] as? [String: Any])?.keys ?? [:].keys), ["kind", "province", "year", "issuer", "lang"])
        XCTAssertNotNil(search.object["total"] as? [String: Any])
        XCTAssertEqual(search.object["places"] as? [String], ["Hải Dương"], "the query's words read as the place")

        func ids(_ query: String, _ extra: String = "") throws -> [String] {
            let answer = try daemon.json("/v1/search?q=\(encode(query))&limit=100\(extra)")
            XCTAssertEqual(answer.status, 200, "\(query): \(answer.object)")
            return (answer.object["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        let conference = "press/vna-2023-06-19-provincial-steering-committees-one-year.md"
        let regulation = "regulations/qd-67-2022-ban-chi-dao-cap-tinh.md"
        XCTAssertTrue(try ids("kind:press hai duong").contains(conference))
        XCTAssertFalse(try ids("kind:regulation hai duong").contains(conference))
        XCTAssertTrue(try ids("province:\"Hai Duong\"").contains(conference))
        XCTAssertEqual(try ids("number:67-QĐ/TW"), [regulation])
        XCTAssertEqual(try ids("number:67-QD/TW"), [regulation])
        XCTAssertTrue(try ids("cites:67-QD/TW").contains(conference))
        XCTAssertTrue(try ids("person:\"Tran Duc Thang\"").contains(conference))
        XCTAssertTrue(try ids("person:\"Trần Đức Thắng\"").contains(conference))
        XCTAssertTrue(try ids("issuer:\"Vietnam News Agency\" conference").contains(conference))
        XCTAssertTrue(try ids("lang:vi tham nhũng").allSatisfy { !$0.contains("vna-2023") })
        XCTAssertTrue(try ids("title:steering year:2023").contains(conference))
        XCTAssertTrue(try ids("date:2023-06-01..2023-06-30").contains(conference))
        XCTAssertTrue(try ids("date:1/6/2023..30/6/2023").contains(conference))
        // Whole months and years, as either end, by the query's syntax and by parameters.
        XCTAssertTrue(try ids("date:2023-06..2023-06").contains(conference))
        XCTAssertFalse(try ids("date:2023-07..2024").contains(conference))
        XCTAssertTrue(try ids("", "&from=2023-06&to=6/2023").contains(conference))
        XCTAssertTrue(try ids("", "&kind=press&province=Hai%20Duong&from=2023-01-01&to=2023-12-31&sort=newest").contains(conference))
        XCTAssertTrue(try ids("\"tham nhũng\" OR \"negativity\"").count > 3)
        XCTAssertTrue(try ids("inspect*").count > 3)
        XCTAssertTrue(try ids("steering NEAR committee").contains(conference))
        XCTAssertFalse(try ids("steering -conference").contains(conference))

        let document = try daemon.json("/v1/documents/\(encode(conference))")
        XCTAssertEqual(document.status, 200)
        XCTAssertEqual(document.object["kind"] as? String, "press")
        XCTAssertTrue((document.object["cites"] as? [String])?.contains("67-QD/TW") == true)
        XCTAssertEqual(try daemon.json("/v1/documents/\(conference)").status, 200, "unescaped slashes in ids work too")
        XCTAssertEqual(try daemon.json("/v1/documents/nope").status, 404)

        let similar = try daemon.json("/v1/documents/\(encode(conference))/similar?limit=5")
        XCTAssertEqual(similar.status, 200)
        let similarIDs = (similar.object["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        XCTAssertFalse(similarIDs.isEmpty)
        XCTAssertFalse(similarIDs.contains(conference))

        for path in ["/v1/citations/\(encode("67-QĐ/TW"))", "/v1/citations/67-QD/TW"] {
            let citations = try daemon.json(path)
            XCTAssertEqual(citations.status, 200, path)
            XCTAssertEqual((citations.object["document"] as? [String: Any])?["id"] as? String, regulation)
            XCTAssertTrue(((citations.object["cited_by"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == conference })
        }

        let suggest = try daemon.json("/v1/suggest?q=hai+insp")
        XCTAssertEqual(suggest.status, 200)
        XCTAssertTrue((suggest.object["completions"] as? [String])?.contains { $0.hasPrefix("hai insp") } == true, "\(suggest.object)")
        XCTAssertEqual(try daemon.json("/v1/suggest?q=inspectoins").object["correction"] as? String, "inspections")

        let status = try daemon.json("/v1/status")
        XCTAssertEqual(status.status, 200)
        XCTAssertEqual(status.object["documents"] as? Int, 44)
        XCTAssertEqual(status.object["index_schema_version"] as? Int, Schema.version)
        XCTAssertGreaterThan(status.object["requests_served"] as? Int ?? 0, 10)
        XCTAssertEqual(try daemon.json("/v1/health").object["status"] as? String, "ok")
        XCTAssertEqual(try daemon.json("/v1/search?q=x&kind=memo").status, 400)
        let metrics = try daemon.get("/metrics")
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(metrics.body.contains("acsearch_requests_total"), metrics.body)
        // Requests are counted by the endpoint asked for and the status answered.
        XCTAssertTrue(metrics.body.contains(#"acsearch_requests_total{endpoint="search",status="400"} 1"#), metrics.body)
        XCTAssertTrue(metrics.body.contains(#"acsearch_requests_total{endpoint="health",status="200"}"#), metrics.body)
        XCTAssertTrue(metrics.body.contains("acsearch_index_documents 44"), metrics.body)
    }

    func testBadRequestsGetClearErrors() throws {
        let daemon = try DaemonProcess(arguments: ["--db", db])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        func error(_ path: String) throws -> (Int, String) {
            let answer = try daemon.json(path)
            let body = answer.object["error"] as? [String: Any]
            XCTAssertEqual(body?["status"] as? Int, answer.status, path)
            return (answer.status, body?["message"] as? String ?? "")
        }
        XCTAssertEqual(try error("/v1/search?q=AND+OR").0, 400)
        XCTAssertTrue(try error("/v1/search?q=province:Atlantis").1.contains("unknown province"))
        XCTAssertTrue(try error("/v1/search?q=x&limit=1000").1.contains("limit"))
        XCTAssertTrue(try error("/v1/search?q=x&sort=sideways").1.contains("sort"))
        XCTAssertTrue(try error("/v1/search?q=x&from=yesterday").1.contains("from"))
        XCTAssertTrue(try error("/v1/search?q=x&to=2022-02-30").1.contains("to must be a date like"))
        XCTAssertTrue(try error("/v1/search?q=date:2022-02-30..2022-03").1.contains("each end must be a date like"))
        // Xapian's parser would drop a reversed range and match everything.
        XCTAssertEqual(try error("/v1/search?q=date:2023..2021").1, "date:2023..2021: the start is after the end")
        XCTAssertTrue(try error("/v1/search?q=x&colour=red").1.contains("unknown parameter"))
        // Filters are read through the field table where the request arrives.
        XCTAssertEqual(try error("/v1/search?q=x&province=Atlantis").1, "unknown province \"Atlantis\"")
        XCTAssertEqual(try error("/v1/search?q=x&lang=fr").1, "unknown language \"fr\": use en or vi")
        XCTAssertEqual(try error("/v1/documents/x/similar?kind=poem").1,
                       "unknown kind \"poem\": kinds are regulation, conclusion and press")
        // A boolean has a value (schemathesis found "exact=" taken as true).
        XCTAssertTrue(try error("/v1/search?q=x&exact=").1.contains("exact must be true or false"))
        XCTAssertEqual(try error("/v1/search?q=%ZZ").0, 400)
        XCTAssertEqual(try error("/v1/search?q=" + String(repeating: "a", count: 1200)).0, 400)
        // A refused field value under "-" or "+" crashed the daemon once (scripts/fuzz).
        for query in ["-kind:foo", "%2Bprovince:Atlantis", "-lang:xx*", "x+-year:99"] {
            XCTAssertEqual(try error("/v1/search?q=\(query)").0, 400, query)
        }
        XCTAssertEqual(try error("/v1/nothing").0, 404)
        XCTAssertEqual(try error("/v1/citations/hello").0, 400)

        let post = try Raw.request(socket: daemon.socket, bytes: Array("POST /v1/search HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".utf8))
        XCTAssertEqual(post.status, 405)
        let hugeHeader = "GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 1_048_576) + "\r\n\r\n"
        XCTAssertEqual(try Raw.request(socket: daemon.socket, bytes: Array(hugeHeader.utf8)).status, 431)
        let bigBody = try Raw.request(socket: daemon.socket, bytes: Array("GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n".utf8))
        XCTAssertEqual(bigBody.status, 413)
        let garbage = try Raw.request(socket: daemon.socket, bytes: Array("\u{1}\u{2} NOT HTTP\r\n\r\n".utf8))
        XCTAssertEqual(garbage.status, 400)
        // And the daemon still answers.
        XCTAssertEqual(try daemon.json("/v1/health").status, 200)
    }

    /// An index built by another schema is refused, not answered wrongly: a 503 that
    /// says how to rebuild it, while the daemon keeps running.
    func testAnIndexOfAnotherSchemaIsAnswered503WithWhatToDo() throws {
        let directory = TemporaryDirectory("schema")
        let path = directory.child("db")
        let build = try Run.process(Checkout.executable("acsearch-index"), ["--db", path, Checkout.corpus])
        XCTAssertEqual(build.status, 0, build.stderr)
        let writer = try WritableDatabase(path: path, create: false)
        try writer.setMetadata("1", forKey: Schema.Metadata.schemaVersion)
        try writer.commit()
        try writer.close()
        let daemon = try DaemonProcess(arguments: ["--db", path])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let answer = try daemon.json("/v1/search?q=Hai+Duong")
        XCTAssertEqual(answer.status, 503)
        let message = (answer.object["error"] as? [String: Any])?["message"] as? String ?? ""
        XCTAssertTrue(message.contains("schema version 1, this acsearch uses \(Schema.version)"), message)
        XCTAssertTrue(message.contains("rm -rf \(path) && acsearch-index --db \(path)"), message)
        XCTAssertEqual(try daemon.json("/v1/health").status, 200)
    }

    func testSlowClientsAreCutOffAtTheHeaderTimeout() throws {
        let config = TemporaryDirectory("cfg")
        config.write("acsearch.toml", "header_timeout = 1\nidle_timeout = 2\n")
        let daemon = try DaemonProcess(arguments: ["--db", db, "--config", config.child("acsearch.toml")])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let slow = try Raw.connect(daemon.socket, timeout: 5)
        defer { close(slow) }
        let started = Date()
        _ = Raw.send(slow, Array("GET /v1/hea".utf8))
        let answer = Raw.parse(String(decoding: Raw.readAll(slow), as: UTF8.self))
        XCTAssertEqual(answer.status, 408)
        XCTAssertLessThan(Date().timeIntervalSince(started), 4)
        XCTAssertEqual(try daemon.json("/v1/health").status, 200, "real clients are served meanwhile")
    }

    func testNoFailedRequestWhileTheIndexerCommits() throws {
        let work = TemporaryDirectory("live")
        let liveDB = work.child("db")
        XCTAssertEqual(try Run.process(Checkout.executable("acsearch-index"), ["--db", liveDB, Checkout.corpus]).status, 0)
        let daemon = try DaemonProcess(arguments: ["--db", liveDB])
        defer { XCTAssertEqual(daemon.stop(), 0) }

        let writer = Thread {
            for round in 0..<8 {
                var lines: [String] = []
                for n in 0..<150 {
                    lines.append(#"{"id": "live-\#(round)-\#(n)", "body": "Dugong inspection round \#(round) number \#(n) in Hai Duong"}"#)
                }
                work.write("src/round\(round).jsonl", lines.joined(separator: "\n"))
                _ = try? Run.process(Checkout.executable("acsearch-index"), ["--db", liveDB, "--batch-size", "40", work.child("src")])
            }
        }
        writer.start()
        var failures: [String] = []
        var answered = 0
        let deadline = Date().addingTimeInterval(60)
        while !writer.isFinished || answered < 50, Date() < deadline {
            let answer = try daemon.json("/v1/search?q=dugong+OR+hai+duong&limit=20")
            answered += 1
            if answer.status != 200 { failures.append("\(answer.status) \(answer.object)") }
        }
        XCTAssertEqual(failures, [])
        XCTAssertGreaterThan(answered, 20)
        // The last revision is served without a restart (readers look for a new one
        // at most every 50 ms).
        var total = 0
        try waitUntil(timeout: 5) {
            total = (try daemon.json("/v1/search?q=dugong&exact=true").object["total"] as? [String: Any])?["lower"] as? Int ?? 0
            return total == 8 * 150
        }
        XCTAssertEqual(total, 8 * 150)
    }

    func testSIGTERMUnderLoadDrainsAndExitsZero() throws {
        let daemon = try DaemonProcess(arguments: ["--db", db])
        let statuses = LockedArray<Int>()
        let clients = (0..<4).map { _ in
            Thread {
                while let answer = try? daemon.get("/v1/search?q=hai+duong+inspections") {
                    statuses.append(answer.status)
                    if answer.status == 0 { break }
                }
            }
        }
        clients.forEach { $0.start() }
        XCTAssertTrue(waitUntil(timeout: 30) { statuses.count >= 40 }, "the clients were never answered")
        XCTAssertEqual(daemon.stop(), 0, daemon.logText)
        XCTAssertTrue(daemon.notify.wait(for: "STOPPING=1", timeout: 1), "systemd is told the daemon is stopping")
        // Every answer that arrived was a whole, successful one.
        XCTAssertTrue(statuses.values.allSatisfy { $0 == 200 || $0 == 0 }, "\(Set(statuses.values))")
        XCTAssertFalse(FileManager.default.fileExists(atPath: daemon.socket) && Raw.isListening(daemon.socket))
    }

    /// At SIGTERM an idle keep-alive connection is closed at once, and a request still
    /// arriving is let finish: answered whole, with "Connection: close", before the
    /// daemon exits.
    func testSIGTERMClosesIdleConnectionsAndAnswersTheRequestInFlight() throws {
        let daemon = try DaemonProcess(arguments: ["--db", db])
        let idle = try Raw.connect(daemon.socket, timeout: 5)
        defer { close(idle) }
        XCTAssertTrue(Raw.send(idle, Array("GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n".utf8)))
        var buffer = [UInt8](repeating: 0, count: 4096)
        XCTAssertGreaterThan(recv(idle, &buffer, buffer.count, 0), 0, "a keep-alive answer")
        // A request whose head has arrived and whose body has not.
        let arriving = try Raw.connect(daemon.socket, timeout: 5)
        defer { close(arriving) }
        XCTAssertTrue(Raw.send(arriving, Array("GET /v1/search?q=hai+duong HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab".utf8)))
        usleep(200_000)  // time for the daemon to read the head (nothing outside shows it has)
        let exit = LockedArray<Int>()
        let stopping = Thread { exit.append(Int(daemon.stop())) }
        stopping.start()
        XCTAssertEqual(recv(idle, &buffer, buffer.count, 0), 0, "the idle connection is closed, not left to time out")
        usleep(200_000)  // a time in which the daemon must not exit: a fixed wait is the test
        XCTAssertEqual(exit.count, 0, "the daemon waits for the request in flight")
        XCTAssertTrue(Raw.send(arriving, Array("cd".utf8)))
        let answer = String(decoding: Raw.readAll(arriving), as: UTF8.self)
        XCTAssertEqual(Raw.parse(answer).status, 200, answer)
        XCTAssertTrue(answer.lowercased().contains("connection: close"), answer)
        XCTAssertTrue(Raw.parse(answer).body.contains("\"hits\""), answer)
        XCTAssertTrue(waitUntil(timeout: 10) { exit.count > 0 }, "the daemon did not exit after its last answer")
        XCTAssertEqual(exit.values, [0], daemon.logText)
    }

    /// SIGTERM while connections keep arriving: a connection accepted as the listener
    /// closes must be closed, never dropped half made (with the NIOAsyncChannel server
    /// of before, a dropped one trapped, "Deinited NIOAsyncWriter without calling
    /// finish()", and killed the daemon about one stop in seven).
    func testSIGTERMDuringABurstOfNewConnectionsExitsZero() throws {
        for round in 0..<16 {
            let daemon = try DaemonProcess(arguments: ["--db", db])
            let answered = LockedArray<Int>()
            let stopping = LockedFlag()
            let clients = (0..<12).map { _ in
                Thread {
                    while !stopping.isSet {
                        if let answer = try? daemon.get("/v1/health") { answered.append(answer.status) }
                    }
                }
            }
            clients.forEach { $0.start() }
            XCTAssertTrue(waitUntil(timeout: 30, interval: 0.002) { answered.count >= 50 }, "round \(round): no answers")
            let status = daemon.stop()
            stopping.set()
            XCTAssertTrue(waitUntil(timeout: 30, interval: 0.002) { !clients.contains(where: { $0.isExecuting }) },
                          "round \(round): a client never returned")
            XCTAssertEqual(status, 0, "round \(round): \(daemon.logText.suffix(600))")
            if status != 0 { break }
        }
    }

    func testSocketActivationWithSystemdSocketActivate() throws {
        let launcher = "/usr/bin/systemd-socket-activate"
        guard FileManager.default.isExecutableFile(atPath: launcher) else { throw XCTSkip("no systemd-socket-activate") }
        // It passes on only the variables named with -E, as systemd would set them.
        let daemon = try DaemonProcess(arguments: ["--db", db],
                                       launcher: [launcher, "-E", "NOTIFY_SOCKET", "-E", "ACSEARCH_DATA"]
                                           + Run.sanitizerSettings.keys.sorted().flatMap { ["-E", $0] } + ["-l"])
        // The socket exists before the daemon runs; the first request starts it.
        XCTAssertTrue(waitUntil(timeout: 10) { FileManager.default.fileExists(atPath: daemon.socket) }, "no socket")
        // The file is there once the launcher has bound it, a moment before it listens:
        // a connection may be refused until then (seen once in CI).
        var answer: (status: Int, object: [String: Any])? = nil
        XCTAssertTrue(waitUntil(timeout: 10) {
            answer = try? daemon.json("/v1/search?q=Hai+Duong")
            return answer != nil
        }, "the launcher never listened")
        XCTAssertEqual(answer?.status, 200)
        XCTAssertTrue(daemon.notify.wait(for: "READY=1", timeout: 5))
        XCTAssertTrue(daemon.logText.contains("systemd socket"), daemon.logText)
        XCTAssertEqual(daemon.stop(), 0, daemon.logText)
    }

    func testSocketIsGroupOnlyAndALiveSocketIsNeverStolen() throws {
        let daemon = try DaemonProcess(arguments: ["--db", db])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let mode = try FileManager.default.attributesOfItem(atPath: daemon.socket)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o660)
        let second = try Run.process(Checkout.executable("acsearchd"), ["--db", db, "--socket", daemon.socket],
                                     environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stderr.contains("another server is listening"), second.stderr)
        XCTAssertEqual(try daemon.json("/v1/health").status, 200)
    }

    func testStaleSocketIsReplaced() throws {
        let directory = TemporaryDirectory("stale")
        let path = directory.child("s.sock")
        // A socket file nobody listens on, as a crashed daemon leaves behind.
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in for (i, b) in path.utf8.enumerated() { buffer[i] = b } }
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        close(descriptor)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Checkout.executable("acsearchd"))
        process.arguments = ["--db", db, "--socket", path]
        process.environment = ["ACSEARCH_DATA": Checkout.indexDirectory].merging(Run.sanitizerSettings) { mine, _ in mine }
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { kill(process.processIdentifier, SIGTERM); process.waitUntilExit() }
        XCTAssertTrue(waitUntil(timeout: 10, interval: 0.02) { Raw.isListening(path) }, "the daemon never listened")
        XCTAssertEqual(try Raw.request(socket: path, bytes: Array("GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)).status, 200)
    }

    func testCheckConfigAndBadConfiguration() throws {
        let config = TemporaryDirectory("cfg")
        config.write("good.toml", "database = \"\(db)\"\nworkers = 3\n")
        config.write("typo.toml", "databse = \"x\"\n")
        config.write("open.toml", "socket_mode = \"0666\"\n")
        let binary = Checkout.executable("acsearchd")
        let env = ["ACSEARCH_DATA": Checkout.indexDirectory]
        let good = try Run.process(binary, ["--config", config.child("good.toml"), "--check-config"], environment: env)
        XCTAssertEqual(good.status, 0, good.stderr)
        XCTAssertTrue(good.stdout.contains("3 workers"))
        let typo = try Run.process(binary, ["--config", config.child("typo.toml"), "--check-config"], environment: env)
        XCTAssertEqual(typo.status, 1)
        XCTAssertTrue(typo.stderr.contains("unknown setting \"databse\""), typo.stderr)
        let open = try Run.process(binary, ["--config", config.child("open.toml"), "--check-config"], environment: env)
        XCTAssertEqual(open.status, 1)
        XCTAssertTrue(open.stderr.contains("every user"), open.stderr)
        let missing = try Run.process(binary, ["--config", config.child("nope.toml"), "--check-config"], environment: env)
        XCTAssertEqual(missing.status, 1)
        let both = try Run.process(binary, ["--db", db, "--shard", db, "--check-config"], environment: env)
        XCTAssertEqual(both.status, 64)
        XCTAssertTrue(both.stderr.contains("--db or --shard"), both.stderr)
    }
}

/// A flag set on one thread and read on others.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// A lock-protected list, appended to from several threads.
final class LockedArray<Element>: @unchecked Sendable {
    // @unchecked: `items` is only touched under `lock`.
    private let lock = NSLock()
    private var items: [Element] = []
    func append(_ value: Element) { lock.lock(); items.append(value); lock.unlock() }
    var values: [Element] { lock.lock(); defer { lock.unlock() }; return items }
    var count: Int { values.count }
}

extension Raw {
    static func isListening(_ path: String) -> Bool {
        guard let descriptor = try? Raw.connect(path, timeout: 1) else { return false }
        close(descriptor)
        return true
    }
}
