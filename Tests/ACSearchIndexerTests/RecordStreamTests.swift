import ACSearchAPI
import ACSearchIndexer
import ACSearchTestSupport
import Foundation
import XCTest

/// A JSON lines file is a stream of records, through the real `acsearch-index`: the
/// file limit applies to each record, and memory holds a few records, not the file.
final class RecordStreamTests: XCTestCase {
    /// Runs the indexer under /usr/bin/time; returns its summary and peak RSS in MiB.
    func index(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws
        -> (run: ProcessResult, summary: IndexSummary, peakMiB: Double) {
        let scratch = TemporaryDirectory("time")
        let report = scratch.child("rss")
        let run = try Run.process("/usr/bin/time", ["-f", "%M", "-o", report, Checkout.executable("acsearch-index"), "--json"]
                                  + arguments, environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        XCTAssertEqual(run.status, 0, run.stderr, file: file, line: line)
        let summary = try JSONDecoder.snakeCase.decode(IndexSummary.self, from: Data(run.stdout.utf8))
        let kilobytes = Double(try String(contentsOfFile: report, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        return (run, summary, (kilobytes ?? .infinity) / 1024)
    }

    func testAJSONLinesFileOverTheFileLimitIsReadRecordByRecordInBoundedMemory() throws {
        let tree = TemporaryDirectory("stream")
        let path = tree.child("src/records.jsonl")
        try FileManager.default.createDirectory(atPath: tree.child("src"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        // 600 records of 100 KiB each (blanks after the JSON, which are JSON too): 60 MiB,
        // 60 times the 1 MiB limit; line 300 is a record of 2 MiB, over it.
        let padding = Data(repeating: 0x20, count: 100 * 1024)
        for number in 1...600 {
            let body = number == 300 ? String(repeating: "long ", count: 400_000) : "record \(number) of the numbat stream"
            try handle.write(contentsOf: Data(#"{"id": "r-\#(number)", "body": "\#(body)"}"#.utf8) + padding + Data("\n".utf8))
        }
        try handle.close()
        let db = tree.child("db")

        let first = try index(["--db", db, "--max-file-size", "1", tree.child("src")])
        XCTAssertEqual(first.summary.added, 599, first.run.stderr)
        XCTAssertEqual(first.summary.skipped.map(\.path), [path + ":300"])
        XCTAssertTrue(first.summary.skipped.first?.reason.contains("too large (2 MiB; the limit is 1 MiB") == true,
                      "\(first.summary.skipped)")
        XCTAssertEqual(first.summary.documents, 599)
        XCTAssertEqual(try Fixtures.searcher(db).document(id: "r-600").body, "record 600 of the numbat stream")
        // Reading the file whole took over 250 MiB (the file, its text, its lines).
        XCTAssertLessThan(first.peakMiB, 120, "peak RSS")

        // Unchanged, then only its time changed: nothing is indexed again.
        let second = try index(["--db", db, "--max-file-size", "1", tree.child("src")])
        XCTAssertEqual([second.summary.added, second.summary.replaced, second.summary.deleted], [0, 0, 0])
        XCTAssertEqual(second.summary.unchanged, 599)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: path)
        let touched = try index(["--db", db, "--max-file-size", "1", tree.child("src")])
        XCTAssertEqual(touched.summary.touched, 1, touched.run.stderr)
        XCTAssertEqual([touched.summary.added, touched.summary.replaced, touched.summary.deleted], [0, 0, 0])

        // Records removed from the end: their documents go, the others stay.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let lines = data.split(separator: 0x0A)
        try Data(lines.prefix(500).joined(separator: [0x0A])).write(to: URL(fileURLWithPath: path))
        let shorter = try index(["--db", db, "--max-file-size", "1", tree.child("src")])
        XCTAssertEqual(shorter.summary.deleted, 100, shorter.run.stderr)
        XCTAssertEqual(shorter.summary.documents, 499)
        XCTAssertThrowsError(try Fixtures.searcher(db).document(id: "r-501"))
        XCTAssertEqual(try Fixtures.searcher(db).document(id: "r-500").body, "record 500 of the numbat stream")

        // Standard input is read the same way, under the same per-record limit.
        let stdin = try Run.process(Checkout.executable("acsearch-index"), ["--db", tree.child("db2"), "--json",
                                                                            "--max-file-size", "1", "-"],
                                    environment: ["ACSEARCH_DATA": Checkout.indexDirectory], stdin: data)
        XCTAssertEqual(stdin.status, 0, stdin.stderr)
        let fromStdin = try JSONDecoder.snakeCase.decode(IndexSummary.self, from: Data(stdin.stdout.utf8))
        XCTAssertEqual(fromStdin.added, 599)
        XCTAssertEqual(fromStdin.skipped.map(\.path), ["stdin:300"])
    }

    func testAJSONLinesFileWhoseRecordsAreAllBadIsSkippedAndRemembered() throws {
        let tree = TemporaryDirectory("stream")
        tree.write("src/bad.jsonl", "not json\n{\"body\": \"unterminated\n[1, 2]\n")
        tree.write("src/empty.jsonl", "")
        tree.write("src/blank.jsonl", "\n\r\n  \n")
        tree.write("src/good.jsonl", "{\"id\": \"g-1\", \"body\": \"a numbat\"}")
        let db = tree.child("db")
        let first = try index(["--db", db, tree.child("src")])
        let reasons = Dictionary(first.summary.skipped.map { (($0.path as NSString).lastPathComponent, $0.reason) },
                                 uniquingKeysWith: { $0 + "; " + $1 })
        XCTAssertTrue(reasons["bad.jsonl"]?.hasPrefix("no valid record (line 1: invalid JSON") == true, "\(reasons)")
        XCTAssertTrue(reasons["bad.jsonl:3"]?.contains("expected an object") == true, "\(reasons)")
        XCTAssertEqual(reasons["empty.jsonl"], "empty file")
        XCTAssertNil(reasons["blank.jsonl"], "blank lines are no records, not errors")
        XCTAssertEqual(try Fixtures.ids(db, ""), ["g-1"])
        let second = try index(["--db", db, tree.child("src")])
        XCTAssertTrue(second.summary.skipped.contains { $0.path.hasSuffix("/bad.jsonl") && $0.remembered }, "\(second.summary.skipped)")
        XCTAssertFalse(second.summary.skipped.contains { $0.path.hasSuffix("/bad.jsonl:1") }, "not read again")
    }

    func testAJSONArrayIsReadElementByElement() throws {
        let tree = TemporaryDirectory("stream")
        tree.write("src/array.json", """
        \u{FEFF}  [
          {"id": "a-1", "body": "commas, [brackets] and \\"quotes ] , {\\" in a numbat string"},
          {"body": "no id of its own"},
          42,
          {"id": "a-4", "nested": [1, {"k": "v"}], "body": "nested fields"}
        ]
        """)
        tree.write("src/object.json", #"{"id": "o-1", "body": "one object, as ever"}"#)
        // Twelve elements of 100 KiB (blanks after each): over a 1 MiB limit as a file,
        // under it one by one; the sixth is a record of 2 MiB.
        var big = Data("[".utf8)
        for number in 1...12 {
            let body = number == 6 ? String(repeating: "long ", count: 400_000) : "element \(number) of the quokka array"
            if number > 1 { big += Data(",".utf8) }
            big += Data(#"{"id": "e-\#(number)", "body": "\#(body)"}"#.utf8) + Data(repeating: 0x20, count: 100 * 1024)
        }
        big += Data("]\n".utf8)
        let bigPath = tree.write("src/big.json", big)
        let db = tree.child("db")
        let first = try index(["--db", db, "--max-file-size", "1", tree.child("src")])
        let array = tree.child("src/array.json")
        XCTAssertEqual(Set(first.summary.skipped.map(\.path)), [array + ":3", bigPath + ":6"], first.run.stderr)
        XCTAssertTrue(first.summary.skipped.contains { $0.path == array + ":3" && $0.reason.contains("expected an object") })
        XCTAssertEqual(Set(try Fixtures.ids(db, "")), Set(["a-1", "array.json#2", "a-4", "o-1"] + (1...12).filter { $0 != 6 }.map { "e-\($0)" }))
        XCTAssertEqual(try Fixtures.ids(db, "numbat"), ["a-1"])
        XCTAssertEqual(try Fixtures.searcher(db).document(id: "e-12").body, "element 12 of the quokka array")
        let second = try index(["--db", db, "--max-file-size", "1", tree.child("src")])
        XCTAssertEqual([second.summary.added, second.summary.replaced, second.summary.deleted], [0, 0, 0])
    }
}
