import ACSearchIndexer
import ACSearchTestSupport
import XCTest

/// Each bad input is reported with its reason while every good one is indexed.
final class BadInputTests: XCTestCase {
    func testBadFilesAreReportedAndTheRestIndexed() throws {
        let tree = TemporaryDirectory("bad")
        let src = try Fixtures.poisonTree(in: tree)

        let db = tree.child("db")
        let summary = try Fixtures.index([src], db: db)
        let reasons = Dictionary(summary.skipped.map { (($0.path as NSString).lastPathComponent, $0.reason) },
                                 uniquingKeysWith: { $0 + "; " + $1 })
        XCTAssertTrue(reasons["binary.txt"]?.contains("binary") == true, "\(reasons)")
        XCTAssertEqual(reasons["empty.txt"], "empty file")
        XCTAssertTrue(reasons["huge.txt"]?.contains("too large") == true)
        XCTAssertTrue(reasons["truncated.pdf"]?.contains("pdftotext") == true || reasons["truncated.pdf"] == "no text found",
                      reasons["truncated.pdf"] ?? "not reported")
        XCTAssertTrue(reasons["bomb.docx"]?.contains("zip bomb") == true, reasons["bomb.docx"] ?? "not reported")
        XCTAssertTrue(reasons["lines.jsonl:2"]?.contains("invalid JSON") == true, "\(reasons)")
        XCTAssertTrue(reasons["lines.jsonl:3"]?.contains("invalid JSON") == true)
        XCTAssertTrue(reasons["bad-front.md"]?.contains("front matter") == true)
        XCTAssertTrue(reasons["pipe.txt"]?.contains("FIFO") == true)
        XCTAssertTrue(reasons["loop"]?.contains("loop") == true, "\(reasons)")

        // Every good document is there, the invalid bytes replaced, the long terms cut.
        let searcher = try Fixtures.searcher(db)
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), ["good1.txt", "good2.md", "invalid-utf8.txt", "fine-1", "fine-2",
                                                       String(repeating: "i", count: 300)])
        XCTAssertTrue(try searcher.document(id: "invalid-utf8.txt").body.contains("\u{FFFD}"))
        XCTAssertEqual(try Fixtures.ids(db, "inspection").sorted(), ["good1.txt", "invalid-utf8.txt"])

        // Bad files are remembered, and not retried until they change.
        let again = try Fixtures.index([src], db: db)
        XCTAssertTrue(again.skipped.contains { $0.path.hasSuffix("binary.txt") && $0.remembered })
        tree.write("src/binary.txt", "Fixed now\nA text that is fine")
        let fixed = try Fixtures.index([src], db: db)
        XCTAssertFalse(fixed.skipped.contains { $0.path.hasSuffix("binary.txt") })
        XCTAssertEqual(try Fixtures.ids(db, "fixed"), ["binary.txt"])
    }

    /// The same poison, plus deeply nested JSON and HTML, through the real binary
    /// under a 2 GiB address-space cap: nothing crashes, every good file is indexed.
    func testPoisonFilesUnderAMemoryCap() throws {
        let tree = TemporaryDirectory("cap")
        let src = try Fixtures.poisonTree(in: tree)
        tree.write("src/deep.jsonl", String(repeating: "[", count: 200_000) + "\n" + #"{"id": "after-deep", "body": "valid after the deep line"}"#)
        tree.write("src/deep.json", String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000))
        tree.write("src/deep.html", "<html><body>" + String(repeating: "<div>", count: 50_000) + "Deep inspection text"
            + String(repeating: "</div>", count: 50_000) + "</body></html>")
        tree.write("src/marks.txt", "Marks only\n" + String(repeating: "\u{0301}", count: 200_000))
        let db = tree.child("db")
        // Under a sanitizer (scripts/torture) its shadow memory needs terabytes of
        // address space: the cap is left off there.
        let cap = Run.sanitized ? [] : ["/usr/bin/prlimit", "--as=\(2 << 30)", "--"]
        let command = cap + [Checkout.executable("acsearch-index"), "--db", db, "--json", src]
        let run = try Run.process(command[0], Array(command.dropFirst()), environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        XCTAssertEqual(run.status, 0, run.stderr)
        let ids = Set(try Fixtures.ids(db, ""))
        XCTAssertTrue(ids.isSuperset(of: ["good1.txt", "good2.md", "invalid-utf8.txt", "fine-1", "fine-2", "after-deep"]), "\(ids)")
        XCTAssertTrue(run.stdout.contains("deep.jsonl:1"), "the deep line is reported: \(run.stdout)")
        XCTAssertTrue(run.stdout.contains("deep.json") || ids.contains("deep.json"), "deep.json reported or indexed")
    }
}
