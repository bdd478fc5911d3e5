import ACSearchAPI
import ACSearchIndex
import ACSearchIndexer
import ACSearchTestSupport
import Foundation
import XapianKit
import XCTest

/// A new index is built as partial indexes on parallel writers and compacted into
/// place (`PartialIndexes`); it must be the index one writer would have made.
final class PartialIndexTests: XCTestCase {
    let binary = Checkout.executable("acsearch-index")

    /// 240 records in both languages, one id given twice (the second wins).
    func records() -> Data {
        var lines: [String] = []
        let places = ["Hải Dương", "Hà Nội", "Đà Nẵng", "Bắc Ninh"]
        for n in 0..<240 {
            let vietnamese = n % 2 == 0
            let body = vietnamese
                ? "Thanh tra tỉnh \(places[n % 4]) kết luận vụ \(n) về đất đai, theo Quy định 67-QĐ/TW ngày 02/6/2022."
                : "The inspectorate of \(places[n % 4]) concluded case \(n) on land and bribery under Regulation No. 67-QD/TW."
            lines.append(#"{"id": "p\#(n)", "title": "Case \#(n)", "body": "\#(body)", "lang": "\#(vietnamese ? "vi" : "en")"}"#)
        }
        lines.append(#"{"id": "p7", "title": "Case 7 again", "body": "Replaced: the inspectorate of Hà Nội reopened case 7.", "lang": "en"}"#)
        return Data(lines.joined(separator: "\n").utf8)
    }

    func build(_ db: String, writers: Int) throws -> IndexSummary {
        let run = try Run.process(binary, ["--db", db, "--json", "--writers", String(writers), "--batch-size", "50", "-"],
                                  stdin: records())
        XCTAssertEqual(run.status, 0, run.stderr)
        return try JSONDecoder.snakeCase.decode(IndexSummary.self, from: Data(run.stdout.utf8))
    }

    /// Every document (by id: its terms, values and data), the spelling table and the
    /// synonyms: what compaction merged is what one writer wrote.
    func testANewIndexBuiltInPartialsIsWhatOneWriterMakes() throws {
        let tree = TemporaryDirectory("partial")
        let parallel = tree.child("parallel"), single = tree.child("single")
        let parallelSummary = try build(parallel, writers: 3)
        let singleSummary = try build(single, writers: 1)
        XCTAssertEqual(parallelSummary.added, 240)
        XCTAssertEqual(parallelSummary.replaced, 1)
        XCTAssertEqual(parallelSummary.documents, 240)
        XCTAssertEqual(parallelSummary.commits, 1, "the partials' flushes are not commits of the index")
        XCTAssertEqual([singleSummary.added, singleSummary.replaced, singleSummary.documents], [240, 1, 240])
        XCTAssertFalse(FileManager.default.fileExists(atPath: tree.child("parallel/.building")), "nothing left in it")
        XCTAssertEqual(try Run.process("/usr/bin/xapian-check", [parallel]).status, 0)

        let built = try Database(path: parallel), reference = try Database(path: single)
        XCTAssertEqual(try built.documentCount, try reference.documentCount)
        for n in 0..<240 {
            let term = Schema.term(Schema.Prefix.id, "p\(n)")
            let ours = try built.document(id: XCTUnwrap(try built.documentID(withTerm: term)))
            let theirs = try reference.document(id: XCTUnwrap(try reference.documentID(withTerm: term)))
            XCTAssertEqual(try ours.data(), try theirs.data(), "p\(n)")
            XCTAssertEqual(try ours.terms().map { "\($0.term) \($0.wdf)" }, try theirs.terms().map { "\($0.term) \($0.wdf)" }, "p\(n)")
        }
        XCTAssertTrue(String(decoding: try built.document(id: XCTUnwrap(try built.documentID(
            withTerm: Schema.term(Schema.Prefix.id, "p7")))).data(), as: UTF8.self).contains("reopened"))
        XCTAssertEqual(try built.spellings(prefix: "").map { "\($0.word) \($0.frequency)" },
                       try reference.spellings(prefix: "").map { "\($0.word) \($0.frequency)" })
        XCTAssertEqual(try built.metadataKeys(), try reference.metadataKeys())
        XCTAssertEqual(try built.metadata(Schema.Metadata.schemaVersion), String(Schema.version))
        let key = try XCTUnwrap(try reference.metadata(Schema.Metadata.synonymKeys).split(separator: "\n").first.map(String.init))
        XCTAssertEqual(try built.synonyms(of: key), try reference.synonyms(of: key))
        XCTAssertEqual(try Fixtures.ids(parallel, "Hai Duong").count, try Fixtures.ids(single, "Hai Duong").count)

        // Once it exists, the index is changed by its one writer.
        let more = #"{"id": "late", "body": "A late numbat inspection"}"#
        let second = try Run.process(binary, ["--db", parallel, "--json", "--writers", "3", "-"], stdin: Data(more.utf8))
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try JSONDecoder.snakeCase.decode(IndexSummary.self, from: Data(second.stdout.utf8)).documents, 241)
        XCTAssertEqual(try Fixtures.ids(parallel, "numbat"), ["late"])
    }

    /// A run killed while building leaves its partials (and perhaps some files moved into
    /// the folder, but never `iamglass`) behind: the next run clears them.
    /// A run building the same index holds the building folder's lock: another stands down.
    func testLeftoversAreClearedAndARunningBuildIsNotDisturbed() throws {
        let tree = TemporaryDirectory("partial")
        let db = tree.child("db"), building = tree.child("db/.building")
        tree.write("db/.building/0/postlist.glass", "left by a killed run")
        tree.write("db/.building/index/junk", "half a compaction")
        tree.write("db/termlist.glass", "moved in before the run was killed")

        let lock = open(building, O_RDONLY | O_DIRECTORY)
        XCTAssertGreaterThanOrEqual(lock, 0)
        XCTAssertEqual(flock(lock, LOCK_EX), 0)
        let refused = try Run.process(binary, ["--db", db, "-"], stdin: records())
        XCTAssertEqual(refused.status, 75, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("another indexer is writing"), refused.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: building + "/index/junk"), "another run's folder is left alone")
        close(lock)

        let run = try Run.process(binary, ["--db", db, "-"], stdin: records())
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: building))
        XCTAssertEqual(try Run.process("/usr/bin/xapian-check", [db]).status, 0)
        XCTAssertEqual(try Fixtures.searcher(db).statistics().documents, 240)
    }
}
