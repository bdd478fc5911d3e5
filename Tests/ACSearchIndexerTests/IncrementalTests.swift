import ACSearchIndexer
import ACSearchTestSupport
import XCTest

final class IncrementalTests: XCTestCase {
    func testTouchEditDeleteRename() throws {
        let tree = TemporaryDirectory("inc")
        let a = tree.write("src/a.txt", "Alpha title\nAlpha inspection body")
        tree.write("src/b.txt", "Beta title\nBeta inspection body")
        tree.write("src/sub/c.txt", "Gamma title\nGamma inspection body")
        let db = tree.child("db")
        let first = try Fixtures.index([tree.child("src")], db: db)
        XCTAssertEqual(first.added, 3)

        let again = try Fixtures.index([tree.child("src")], db: db)
        XCTAssertEqual([again.added, again.replaced, again.deleted, again.unchanged], [0, 0, 0, 3])

        // Touch: a new time, the same content.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: a)
        let touched = try Fixtures.index([tree.child("src")], db: db)
        XCTAssertEqual([touched.added, touched.replaced, touched.touched, touched.unchanged], [0, 0, 1, 3])

        // Edit.
        tree.write("src/a.txt", "Alpha title\nAlpha now mentions a wallaby")
        let edited = try Fixtures.index([tree.child("src")], db: db)
        XCTAssertEqual([edited.added, edited.replaced, edited.unchanged], [0, 1, 2])
        XCTAssertEqual(try Fixtures.ids(db, "wallaby"), ["a.txt"])

        // Delete.
        try FileManager.default.removeItem(atPath: tree.child("src/b.txt"))
        let deleted = try Fixtures.index([tree.child("src")], db: db)
        XCTAssertEqual(deleted.deleted, 1)
        XCTAssertEqual(try Fixtures.ids(db, "beta"), [])

        // Rename: the old id goes, the new one comes.
        try FileManager.default.moveItem(atPath: tree.child("src/sub/c.txt"), toPath: tree.child("src/sub/d.txt"))
        let renamed = try Fixtures.index([tree.child("src")], db: db)
        XCTAssertEqual([renamed.added, renamed.deleted], [1, 1])
        XCTAssertEqual(try Fixtures.ids(db, "gamma"), ["sub/d.txt"])
        XCTAssertEqual(renamed.documents, 2)
    }

    func testNoDeleteKeepsVanishedDocuments() throws {
        let tree = TemporaryDirectory("inc")
        tree.write("src/a.txt", "Alpha\nAlpha body")
        let db = tree.child("db")
        _ = try Fixtures.index([tree.child("src")], db: db)
        try FileManager.default.removeItem(atPath: tree.child("src/a.txt"))
        let kept = try Fixtures.index([tree.child("src")], db: db) { $0.deleteVanished = false }
        XCTAssertEqual(kept.deleted, 0)
        XCTAssertEqual(kept.documents, 1)
    }

    func testRecordsRemovedFromAJSONLinesFileAreDeleted() throws {
        let tree = TemporaryDirectory("inc")
        tree.write("src/feed.jsonl", #"{"id": "one", "body": "first"}"# + "\n" + #"{"id": "two", "body": "second"}"#)
        let db = tree.child("db")
        XCTAssertEqual(try Fixtures.index([tree.child("src")], db: db).added, 2)
        tree.write("src/feed.jsonl", #"{"id": "one", "body": "first, edited"}"#)
        let next = try Fixtures.index([tree.child("src")], db: db)
        XCTAssertEqual([next.replaced, next.deleted, next.documents], [1, 1, 1])
    }
}
