import ACSearchAPI
import ACSearchIndexer
import ACSearchTestSupport
import Foundation
import XapianKit
import XCTest

/// What makes a document the one it is, through the real `acsearch-index`: its id
/// comes from its name or its record, and no name, twin name, shared id or long id
/// may lose a document, keep a stale one, or churn from run to run.
final class IdentityTests: XCTestCase {
    struct Indexed {
        let run: ProcessResult
        let summary: IndexSummary
    }

    func index(_ db: String, _ roots: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Indexed {
        let run = try Run.process(Checkout.executable("acsearch-index"), ["--db", db, "--json"] + roots,
                                  environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        XCTAssertEqual(run.status, 0, run.stderr, file: file, line: line)
        let summary = try JSONDecoder.snakeCase.decode(IndexSummary.self, from: Data(run.stdout.utf8))
        return Indexed(run: run, summary: summary)
    }

    /// A file whose name is the given bytes, which need not be UTF-8.
    func create(folder: String, name: [UInt8], contents: String) {
        let path = Array(folder.utf8) + [UInt8(ascii: "/")] + name + [0]
        let descriptor = path.withUnsafeBufferPointer {
            open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        }
        precondition(descriptor >= 0, "cannot create the file")
        _ = contents.withCString { write(descriptor, $0, strlen($0)) }
        close(descriptor)
    }

    func isUnchanged(_ summary: IndexSummary) -> Bool {
        summary.added == 0 && summary.replaced == 0 && summary.deleted == 0
    }

    func testANameThatIsNotUTF8IsReportedAndTheRestIndexed() throws {
        let tree = TemporaryDirectory("names")
        let src = tree.child("src")
        tree.write("src/good.txt", "Good\nA good numbat inspection")
        // "résumé.txt" in Latin-1, as an old archive unpacks it.
        create(folder: src, name: [0x72, 0xE9, 0x73, 0x75, 0x6D, 0xE9] + Array(".txt".utf8), contents: "Latin\nA quokka")
        try FileManager.default.createDirectory(atPath: src + "/sub", withIntermediateDirectories: true)
        create(folder: src + "/sub", name: [0x66, 0xFF] + Array(".md".utf8), contents: "# Bad\nA wombat")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: src).count, 3)

        let db = tree.child("db")
        for round in 1...2 {
            let indexed = try index(db, [src])
            let shown = ["\(src)/r\u{FFFD}sum\u{FFFD}.txt", "\(src)/sub/f\u{FFFD}.md"]
            for path in shown {
                XCTAssertTrue(indexed.run.stderr.contains("skipped \(path): the file name is not UTF-8"),
                              "round \(round): \(indexed.run.stderr)")
                XCTAssertTrue(indexed.summary.skipped.contains { $0.path == path && $0.reason.contains("not UTF-8") },
                              "round \(round): \(indexed.summary.skipped)")
            }
            XCTAssertEqual(try Fixtures.ids(db, ""), ["good.txt"])
        }
    }

