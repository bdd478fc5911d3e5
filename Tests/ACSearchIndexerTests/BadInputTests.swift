import ACSearchIndexer
import ACSearchTestSupport
import XCTest

/// Each bad input is reported with its reason while every good one is indexed.
final class BadInputTests: XCTestCase {
    func testBadFilesAreReportedAndTheRestIndexed() throws {
        let tree = TemporaryDirectory("bad")
        let src = tree.child("src")
        tree.write("src/good1.txt", "Good one\nA good inspection report")
        tree.write("src/good2.md", "---\ntitle: Good two\n---\nAnother good report")
        tree.write("src/invalid-utf8.txt", Data("Title ok\nBytes ".utf8) + Data([0xFF, 0xFE, 0xC3]) + Data(" then inspection".utf8))
        tree.write("src/binary.txt", Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x00, 0x01, 0x02, 0x00, 0x99, 0x00, 0x00, 0x13]))
        tree.write("src/empty.txt", "")
        tree.write("src/huge.txt", Data(repeating: 0x61, count: 50 * 1_048_576))
        var truncated = Fixtures.pdf("Truncated report text")
        truncated = truncated.prefix(60)
        tree.write("src/truncated.pdf", truncated)
        try Fixtures.zipBomb(megabytes: 80, at: tree.child("src/bomb.docx"))
        tree.write("src/lines.jsonl", """
        {"id": "fine-1", "body": "valid record one"}
        {"id": "broken", "body": "unterminated
        not json at all
        {"id": "fine-2", "body": "valid record two"}
        """)
        tree.write("src/bad-front.md", "---\ntitle: [unclosed\n---\nbody")
        let longWord = String(repeating: "x", count: 300)
        tree.write("src/long.json", #"{"id": "\#(String(repeating: "i", count: 300))", "body": "a \#(longWord) word", "province": "\#(longWord)"}"#)
        XCTAssertEqual(mkfifo(tree.child("src/pipe.txt"), 0o600), 0)
        try FileManager.default.createSymbolicLink(atPath: tree.child("src/loop"), withDestinationPath: src)

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
}
