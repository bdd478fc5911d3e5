import ACSearchAPI
import ACSearchIndexer
import ACSearchTestSupport
import Foundation
import XCTest

/// Files as hostile users and other systems make them, through the real
/// `acsearch-index`: each bad one is reported with its reason, every good one beside
/// it is indexed, the run completes.
final class HostileFileTests: XCTestCase {
    /// Runs the indexer under a 2 GiB address-space cap (none under a sanitizer,
    /// whose shadow memory needs terabytes).
    func index(_ db: String, _ src: String, file: StaticString = #filePath, line: UInt = #line) throws
        -> (run: ProcessResult, summary: IndexSummary, reasons: [String: String]) {
        let cap = Run.sanitized ? [] : ["/usr/bin/prlimit", "--as=\(2 << 30)", "--"]
        let command = cap + [Checkout.executable("acsearch-index"), "--db", db, "--json", src]
        let run = try Run.process(command[0], Array(command.dropFirst()), environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        XCTAssertEqual(run.status, 0, run.stderr, file: file, line: line)
        let summary = try JSONDecoder.snakeCase.decode(IndexSummary.self, from: Data(run.stdout.utf8))
        let reasons = Dictionary(summary.skipped.map { (String($0.path.dropFirst(src.count + 1)), $0.reason) },
                                 uniquingKeysWith: { $0 + "; " + $1 })
        return (run, summary, reasons)
    }

    func testFrontMatterNestedDeepOrFullOfAliasesIsRefusedAndTheRestIndexed() throws {
        let tree = TemporaryDirectory("yaml")
        let src = tree.child("src")
        tree.write("src/good.md", "---\ntitle: Good front\nprovince: Hà Nội\n---\nA numbat report")
        tree.write("src/good.txt", "Plain\nA quokka report")
        // 10 KB of flow nesting: Yams' recursion overflowed the stack on it.
        tree.write("src/deep-flow.md", "---\ntitle: Deep\nx: " + String(repeating: "[", count: 5_000)
            + String(repeating: "]", count: 5_000) + "\n---\nA deep body")
        // Block nesting, 200 levels of indentation.
        var block = "---\ntitle: Deep block\n"
        for level in 0..<200 { block += String(repeating: " ", count: level) + "k:\n" }
        tree.write("src/deep-block.md", block + String(repeating: " ", count: 200) + "leaf\n---\nA deep block body")
        // The billion laughs: 9 levels of 9 aliases each.
        var bomb = "---\ntitle: Laughs\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (earlier, name) in zip(names, names.dropFirst()) {
            bomb += "\(name): &\(name) [" + Array(repeating: "*\(earlier)", count: 9).joined(separator: ",") + "]\n"
        }
        tree.write("src/bomb.md", bomb + "---\nLaughing body")
        tree.write("src/large-front.md", "---\ntitle: Large\nnotes: \"" + String(repeating: "n", count: 200_000) + "\"\n---\nbody")
        // A few aliases, as real front matter may have: fine.
        tree.write("src/aliases.md", "---\ntitle: Aliased\nissuer: &who Bộ Tài chính\nsigner: *who\n---\nA wombat report")

        let db = tree.child("db")
        let (run, summary, reasons) = try index(db, src)
        XCTAssertTrue(reasons["deep-flow.md"]?.contains("nested more than 32 levels deep") == true, "\(reasons)")
        XCTAssertTrue(reasons["deep-block.md"]?.contains("nested more than 32 levels deep") == true, "\(reasons)")
        XCTAssertTrue(reasons["bomb.md"]?.contains("more than 16 aliases") == true, "\(reasons)")
        XCTAssertTrue(reasons["large-front.md"]?.contains("front matter is limited to 64 KiB") == true, "\(reasons)")
        XCTAssertTrue(run.stderr.contains("skipped \(src)/bomb.md: invalid front matter: more than 16 aliases"), run.stderr)
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), ["good.md", "good.txt", "aliases.md"], "\(summary.skipped)")
        XCTAssertEqual(try Fixtures.ids(db, "wombat"), ["aliases.md"])

