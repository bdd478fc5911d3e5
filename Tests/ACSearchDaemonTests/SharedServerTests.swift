import ACSearchAnalysis
import ACSearchDaemon
import ACSearchIndex
import ACSearchTestSupport
import Foundation
import Logging
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

    // MARK: - Sharing the readers

    /// Sends every request on its own connection before reading any answer.
    func flood(_ socket: String, _ path: String, count: Int) throws -> [CInt] {
        try (0..<count).map { _ in
            let descriptor = try Raw.connect(socket, timeout: 30)
            _ = Raw.send(descriptor, Array("GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            return descriptor
        }
    }

    /// 300 requests at once on one reader, with room for all of them in the queue
    /// (max_queue 1000): those that would wait longer than max_queue_wait_ms are
    /// refused at once with 503, Retry-After and the code "overloaded"; the others are
    /// answered. Bounded by length alone, all 300 would be queued.
    func testOverloadIsRefusedByWaitingTimeNotByQueueLength() throws {
        // No result cache: the 300 are one request, which it would answer from the second on.
        let (daemon, _) = try daemon("workers = 1\nmax_queue = 1000\nmax_queue_wait_ms = 20\nmax_connections = 400\ncache_mib = 0\n")
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        // Queries of some milliseconds each, so 300 of them wait past 20 ms on one reader
        // even when a loaded machine sends the flood slowly; flooded again (at most three
        // times) if one still drained as fast as it came.
        let sixteen = "abcdehiklmnoprst".map { "\($0)*" }.joined(separator: "+OR+")
        var statuses: [Int: Int] = [:]
        for _ in 1...3 where (statuses[503] ?? 0) == 0 {
            statuses = [:]
            let sockets = try flood(daemon.socket, "/v1/search?q=\(sixteen)&facets=kind,year,province&exact=true", count: 300)
            for descriptor in sockets {
                defer { close(descriptor) }
                let raw = String(decoding: Raw.readAll(descriptor), as: UTF8.self)
                let (status, body) = Raw.parse(raw)
                statuses[status, default: 0] += 1
                if status == 503 {
                    XCTAssertTrue(raw.contains("Retry-After: 1"), raw)
                    XCTAssertTrue(body.contains("\"overloaded\""), body)
                }
            }
        }
        XCTAssertEqual(Set(statuses.keys).subtracting([200, 503]), [], "\(statuses)")
        XCTAssertGreaterThan(statuses[503] ?? 0, 0, "nothing refused although requests waited past 20 ms: \(statuses)")
        XCTAssertGreaterThan(statuses[200] ?? 0, 0, "\(statuses)")
        XCTAssertEqual(try daemon.json("/v1/search?q=inspection").status, 200, "served again once the queue drained")
    }

    /// 300 costly requests (wildcards, facets, exact counts) queued on two readers,
    /// then one cheap search: it is answered while the costly ones still wait (one
    /// reader is kept for cheap work), not after all of them.
    func testACheapSearchIsNotQueuedBehindCostlyOnes() throws {
        // No result cache: the 300 are one request, which it would answer from the second on.
        let (daemon, _) = try daemon("workers = 2\nmax_queue = 1000\nmax_queue_wait_ms = 60000\nmax_connections = 400\ncache_mib = 0\n")
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        let count = 300
        let sixteen = "abcdehiklmnoprst".map { "\($0)*" }.joined(separator: "+OR+")
        // Until the costly requests wait in the readers' queue (the daemon has read them).
        func waiting() -> Int {
            let metrics = (try? daemon.get("/metrics").body) ?? ""
            let line = metrics.split(separator: "\n").first { $0.hasPrefix("acsearch_reader_queue_depth ") } ?? ""
            return Int(Double(line.split(separator: " ").last ?? "") ?? 0)
        }
        // On a loaded machine the flood can be sent slower than the readers drain it, so no
        // queue forms and the test could say nothing: then it floods again (at most three
        // times). Whether the cheap search jumps the queue is asserted only once one stands.
        for attempt in 1...3 {
            let costly = try flood(daemon.socket, "/v1/search?q=\(sixteen)&facets=kind,year,province,issuer&exact=true&sort=newest&limit=100",
                                   count: count)
            defer { costly.forEach { close($0) } }
            // How many costly answers have arrived (without waiting for more).
            func answered() -> Int {
                costly.reduce(0) { sum, descriptor in
                    var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                    return sum + (poll(&poller, 1, 0) == 1 ? 1 : 0)
                }
            }
            waitUntil(timeout: 20, interval: 0.002) { waiting() >= 40 }
            let before = answered()
            guard before < count - 40 else {
                for descriptor in costly { _ = Raw.readAll(descriptor) }
                XCTAssertLessThan(attempt, 3, "no queue of costly requests formed in three floods for the test to say anything")
                continue
            }
            let cheap = try daemon.json("/v1/search?q=hai+duong&limit=1")
            XCTAssertEqual(cheap.status, 200)
            let after = answered()
            XCTAssertLessThan(after - before, 15, "the cheap search waited for \(after - before) of the \(count - before) costly ones waiting")
            for descriptor in costly { XCTAssertEqual(Raw.parse(String(decoding: Raw.readAll(descriptor), as: UTF8.self)).status, 200) }
            return
        }
    }

    /// One reader; a client with ten jobs queued and another with one: the other's
    /// job runs next, not after the ten (clients take turns).
    func testClientsTakeTurnsOnTheReaders() throws {
        let resources = try AnalysisResources(directory: Checkout.indexDirectory)
        let pool = ReaderPool(workers: 1, maxQueue: 100, logger: Logger(label: "test")) {
            try Searcher(shards: [.local(path: SampleIndex.path)], resources: resources)
        }
        defer { pool.shutdown() }
        let gate = DispatchSemaphore(value: 0)
        let order = LockedArray<String>()
        let finished = DispatchSemaphore(value: 0)
        try pool.submit({ _ in gate.wait() }, client: "busy", done: { _ in })
        XCTAssertTrue(waitUntil(timeout: 10, interval: 0.001) { pool.queueDepth == 0 }, "the worker never took the job")
        for n in 0..<10 {
            try pool.submit({ _ in order.append("busy-\(n)") }, client: "busy", done: { _ in finished.signal() })
        }
        try pool.submit({ _ in order.append("other") }, client: "other", done: { _ in finished.signal() })
        gate.signal()
        for _ in 0..<11 { finished.wait() }
        XCTAssertEqual(order.values.first, "other", "\(order.values)")
        XCTAssertEqual(order.values.dropFirst(), ArraySlice((0..<10).map { "busy-\($0)" }), "the busy client's jobs keep their order")
    }

    // MARK: - A query's budget

    func search(_ daemon: DaemonProcess, _ query: String, _ extra: String = "") throws -> (status: Int, object: [String: Any]) {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try daemon.json("/v1/search?q=\(encoded)\(extra)")
    }

    func errorCode(_ answer: (status: Int, object: [String: Any])) -> String? {
        (answer.object["error"] as? [String: Any])?["code"] as? String
    }

    /// Costly queries are refused before they run, with what to change: 1,000
    /// characters of wildcards (9.3 s at 100k documents before, with a 2 s time limit),
    /// 166 OR'd wildcards, long phrases, long ORs. Within the budget, wildcards share
    /// it and the query runs.
    func testACostlyQueryIsRefusedBeforeItRunsWithWhatToChange() throws {
        let (daemon, _) = try daemon()
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        let refused: [(String, String)] = [
            (String(String(repeating: "a* ", count: 334).prefix(1000)), "wildcards"),
            (Array(repeating: "t*", count: 166).joined(separator: " OR "), "wildcards"),
            ("\"" + Array(repeating: "thanh tra", count: 20).joined(separator: " ") + "\"", "phrases"),
        ]
        for (query, what) in refused {
            let answer = try search(daemon, query)
            XCTAssertEqual(answer.status, 400, "\(query.prefix(40))…: \(answer.object)")
            XCTAssertEqual(errorCode(answer), "query_too_costly", "\(answer.object)")
            let message = (answer.object["error"] as? [String: Any])?["message"] as? String ?? ""
            XCTAssertTrue(message.contains(what), message)
        }
        // Sixteen wildcards OR'd (the limit) share the OR budget, and are answered.
        let sixteen = "abcdehiklmnoprst".map { "\($0)*" }.joined(separator: " OR ")
        XCTAssertEqual(try search(daemon, sixteen).status, 200)
        XCTAssertEqual(errorCode(try search(daemon, sixteen + " OR u*")), "query_too_costly")
        XCTAssertEqual(try search(daemon, "insp*").status, 200)
        // Each limit is configurable: here twenty OR'd words.
        let (strict, _) = try self.daemon("max_or_terms = 20\nmax_query_terms = 40\n")
        defer { XCTAssertEqual(strict.stop(), 0, strict.logText) }
        let words = ["thanh", "tra", "inspection", "land", "budget", "hospital", "police", "court", "province", "fund",
                     "road", "school", "forest", "mine", "sand", "permit", "auction", "price", "market", "loss", "damage"]
        let or = try search(strict, words.joined(separator: " OR "))
        XCTAssertEqual(errorCode(or), "query_too_costly", "\(or.object)")
        XCTAssertTrue(((or.object["error"] as? [String: Any])?["message"] as? String ?? "").contains("OR"), "\(or.object)")
        XCTAssertEqual(errorCode(try search(strict, (words + words).joined(separator: " "))), "query_too_costly")
        XCTAssertEqual(try search(strict, words.prefix(5).joined(separator: " OR ")).status, 200)
    }

    /// A match that runs past the query time limit is stopped, not left to run on:
    /// the answer holds the best hits found by then, marked partial, with the reason.
    /// (A limit of a microsecond stops any match of more than a few documents.)
    func testAMatchPastItsTimeLimitIsStoppedAndMarkedPartial() throws {
        let (daemon, _) = try daemon("query_time_limit = 0.000001\n")
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        for extra in ["&limit=5", "&limit=5&sort=newest"] {
            let answer = try search(daemon, "a* OR t* OR n* OR c*", extra)
            XCTAssertEqual(answer.status, 200, "\(answer.object)")
            XCTAssertEqual(answer.object["partial"] as? Bool, true, "\(extra): \(answer.object)")
            XCTAssertEqual(answer.object["partial_reason"] as? String, "time_budget", "\(extra)")
            let hits = answer.object["hits"] as? [[String: Any]] ?? []
            XCTAssertEqual(hits.count, 5, "the best hits found before the stop: \(extra)")
            if extra.contains("newest") {
                let dates = hits.compactMap { $0["date"] as? String }
                XCTAssertEqual(dates, dates.sorted(by: >), "kept in the order asked for")
            }
        }
        // With the default limit, the same query is whole.
        let (whole, _) = try self.daemon()
        defer { XCTAssertEqual(whole.stop(), 0, whole.logText) }
        let answer = try search(whole, "a* OR t* OR n* OR c*", "&limit=5")
        XCTAssertEqual(answer.object["partial"] as? Bool, false)
        XCTAssertTrue(answer.object["partial_reason"] is NSNull, "\(answer.object)")
    }

    // MARK: - Where documents came from

    /// The indexer stores the absolute path of each document's file; socket clients
    /// see it relative to the folder it was indexed from unless configured otherwise.
    func testHitsShowSourcesRelativeToTheirRootUnlessConfigured() throws {
        let work = TemporaryDirectory("src")
        let root = work.child("root")
        try FileManager.default.createDirectory(atPath: root + "/notes", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/feeds", withIntermediateDirectories: true)
        _ = work.write("root/notes/land-note.txt", "Land inspection note\nThe provincial inspectorate concluded its zirconium inspection.\n")
        _ = work.write("root/feeds/today.jsonl", #"{"id": "feed-1", "kind": "press", "title": "Zirconium mine inspected", "body": "Inspectors looked at the zirconium mine."}"# + "\n")
        let db = work.child("db")
        let indexed = try Run.process(Checkout.executable("acsearch-index"), ["--db", db, root],
                                      environment: ProcessInfo.processInfo.environment.merging(["ACSEARCH_DATA": Checkout.indexDirectory]) { $1 })
        XCTAssertEqual(indexed.status, 0, indexed.stderr)
        func sources(_ configuration: String) throws -> (hits: [String: String], document: String?) {
            let folder = TemporaryDirectory("cfg")
            let file = folder.write("acsearch.toml", configuration)
            let daemon = try DaemonProcess(arguments: ["--db", db, "--config", file])
            defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
            let hits = try daemon.json("/v1/search?q=zirconium").object["hits"] as? [[String: Any]] ?? []
            var byID: [String: String] = [:]
            for hit in hits { byID[hit["id"] as? String ?? ""] = hit["source"] as? String }
            let document = try daemon.json("/v1/documents/notes%2Fland-note.txt").object["source"] as? String
            return (byID, document)
        }
        let relative = try sources("")
        XCTAssertEqual(relative.hits, ["notes/land-note.txt": "notes/land-note.txt", "feed-1": "today.jsonl"])
        XCTAssertEqual(relative.document, "notes/land-note.txt")
        let rooted = try sources("source_roots = [\"\(root)\"]\n")
        XCTAssertEqual(rooted.hits, ["notes/land-note.txt": "notes/land-note.txt", "feed-1": "feeds/today.jsonl"])
        let absolute = try sources("source_paths = \"absolute\"\n")
        let stored = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        XCTAssertEqual(absolute.hits["feed-1"].map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path },
                       stored + "/feeds/today.jsonl")
        XCTAssertTrue(absolute.document?.hasPrefix("/") ?? false, "\(String(describing: absolute.document))")
    }
}
