import ACSearchAPI
import ACSearchIndex
import ACSearchTestSupport
import Foundation
import XCTest

/// The watch store's own rules, which the CLI tests cannot reach in reasonable time:
/// the cap on unread matches, a document matched twice, logs compacted and removed,
/// and a log line cut short by a crash.
final class WatchStoreTests: XCTestCase {
    func found(_ id: String) -> WatchMatch.Found { WatchMatch.Found(id: id, title: "t \(id)", kind: "press", date: nil) }

    func testUnreadMatchesAreCappedDeduplicatedAndCompacted() throws {
        let directory = TemporaryDirectory("store")
        let store = WatchStore(directory: directory.path, maxUnread: 3)
        try store.update { $0.append(WatchState(watch: WatchDefinition(name: "w", query: "x"), created: "now")) }
        let log = directory.child("w.matches.jsonl")

        _ = try store.record(["w": [found("a"), found("b")]], at: "t1")
        _ = try store.record(["w": [found("a")], "gone": [found("z")]], at: "t2")
        var state = try XCTUnwrap(try store.watch(named: "w"))
        XCTAssertEqual(try store.unread(state).map(\.id), ["b", "a"], "matched twice before it was read: once, at its latest")
        XCTAssertEqual(try store.unread(state).map(\.seq), [2, 3])

        // Read through 2: the log keeps only what is unread.
        try store.update { watches in watches[0].readThrough = 2 }
        state = try XCTUnwrap(try store.watch(named: "w"))
        XCTAssertEqual(try store.unread(state).map(\.id), ["a"])
        XCTAssertEqual(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").count, 1)

        // Past twice the cap waiting, the newest `maxUnread` are kept and the rest counted.
        for id in ["c", "d", "e", "f", "g"] { _ = try store.record(["w": [found(id)]], at: "t3") }
        state = try XCTUnwrap(try store.watch(named: "w"))
        XCTAssertEqual(try store.unread(state).count, 6, "twice the cap may wait")
        _ = try store.record(["w": [found("h")]], at: "t3")
        state = try XCTUnwrap(try store.watch(named: "w"))
        XCTAssertEqual(try store.unread(state).map(\.id), ["f", "g", "h"])
        XCTAssertEqual(state.dropped, 4)
        XCTAssertEqual(try store.response(state).unread, 3)

        // A line cut short by a crash is skipped, not fatal.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"seq\": 99, \"id\": \"h".utf8))
        try handle.close()
        XCTAssertEqual(try store.unread(state).map(\.id), ["f", "g", "h"])
        // The next match still gets its own seq.
        let next = try store.record(["w": [found("i")]], at: "t4")
        XCTAssertEqual(next["w"]?.map(\.seq), [10])
        XCTAssertEqual(try store.unread(state).map(\.id), ["f", "g", "h", "i"], "on a line of its own after the cut one")

        // Read to the end, the log goes; removed, the watch's log goes with it.
        try store.update { watches in watches[0].readThrough = 10 }
        XCTAssertFalse(FileManager.default.fileExists(atPath: log))
        _ = try store.record(["w": [found("j")]], at: "t5")
        XCTAssertTrue(FileManager.default.fileExists(atPath: log))
        try store.update { $0.removeAll() }
        XCTAssertFalse(FileManager.default.fileExists(atPath: log))
        XCTAssertEqual(try store.watches(), [])
    }
}