    func testNamesThatDifferOnlyInNormalisationDoNotChurnOrLeaveStaleDocuments() throws {
        let tree = TemporaryDirectory("names")
        let src = tree.child("src")
        let composed = "caf\u{E9}.txt", decomposed = "cafe\u{301}.txt"
        XCTAssertNotEqual(Array(composed.utf8), Array(decomposed.utf8))
        try FileManager.default.createDirectory(atPath: src, withIntermediateDirectories: true)
        create(folder: src, name: Array(decomposed.utf8), contents: "Decomposed\nThe numbat version")
        create(folder: src, name: Array(composed.utf8), contents: "Composed\nThe quokka version")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: src).count, 2)
        let db = tree.child("db")

        // The first in byte order (NFD: "e" sorts before "é") is indexed, under its NFC id.
        let first = try index(db, [src])
        XCTAssertTrue(first.run.stderr.contains("skipped \(src)/\(composed): its name differs from"), first.run.stderr)
        XCTAssertEqual(try Fixtures.ids(db, ""), [composed])
        XCTAssertEqual(try Fixtures.ids(db, "numbat"), [composed])

        let second = try index(db, [src])
        XCTAssertTrue(isUnchanged(second.summary), second.run.stderr)
        XCTAssertEqual(second.summary.unchanged, 1)

        // The indexed twin removed: the other is indexed under the same id, not lost with it.
        XCTAssertEqual(unlink(src + "/" + decomposed), 0)
        let third = try index(db, [src])
        XCTAssertEqual(try Fixtures.ids(db, ""), [composed], third.run.stderr)
        XCTAssertEqual(try Fixtures.ids(db, "quokka"), [composed], third.run.stderr)
        XCTAssertTrue(isUnchanged(try index(db, [src]).summary))

        // A file renamed from NFD to NFC (copied from macOS, then fixed): one document, kept.
        tree.write("src/the\u{301}.txt", "Tea\nA wombat report")
        _ = try index(db, [src])
        XCTAssertEqual(rename(src + "/the\u{301}.txt", src + "/th\u{E9}.txt"), 0)
        let renamed = try index(db, [src])
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), [composed, "th\u{E9}.txt"], renamed.run.stderr)
        XCTAssertEqual(try Fixtures.ids(db, "wombat"), ["th\u{E9}.txt"], renamed.run.stderr)
        XCTAssertTrue(isUnchanged(try index(db, [src]).summary))
        // One state per file: the old name's is gone with it.
        let states = try Database(path: db).metadataKeys(prefix: "acsearch.file:")
        XCTAssertEqual(states.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }, 
                       ["acsearch.file:\(src)/\(composed)", "acsearch.file:\(src)/th\u{E9}.txt"].map { Array($0.utf8) })
    }

    func testFormatsNotReadAreListedByPath() throws {
        let tree = TemporaryDirectory("names")
        let src = tree.child("src")
        tree.write("src/report.txt", "Report\nA numbat report")
        tree.write("src/table.csv", "a,b\n1,2")
        tree.write("src/slides.pptx", "not read yet")
        tree.write("src/sub/photo.png", Data([0x89, 0x50, 0x4E, 0x47]))
        let indexed = try index(tree.child("db"), [src])
        let unread = ["\(src)/slides.pptx", "\(src)/sub/photo.png", "\(src)/table.csv"]
        XCTAssertEqual(indexed.summary.unread.sorted(), unread)
        for path in unread {
            XCTAssertTrue(indexed.run.stderr.contains("not read \(path): not a format acsearch-index reads"), indexed.run.stderr)
        }
        XCTAssertTrue(indexed.run.stdout.contains("\"unread\""), indexed.run.stdout)
        XCTAssertEqual(indexed.summary.added, 1)

        let line = try Run.process(Checkout.executable("acsearch-index"), ["--db", tree.child("db"), src],
                                   environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        XCTAssertTrue(line.stderr.contains("3 not read"), line.stderr)
    }

    func testTheSameIdInTwoFilesIsAConflictAndDeletingEitherLosesNothing() throws {
        let tree = TemporaryDirectory("ids")
        let src = tree.child("src")
        let a = tree.write("src/a.json", #"{"id": "dup-1", "title": "From a", "body": "A numbat report"}"#)
        let b = tree.write("src/b.json", #"{"id": "dup-1", "title": "From b", "body": "A quokka report"}"#)
        let lines = tree.write("src/lines.jsonl", """
        {"id": "dup-2", "body": "first wombat record"}
        {"id": "ok-3", "body": "another record"}
        {"id": "dup-2", "body": "second echidna record"}
        """)
        let db = tree.child("db")

        let first = try index(db, [src])
        XCTAssertTrue(first.run.stderr.contains("conflict: id \"dup-1\" is in \(a) and in \(b); the document of \(a) is kept"),
                      first.run.stderr)
        XCTAssertTrue(first.run.stderr.contains("conflict: id \"dup-2\" is in \(lines):1 and in \(lines):3; "
                                                + "the document of \(lines):1 is kept"), first.run.stderr)
        XCTAssertEqual(Set(first.summary.conflicts), [.init(id: "dup-1", kept: a, notKept: b),
                                                      .init(id: "dup-2", kept: lines + ":1", notKept: lines + ":3")])
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), ["dup-1", "dup-2", "ok-3"])
        XCTAssertEqual(try Fixtures.ids(db, "numbat"), ["dup-1"])
        XCTAssertEqual(try Fixtures.ids(db, "quokka"), [])
        XCTAssertEqual(try Fixtures.ids(db, "wombat"), ["dup-2"])

        // Nothing changed: nothing churns, and the conflict between files is still said.
        let again = try index(db, [src])
        XCTAssertTrue(isUnchanged(again.summary), again.run.stderr)
        XCTAssertEqual(again.summary.conflicts, [.init(id: "dup-1", kept: a, notKept: b)])

        // The file not kept deleted: the kept document stays.
        try FileManager.default.removeItem(atPath: b)
        let loserGone = try index(db, [src])
        XCTAssertEqual(try Fixtures.ids(db, "numbat"), ["dup-1"], loserGone.run.stderr)
        XCTAssertEqual(loserGone.summary.conflicts, [])

        // Back, then the kept one deleted: the other's document takes the id in the same run.
        tree.write("src/b.json", #"{"id": "dup-1", "title": "From b", "body": "A quokka report"}"#)
        XCTAssertEqual(try index(db, [src]).summary.conflicts.count, 1)
        XCTAssertEqual(try Fixtures.ids(db, "numbat"), ["dup-1"])
        try FileManager.default.removeItem(atPath: a)
        let winnerGone = try index(db, [src])
        XCTAssertEqual(try Fixtures.ids(db, "quokka"), ["dup-1"], winnerGone.run.stderr)
        XCTAssertEqual(try Fixtures.ids(db, "numbat"), [])
        XCTAssertEqual(winnerGone.summary.conflicts, [])
        XCTAssertTrue(isUnchanged(try index(db, [src]).summary))

        // A new file earlier in sorted order takes the id; removed, the id goes back.
        let zero = tree.write("src/0.json", #"{"id": "dup-1", "title": "From 0", "body": "A bilby report"}"#)
        let newcomer = try index(db, [src])
        XCTAssertEqual(newcomer.summary.conflicts, [.init(id: "dup-1", kept: zero, notKept: b)], newcomer.run.stderr)
        XCTAssertEqual(try Fixtures.ids(db, "bilby"), ["dup-1"])
        XCTAssertEqual(try Fixtures.ids(db, "quokka"), [])
        XCTAssertTrue(isUnchanged(try index(db, [src]).summary))
        try FileManager.default.removeItem(atPath: zero)
        _ = try index(db, [src])
        XCTAssertEqual(try Fixtures.ids(db, "quokka"), ["dup-1"])

        // The kept file edited to another id: the other file's document takes the old one.
        tree.write("src/b.json", #"{"id": "dup-1b", "title": "From b", "body": "A quokka report"}"#)
        tree.write("src/c.json", #"{"id": "dup-1", "title": "From c", "body": "A dugong report"}"#)
        _ = try index(db, [src])
        XCTAssertEqual(try Fixtures.ids(db, "dugong"), ["dup-1"])
        XCTAssertEqual(try Fixtures.ids(db, "quokka"), ["dup-1b"])
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), ["dup-1", "dup-1b", "dup-2", "ok-3"])
    }

    func testIdsLongerThanXapiansTermLimitStayApartAndCanBeLookedUp() throws {
        let tree = TemporaryDirectory("ids")
        let head = "qd-" + String(repeating: "0123456789", count: 30)
        let one = head + "-one", two = head + "-two"
        tree.write("src/long.jsonl", """
        {"id": "\(one)", "title": "Long one", "body": "the numbat record"}
        {"id": "\(two)", "title": "Long two", "body": "the quokka record"}
        """)
        let db = tree.child("db")
        _ = try index(db, [tree.child("src")])
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), [one, two])
        XCTAssertEqual(try Fixtures.ids(db, "numbat"), [one])
        XCTAssertEqual(try Fixtures.ids(db, "quokka"), [two])
        XCTAssertTrue(isUnchanged(try index(db, [tree.child("src")]).summary))

        let daemon = try DaemonProcess(arguments: ["--db", db])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        for (id, title) in [(one, "Long one"), (two, "Long two")] {
            let answer = try daemon.json("/v1/documents/\(id)")
            XCTAssertEqual(answer.status, 200, "\(answer.object)")
            XCTAssertEqual(answer.object["id"] as? String, id)
            XCTAssertEqual(answer.object["title"] as? String, title)
        }
        XCTAssertEqual(try daemon.json("/v1/documents/\(head)-three").status, 404)

        // One record removed: the other stays.
        tree.write("src/long.jsonl", #"{"id": "\#(two)", "title": "Long two", "body": "the quokka record"}"#)
        _ = try index(db, [tree.child("src")])
        XCTAssertEqual(try Fixtures.ids(db, ""), [two])
    }
}
