import ACSearchTestSupport
import Foundation
import XCTest

/// Watches through the real programs: `acsearch watch` asks acsearchd, which keeps
/// the definitions in the store beside the index; `acsearch-index` percolates each
/// commit's documents through them and runs the hook.
final class WatchTests: XCTestCase {
    /// An index, its store (beside it, the default), and a daemon over both.
    final class Setup {
        let directory = TemporaryDirectory("watch")
        var daemon: DaemonProcess!
        var db: String { directory.child("db") }
        var store: String { directory.child("watches") }
        private var feeds = 0

        init(first records: [[String: Any]]) throws {
            let run = try index(records)
            XCTAssertEqual(run.status, 0, run.stderr)
            daemon = try DaemonProcess(arguments: ["--db", db])
        }

        deinit { daemon?.stop() }

        @discardableResult
        /// Indexes the records from a new file, or from the file `rewriting` names (an id
        /// keeps to its first file: the same id in a later one would be a conflict).
        func index(_ records: [[String: Any]], _ extra: [String] = [], rewriting: String? = nil) throws -> ProcessResult {
            let name: String
            if let rewriting { name = rewriting } else { feeds += 1; name = "feed\(feeds).jsonl" }
            let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            let feed = directory.write(name, lines.joined(separator: "\n") + "\n")
            return try Run.process(Checkout.executable("acsearch-index"), ["--db", db] + extra + [feed],
                                   environment: ProcessInfo.processInfo.environment.filter { $0.key != "ACSEARCH_WATCH_HOOK" })
        }

        func acsearch(_ arguments: [String]) throws -> ProcessResult {
            try Run.process(Checkout.executable("acsearch"), ["--socket", daemon.socket] + arguments)
        }