        // Remembered, not read again, until they change.
        let again = try index(db, src)
        XCTAssertTrue(again.summary.skipped.contains { $0.path.hasSuffix("deep-flow.md") && $0.remembered }, "\(again.summary.skipped)")
    }

    /// Windows (CRLF) and old Mac (CR) line breaks, UTF-32 with a BOM.
    func testLineBreaksOfEverySystemAndUTF32AreRead() throws {
        let tree = TemporaryDirectory("breaks")
        let src = tree.child("src")
        tree.write("src/crlf.txt", "Windows title\r\nA numbat line\r\nanother line\r\n")
        tree.write("src/cr.txt", "Mac title\rA quokka line\ranother line\r")
        tree.write("src/crlf.md", "---\r\ntitle: CRLF front\r\ndate: 2022-06-02\r\n---\r\nA wombat body\r\n")
        tree.write("src/cr.md", "---\rtitle: CR front\rdate: 2021-03-04\r---\rA bilby body\r")
        tree.write("src/crlf.jsonl", "{\"id\": \"w-1\", \"body\": \"first dugong\"}\r\n{\"id\": \"w-2\", \"body\": \"second\"}\r\n")
        tree.write("src/cr.jsonl", "{\"id\": \"m-1\", \"body\": \"first echidna\"}\r{\"id\": \"m-2\", \"body\": \"second\"}\r")
        func utf32(_ text: String, littleEndian: Bool) -> Data {
            var data = Data(littleEndian ? [0xFF, 0xFE, 0, 0] : [0, 0, 0xFE, 0xFF])
            for scalar in text.unicodeScalars {
                let value = littleEndian ? scalar.value.littleEndian : scalar.value.bigEndian
                withUnsafeBytes(of: value) { data.append(contentsOf: $0) }
            }
            return data
        }
        tree.write("src/utf32le.txt", utf32("Quyết định UTF-32\nVề việc kiểm tra platypus", littleEndian: true))
        tree.write("src/utf32be.md", utf32("---\ntitle: Big endian\n---\nA kookaburra body", littleEndian: false))

        let db = tree.child("db")
        let (run, summary, _) = try index(db, src)
        XCTAssertEqual(summary.skipped, [], run.stderr)
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), ["crlf.txt", "cr.txt", "crlf.md", "cr.md", "w-1", "w-2", "m-1", "m-2",
                                                       "utf32le.txt", "utf32be.md"])
        let searcher = try Fixtures.searcher(db)
        let expected: [(id: String, title: String, date: String?, word: String)] = [
            ("crlf.txt", "Windows title", nil, "numbat"), ("cr.txt", "Mac title", nil, "quokka"),
            ("crlf.md", "CRLF front", "2022-06-02", "wombat"), ("cr.md", "CR front", "2021-03-04", "bilby"),
            ("utf32le.txt", "Quyết định UTF-32", nil, "platypus"), ("utf32be.md", "Big endian", nil, "kookaburra"),
        ]
        for (id, title, date, word) in expected {
            let document = try searcher.document(id: id)
            XCTAssertEqual(document.title, title, id)
            XCTAssertFalse(document.body.contains("\r"), id)
            if let date { XCTAssertEqual(document.date, date, id) }
            XCTAssertEqual(try Fixtures.ids(db, word), [id])
        }
        XCTAssertEqual(try Fixtures.ids(db, "dugong"), ["w-1"])
        XCTAssertEqual(try Fixtures.ids(db, "echidna"), ["m-1"])
    }

    func testADayThatDoesNotExistIsAnErrorNotTheNextMonth() throws {
        let tree = TemporaryDirectory("dates")
        let src = tree.child("src")
        tree.write("src/feb30.md", "---\ntitle: February 30\ndate: 2022-02-30\n---\nA numbat body")
        tree.write("src/feb30.json", #"{"id": "feb30-json", "title": "February 30", "date": "2022-02-30", "body": "text"}"#)
        tree.write("src/month13.md", "---\ntitle: Month 13\ndate: 2022-13-01\n---\nA body")
        tree.write("src/good.md", "---\ntitle: Leap day\ndate: 2024-02-29\n---\nA quokka body")
        tree.write("src/timed.md", "---\ntitle: With a time\ndate: 2022-06-02T23:30:00+07:00\n---\nA wombat body")
        let db = tree.child("db")
        let (_, _, reasons) = try index(db, src)
        for name in ["feb30.md", "feb30.json", "month13.md"] {
            XCTAssertTrue(reasons[name]?.contains("is not a date like 2022-06-02") == true, "\(name): \(reasons)")
        }
        XCTAssertTrue(reasons["feb30.md"]?.contains("2022-02-30") == true, "\(reasons)")
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), ["good.md", "timed.md"])
        let searcher = try Fixtures.searcher(db)
        XCTAssertEqual(try searcher.document(id: "good.md").date, "2024-02-29")
        // The day as written, not moved to UTC's day (2022-06-02 16:30 there, but a
        // time just after midnight in Hanoi would be the day before).
        XCTAssertEqual(try searcher.document(id: "timed.md").date, "2022-06-02")
    }

    /// The indexer unit's MemoryMax=, in bytes.
    func unitMemoryMax() throws -> Int {
        let unit = try String(contentsOfFile: Checkout.root.appendingPathComponent("systemd/acsearch-index.service").path,
                              encoding: .utf8)
        let line = try XCTUnwrap(unit.split(separator: "\n").first { $0.hasPrefix("MemoryMax=") }, "the unit sets no MemoryMax=")
        let value = line.dropFirst("MemoryMax=".count)
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = value.last, let factor = units[last] { return try XCTUnwrap(Int(value.dropLast())) * factor }
        return try XCTUnwrap(Int(value))
    }

    func testAHostileFolderStaysUnderTheUnitsMemoryMax() throws {
        let limit = try unitMemoryMax()
        let tree = TemporaryDirectory("cap")
        let src = try Fixtures.poisonTree(in: tree)
        tree.write("src/deep.md", "---\nx: " + String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "\n---\nb")
        tree.write("src/deep.html", "<html><body>" + String(repeating: "<div>", count: 50_000) + "text"
            + String(repeating: "</div>", count: 50_000) + "</body></html>")
        var records = Data()
        let padding = Data(repeating: 0x20, count: 30 * 1024)
        for number in 1...1_000 {
            let body = (0..<100).map { "word\(($0 * number) % 997)" }.joined(separator: " ")
            records += Data(#"{"id": "s-\#(number)", "body": "\#(body)"}"#.utf8) + padding + Data("\n".utf8)
        }
        tree.write("src/stream.jsonl", records)
        XCTAssertGreaterThan(records.count, 29 << 20)
        let report = tree.child("rss")
        let run = try Run.process("/usr/bin/time", ["-f", "%M", "-o", report, Checkout.executable("acsearch-index"),
                                                    "--db", tree.child("db"), "--json", src],
                                  environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        XCTAssertEqual(run.status, 0, run.stderr)
        let summary = try JSONDecoder.snakeCase.decode(IndexSummary.self, from: Data(run.stdout.utf8))
        let searcher = try Fixtures.searcher(tree.child("db"))
        for id in ["good1.txt", "good2.md", "fine-1", "fine-2", "s-1", "s-1000"] { XCTAssertNoThrow(try searcher.document(id: id), id) }
        XCTAssertEqual(summary.documents, 1_000 + 6, "\(summary.skipped)")
        let peak = try XCTUnwrap(Int(try String(contentsOfFile: report, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines))) * 1024
        XCTAssertLessThan(peak, limit / 2, "peak RSS \(peak >> 20) MiB against MemoryMax \(limit >> 20) MiB")
    }
}
