import ACSearchTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A shard served by a real xapian-tcpsrv on 127.0.0.1.
final class ShardServer {
    let port: UInt16
    let path: String
    let writable: Bool
    private var process: Process?

    init(path: String, port: UInt16? = nil, writable: Bool = false) throws {
        self.path = path
        self.port = port ?? ShardServer.freePort()
        self.writable = writable
        try start()
    }

    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xapian-tcpsrv")
        process.arguments = (writable ? ["--writable"] : []) + ["--interface", "127.0.0.1", "--port", String(port), path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // Ready when it accepts connections.
        waitUntil(timeout: 10) { ShardServer.accepts(port) }  // the tests see it if it never does
    }

    /// Stops the server as a machine going down would: xapian-tcpsrv forks a child
    /// per connection, so the children go too.
    func stop() {
        guard let process else { return }
        _ = try? Run.process("/usr/bin/pkill", ["-KILL", "-P", String(process.processIdentifier)])
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Freezes (SIGSTOP) or thaws (SIGCONT) the server and its children: a shard that
    /// is there but does not answer.
    func signal(_ signal: Int32) {
        guard let process else { return }
        _ = try? Run.process("/usr/bin/pkill", ["-\(signal)", "-P", String(process.processIdentifier)])
        kill(process.processIdentifier, signal)
    }

    deinit {
        signal(SIGCONT)
        stop()
    }

    var url: String { "tcp://127.0.0.1:\(port)" }

    static func freePort() -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length)
                return getsockname(descriptor, pointer, &length)
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    static func accepts(_ port: UInt16) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

final class ShardTests: XCTestCase {
    let indexer = Checkout.executable("acsearch-index")

    func hits(_ answer: [String: Any]) -> [[String: Any]] { answer["hits"] as? [[String: Any]] ?? [] }

    /// The sample corpus in two shards, each served by xapian-tcpsrv, and acsearchd
    /// over both with `settings` as its configuration.
    struct Sharded {
        let work: TemporaryDirectory
        let servers: [ShardServer]
        let daemon: DaemonProcess
    }

    func sharded(_ settings: String) throws -> Sharded {
        let work = TemporaryDirectory("shard")
        let paths = [work.child("s0"), work.child("s1")]
        let run = try Run.process(indexer, ["--db", paths[0], "--db", paths[1], Checkout.corpus])
        XCTAssertEqual(run.status, 0, run.stderr)
        let servers = try paths.map { try ShardServer(path: $0) }
        let config = work.write("shards.toml", settings)
        let daemon = try DaemonProcess(arguments: ["--shard", servers[0].url, "--shard", servers[1].url, "--config", config])
        return Sharded(work: work, servers: servers, daemon: daemon)
    }

    /// Hits in rank order, ties (equal percent) compared as sets: a sharded index
    /// numbers documents differently, and Xapian orders equal weights by number.
    func ranking(_ answer: [String: Any]) -> [[String]] {
        var groups: [[String]] = []
        var last: Int? = nil
        for hit in hits(answer) {
            let percent = hit["percent"] as? Int
            let id = hit["id"] as? String ?? "?"
            if percent == last, !groups.isEmpty { groups[groups.count - 1].append(id) } else { groups.append([id]) }
            last = percent
        }
        return groups.map { $0.sorted() }
    }