        /// The ids `acsearch --json watch show` prints, and its exit status.
        func shown(_ arguments: [String]) throws -> (ids: [String], status: Int32) {
            let run = try acsearch(["--json", "watch", "show"] + arguments)
            let ids = run.stdout.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
            }
            return (ids, run.status)
        }
    }

    static var old: [String: Any] { [
        "id": "old/land", "kind": "conclusion", "title": "Kết luận thanh tra đất đai tỉnh Hải Dương 2020",
        "body": "Thanh tra đất đai tại Hải Dương.", "province": "Hải Dương", "date": "2020-03-01",
    ] }
    static var three: [[String: Any]] { [
        ["id": "new/land-1", "kind": "conclusion", "title": "Kết luận thanh tra đất đai huyện Kinh Môn",
         "body": "Thanh tra việc quản lý đất đai tại Hải Dương.", "province": "Hải Dương", "date": "2024-02-01"],
        ["id": "new/health", "kind": "conclusion", "title": "Kết luận thanh tra mua sắm thiết bị y tế",
         "body": "Thanh tra Sở Y tế Hải Dương.", "province": "Hải Dương", "date": "2024-02-02"],
        ["id": "new/land-2", "kind": "conclusion", "title": "Kết luận thanh tra đất đai thành phố Chí Linh",
         "body": "Sai phạm về đất đai ở Hải Dương.", "province": "Hải Dương", "date": "2024-02-03"],
    ] }

    func testAWatchSeesExactlyTheNewMatchesThenNone() throws {
        // A document that matches was indexed before: a watch reports what is new, not the index.
        let setup = try Setup(first: [Self.old])
        let add = try setup.acsearch(["watch", "add", "land-hd", "đất đai", "--kind", "conclusion", "--province", "Hai Duong"])
        XCTAssertEqual(add.status, 0, add.stderr)
        XCTAssertTrue(add.stdout.contains("watch land-hd: \"đất đai\" --kind conclusion --province Hai Duong"), add.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: setup.store + "/watches.json"), "the store is beside the index")
        XCTAssertEqual(try setup.shown(["land-hd"]).status, 1, "nothing new yet")

        let run = try setup.index(Self.three)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("watch land-hd: 2 new"), run.stderr)
        let list = try setup.acsearch(["watch", "list"])
        XCTAssertTrue(list.stdout.contains("land-hd  2 unread"), list.stdout)

        let text = try setup.acsearch(["watch", "show", "land-hd", "--keep"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("land-hd: 2 new"), text.stdout)
        XCTAssertTrue(text.stdout.contains("2024-02-01  Kết luận thanh tra đất đai huyện Kinh Môn (inspection conclusion) [new/land-1]"),
                      text.stdout)
        let first = try setup.shown(["land-hd"])
        XCTAssertEqual(first.ids, ["new/land-1", "new/land-2"], "exactly the two that match, in the order indexed")
        XCTAssertEqual(first.status, 0)
        let again = try setup.shown(["land-hd"])
        XCTAssertEqual(again.ids, [], "read once, they are not new any more")
        XCTAssertEqual(again.status, 1)

        // A replaced document is new again; one changed so that it no longer matches is not.
        var changed = Self.three[0]
        changed["body"] = "Thanh tra việc quản lý đất đai tại Hải Dương, kết luận bổ sung."
        var unmatched = Self.three[2]
        unmatched["title"] = "Kết luận thanh tra xây dựng thành phố Chí Linh"
        unmatched["body"] = "Sai phạm về xây dựng ở Hải Dương."
        XCTAssertEqual(try setup.index([changed, unmatched], rewriting: "feed2.jsonl").status, 0)
        XCTAssertEqual(try setup.shown([]).ids, ["new/land-1"])

        // Removed, it is gone, and the next commit records nothing for it.
        XCTAssertEqual(try setup.acsearch(["watch", "rm", "land-hd"]).status, 0)
        XCTAssertEqual(try setup.acsearch(["watch", "show", "land-hd"]).status, 2)
        let after = try setup.index([["id": "new/land-3", "kind": "conclusion", "title": "Đất đai Hải Dương", "body": "đất đai",
                                      "province": "Hải Dương"]])
        XCTAssertFalse(after.stderr.contains("watch land-hd"), after.stderr)
    }

    /// Over shards, a watch's new documents are found by their id terms in each.
    func testWatchesOverShards() throws {
        let directory = TemporaryDirectory("wshards")
        let shards = [directory.child("s1"), directory.child("s2")]
        func index(_ records: [[String: Any]], _ name: String) throws -> ProcessResult {
            let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            let feed = directory.write(name, lines.joined(separator: "\n") + "\n")
            return try Run.process(Checkout.executable("acsearch-index"), shards.flatMap { ["--db", $0] } + [feed])
        }
        XCTAssertEqual(try index([Self.old], "old.jsonl").status, 0)
        let store = directory.child("watches")
        let refused = try DaemonProcess(arguments: shards.flatMap { ["--shard", $0] })
        let none = try Run.process(Checkout.executable("acsearch"), ["--socket", refused.socket, "watch", "list"])
        XCTAssertEqual(none.status, 2)
        XCTAssertTrue(none.stderr.contains("this daemon keeps no watches"), none.stderr)
        refused.stop()
        let daemon = try DaemonProcess(arguments: shards.flatMap { ["--shard", $0] } + ["--watches", store])
        defer { daemon.stop() }
        let add = try Run.process(Checkout.executable("acsearch"), ["--socket", daemon.socket, "watch", "add", "land", "đất đai"])
        XCTAssertEqual(add.status, 0, add.stderr)
        let run = try index(Self.three, "three.jsonl")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("watch land: 2 new"), run.stderr)
        let shown = try Run.process(Checkout.executable("acsearch"), ["--socket", daemon.socket, "watch", "show", "land"])
        XCTAssertTrue(shown.stdout.contains("[new/land-1]") && shown.stdout.contains("[new/land-2]"), shown.stdout)
        XCTAssertFalse(shown.stdout.contains("new/health") || shown.stdout.contains("old/land"), shown.stdout)
    }

    /// An index rebuilt from its sources (a schema upgrade) holds nothing new.
    func testARebuiltIndexIsNotNews() throws {
        let setup = try Setup(first: [Self.old])
        XCTAssertEqual(try setup.acsearch(["watch", "add", "land", "đất đai"]).status, 0)
        setup.daemon.stop()
        try FileManager.default.removeItem(atPath: setup.db)
        let rebuilt = try setup.index([Self.old] + Self.three)
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        XCTAssertTrue(rebuilt.stderr.contains("the index is built anew, so its documents are not reported to the 1 watches"),
                      rebuilt.stderr)
        setup.daemon = try DaemonProcess(arguments: ["--db", setup.db])
        XCTAssertEqual(try setup.shown(["land"]).ids, [])
        // The next run's documents are.
        XCTAssertEqual(try setup.index([["id": "new/land-7", "kind": "press", "title": "Đất đai", "body": "đất đai"]]).status, 0)
        XCTAssertEqual(try setup.shown(["land"]).ids, ["new/land-7"])
    }

    func testTheFeedThroughTheSocketMatchesTheOpenAPIDocument() throws {
        let setup = try Setup(first: [Self.old])
        let put = try Raw.request(socket: setup.daemon.socket, bytes: Array(
            "PUT /v1/watches/land?q=%C4%91%E1%BA%A5t+%C4%91ai&kind=conclusion HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
        XCTAssertEqual(put.status, 201, put.body)
        XCTAssertEqual(try setup.index(Self.three).status, 0)
        let answers = TemporaryDirectory("oas")
        var arguments = [Checkout.root.appendingPathComponent("docs/openapi.yaml").path, "WatchResponse", answers.write("put.json", put.body)]

        let feed = try Raw.request(socket: setup.daemon.socket, bytes: Array(
            "GET /v1/watches/land/new HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        XCTAssertEqual(feed.status, 200, feed.body)
        let lines = feed.body.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, feed.body)
        let seqs = lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["seq"] as? Int }
        XCTAssertEqual(seqs, [1, 2])
        for (index, line) in lines.enumerated() { arguments += ["WatchMatch", answers.write("match\(index).json", String(line))] }
        for (schema, path, status) in [("WatchResponse", "/v1/watches/land", 200), ("WatchListResponse", "/v1/watches", 200),
                                       ("ErrorResponse", "/v1/watches/nope", 404), ("ErrorResponse", "/v1/watches/bad%20name", 400)] {
            let answer = try setup.daemon.get(path)
            XCTAssertEqual(answer.status, status, path + ": " + answer.body)
            arguments += [schema, answers.write("\(arguments.count).json", answer.body)]
        }
        // Read through the first: the second is still new.
        let read = try Raw.request(socket: setup.daemon.socket, bytes: Array(
            "POST /v1/watches/land/read?through=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
        XCTAssertEqual(read.status, 200, read.body)
        arguments += ["WatchResponse", answers.write("read.json", read.body)]
        XCTAssertEqual(try setup.shown(["land"]).ids, ["new/land-2"])
        let wrongMethod = try Raw.request(socket: setup.daemon.socket, bytes: Array(
            "POST /v1/watches/land HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
        XCTAssertEqual(wrongMethod.status, 405, wrongMethod.body)
        arguments += ["ErrorResponse", answers.write("405.json", wrongMethod.body)]
        let delete = try Raw.request(socket: setup.daemon.socket, bytes: Array(
            "DELETE /v1/watches/land HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        XCTAssertEqual(delete.status, 200, delete.body)
        arguments += ["WatchDeletedResponse", answers.write("delete.json", delete.body)]

        let check = try Run.process("/usr/bin/env", ["python3", Checkout.root.appendingPathComponent("scripts/check-openapi").path] + arguments)
        XCTAssertEqual(check.status, 0, check.stderr + check.stdout)
        XCTAssertTrue(check.stdout.contains("0 problems"), check.stdout)
    }

    func testTheHookGetsTheNewMatchesAndItsFailuresNeverFailIndexing() throws {
        let setup = try Setup(first: [Self.old])
        XCTAssertEqual(try setup.acsearch(["watch", "add", "land", "đất đai"]).status, 0)
        XCTAssertEqual(try setup.acsearch(["watch", "add", "health", "y tế"]).status, 0)
        let seen = setup.directory.child("seen")
        let hook = setup.directory.write("hook", "#!/bin/sh\n{ echo \"watch $1 $ACSEARCH_WATCH $ACSEARCH_WATCH_NEW\"; cat; } >> \(seen)\n")
        chmod(hook, 0o755)
        let run = try setup.index(Self.three, ["--watch-hook", hook])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = try String(contentsOfFile: seen, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.filter { $0.hasPrefix("watch ") }.sorted(), ["watch health health 1", "watch land land 2"], "\(lines)")
        let ids = lines.filter { $0.hasPrefix("{") }.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? String
        }
        XCTAssertEqual(ids.sorted(), ["new/health", "new/land-1", "new/land-2"])

        // A hook that fails, one that cannot start, and one that would run on: logged, indexing done.
        let failing = setup.directory.write("failing", "#!/bin/sh\necho 'cannot deliver' >&2\nexit 3\n")
        chmod(failing, 0o755)
        var record = Self.three[0]
        record["id"] = "new/land-4"
        let failed = try setup.index([record], ["--watch-hook", failing])
        XCTAssertEqual(failed.status, 0, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("acsearch-index: watch land: hook \(failing) failed with exit status 3"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("cannot deliver"), "the hook's own words reach the log: " + failed.stderr)
        record["id"] = "new/land-5"
        let missing = try setup.index([record], ["--watch-hook", setup.directory.child("no-such-hook")])
        XCTAssertEqual(missing.status, 0, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("could not start"), missing.stderr)
        let slow = setup.directory.write("slow", "#!/bin/sh\nexec sleep 300\n")
        chmod(slow, 0o755)
        record["id"] = "new/land-6"
        let stopped = try setup.index([record], ["--watch-hook", slow, "--watch-hook-timeout", "0.5"])
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        XCTAssertTrue(stopped.stderr.contains("acsearch-index: watch land: hook \(slow) ran past 0.5 s and was stopped"), stopped.stderr)
        // None of it lost a match.
        XCTAssertEqual(try setup.shown(["land"]).ids, ["new/land-1", "new/land-2", "new/land-4", "new/land-5", "new/land-6"])
    }

    func testBadWatchesAndABrokenStoreAreSaidClearly() throws {
        let setup = try Setup(first: [Self.old])
        let syntax = try setup.acsearch(["watch", "add", "bad", "đất AND"])
        XCTAssertEqual(syntax.status, 2, syntax.stdout)
        XCTAssertTrue(syntax.stderr.contains("cannot parse the query"), syntax.stderr)
        let province = try setup.acsearch(["watch", "add", "bad", "đất", "--province", "Atlantis"])
        XCTAssertEqual(province.status, 2)
        XCTAssertTrue(province.stderr.contains("unknown province \"Atlantis\""), province.stderr)
        let name = try setup.acsearch(["watch", "add", "../etc", "đất"])
        XCTAssertEqual(name.status, 64, name.stderr)
        XCTAssertTrue(name.stderr.contains("a watch's name is 1 to 64 letters"), name.stderr)
        let date = try setup.acsearch(["watch", "add", "dated", "đất", "--since", "someday"])
        XCTAssertEqual(date.status, 64, date.stderr)
        XCTAssertTrue(date.stderr.contains("--since"), date.stderr)
        let unknown = try setup.acsearch(["watch", "show", "nope"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no watch named \"nope\""), unknown.stderr)
        XCTAssertEqual(try setup.acsearch(["watch", "list"]).status, 1, "none was saved")
        // A URL the daemon refuses is refused as a watch's, not as a method the API lacks.
        for target in ["/v1/watches/x?q=%01", "/v1/watches/x?q=%E0%A4"] {
            let put = try Raw.request(socket: setup.daemon.socket, bytes: Array(
                "PUT \(target) HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            XCTAssertEqual(put.status, 400, target + ": " + put.body)
        }

        // A store that is not one: the indexer says so and indexes all the same; the daemon says so.
        XCTAssertEqual(try setup.acsearch(["watch", "add", "land", "đất đai"]).status, 0)
        let file = setup.store + "/watches.json"
        let good = try Data(contentsOf: URL(fileURLWithPath: file))
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: file))
        let run = try setup.index(Self.three)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("watches not run over 3 new documents"), run.stderr)
        XCTAssertTrue(run.stderr.contains("3 added"), run.stderr)
        let list = try setup.acsearch(["watch", "list"])
        XCTAssertEqual(list.status, 2)
        XCTAssertTrue(list.stderr.contains("is not a watch store"), list.stderr)
        try good.write(to: URL(fileURLWithPath: file))
        XCTAssertEqual(try setup.acsearch(["watch", "list"]).status, 0)
    }
}