    func testShardedIndexAnswersAsOneAndSurvivesAShardGoingAway() throws {
        let setup = try sharded("shard_connect_timeout_ms = 500\nshard_timeout_ms = 2000\n")
        let shardedDaemon = setup.daemon, server1 = setup.servers[1]
        defer { XCTAssertEqual(shardedDaemon.stop(), 0, shardedDaemon.logText) }
        // Rerun: every document replaces itself in its own shard (read-only servers do not lock).
        let again = try Run.process(indexer, ["--db", setup.work.child("s0"), "--db", setup.work.child("s1"), "--json", Checkout.corpus])
        XCTAssertTrue(again.stdout.contains("\"unchanged\" : 44"), again.stdout)
        let singleDaemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { XCTAssertEqual(singleDaemon.stop(), 0) }

        let status = try shardedDaemon.json("/v1/status").object
        let shards = status["shards"] as? [[String: Any]] ?? []
        XCTAssertEqual(shards.count, 2)
        XCTAssertTrue(shards.allSatisfy { ($0["documents"] as? Int ?? 0) > 5 }, "documents are spread: \(shards)")
        XCTAssertEqual(status["documents"] as? Int, 44)

        let queries = ["Hai Duong inspections", "thanh tra đất đai", "anti-corruption inspection", "steering committee",
                       "number:67-QĐ/TW", "cites:67-QD/TW", "\"tham nhũng\"", "kind:press year:2023", "bribery OR hối lộ",
                       "person:\"Tran Duc Thang\"", "land -Hanoi",
                       // Date ranges read the shards' date bounds and term counts to choose their filter.
                       "corruption date:2023..2023", "date:2021..2022-06", "corruption date:2022-03-15..2023-06-30", "date:2023-06.."]
        for query in queries {
            let path = "/v1/search?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&limit=50&exact=true&facets=kind,province,year,lang"
            let fromShards = try shardedDaemon.json(path), fromOne = try singleDaemon.json(path)
            XCTAssertEqual(fromShards.status, 200, query)
            if query.contains("date:") { XCTAssertFalse(hits(fromOne.object).isEmpty, "\(query) finds something to compare") }
            XCTAssertEqual(ranking(fromShards.object), ranking(fromOne.object), query)
            XCTAssertEqual((fromShards.object["total"] as? [String: Any])?["lower"] as? Int,
                           (fromOne.object["total"] as? [String: Any])?["lower"] as? Int, query)
            XCTAssertEqual(fromShards.object["facets"] as? NSDictionary, fromOne.object["facets"] as? NSDictionary, query)
            func snippets(_ answer: [String: Any]) -> [String: String] {
                Dictionary(hits(answer).map { ($0["id"] as? String ?? "", $0["snippet"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
            }
            XCTAssertEqual(snippets(fromShards.object), snippets(fromOne.object), query)
            XCTAssertEqual(fromShards.object["partial"] as? Bool, false)
        }
        // Spelling and the glossary work although the remote backend serves neither.
        XCTAssertEqual(try shardedDaemon.json("/v1/suggest?q=inspectoins").object["correction"] as? String, "inspections")
        XCTAssertEqual(try shardedDaemon.json("/v1/search?q=inspectoins").object["corrected_query"] as? String, "inspections")

        // A shard goes away: answers come from the other one, marked, within the timeout.
        server1.stop()
        let started = Date()
        let partial = try shardedDaemon.json("/v1/search?q=Hai+Duong")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        XCTAssertEqual(partial.status, 200, "\(partial.object)")
        XCTAssertEqual(partial.object["partial"] as? Bool, true)
        XCTAssertEqual(partial.object["missing_shards"] as? [String], [server1.url])
        XCTAssertGreaterThan(hits(partial.object).count, 0)
        let down = (try shardedDaemon.json("/v1/status").object["shards"] as? [[String: Any]] ?? []).first { $0["name"] as? String == server1.url }
        XCTAssertEqual(down?["state"] as? String, "down")

        // It comes back: full answers again, without a restart.
        try server1.start()
        var full = false
        let deadline = Date().addingTimeInterval(15)
        while !full && Date() < deadline {
            full = try shardedDaemon.json("/v1/search?q=Hai+Duong").object["partial"] as? Bool == false
            if !full { usleep(100_000) }
        }
        XCTAssertTrue(full, "the shard is taken back")
    }

    func testASlowShardCostsNoMoreThanItsTimeout() throws {
        let setup = try sharded("shard_connect_timeout_ms = 500\nshard_timeout_ms = 1500\n")
        let daemon = setup.daemon, server1 = setup.servers[1]
        defer { XCTAssertEqual(daemon.stop(), 0) }
        XCTAssertEqual(try daemon.json("/v1/search?q=Hai+Duong").object["partial"] as? Bool, false)
        server1.signal(SIGSTOP)
        let started = Date()
        let answer = try daemon.json("/v1/search?q=Hai+Duong")
        let took = Date().timeIntervalSince(started)
        XCTAssertLessThan(took, 1.5 * 2 + 1, "at most the timeout, for the failed call and the retry's connect")
        XCTAssertEqual(answer.status, 200, "\(answer.object)")
        XCTAssertEqual(answer.object["missing_shards"] as? [String], [server1.url])
        server1.signal(SIGCONT)
    }

    /// The indexer writes a remote shard through `xapian-tcpsrv --writable`.
    func testIndexerWritesRemoteShardsThroughTheWritableServer() throws {
        let work = TemporaryDirectory("shard")
        let local = work.child("s0"), remote = work.child("s1")
        // The remote shard exists on its machine (created empty by the operator).
        let create = try Run.process(indexer, ["--db", remote, "-"], stdin: Data())
        XCTAssertEqual(create.status, 0, create.stderr)
        let server = try ShardServer(path: remote, writable: true)
        let run = try Run.process(indexer, ["--db", local, "--db", server.url, "--json", Checkout.corpus])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("\"added\" : 44"), run.stdout)
        server.stop()  // the writer's lock goes with it; the daemon opens the folder directly
        // Both shards hold documents, and together all of them.
        let daemon = try DaemonProcess(arguments: ["--shard", local, "--shard", remote])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let shards = try daemon.json("/v1/status").object["shards"] as? [[String: Any]] ?? []
        let counts = shards.compactMap { $0["documents"] as? Int }
        XCTAssertEqual(counts.count, 2)
        XCTAssertTrue(counts.allSatisfy { $0 > 5 }, "\(counts)")
        XCTAssertEqual(counts.reduce(0, +), 44)
    }

    func testRequireAllShardsFailsClearly() throws {
        let setup = try sharded("require_all_shards = true\nshard_connect_timeout_ms = 500\n")
        let daemon = setup.daemon, server1 = setup.servers[1]
        defer { XCTAssertEqual(daemon.stop(), 0) }
        XCTAssertEqual(try daemon.json("/v1/search?q=Hai+Duong").status, 200)
        server1.stop()
        let answer = try daemon.json("/v1/search?q=Hai+Duong")
        XCTAssertEqual(answer.status, 503)
        XCTAssertTrue(((answer.object["error"] as? [String: Any])?["message"] as? String ?? "").contains(server1.url), "\(answer.object)")
    }
}
