import ACSearchAPI
import ACSearchIndex
import ACSearchIndexer
import ACSearchTestSupport
import Foundation
import XCTest

/// The real `acsearch-index` binary, run as a separate process.
final class IndexCommandTests: XCTestCase {
    let binary = Checkout.executable("acsearch-index")

    func testIndexesTheSampleCorpusAndTheSharedPressItem() throws {
        let tree = TemporaryDirectory("cmd")
        let db = tree.child("db")
        let run = try Run.process(binary, ["--db", db, Checkout.corpus])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("0 skipped"), run.stderr)
        let summary = try Searcher(shards: [.local(path: db)], resources: Fixtures.resources).statistics()
        XCTAssertGreaterThanOrEqual(summary.documents, 40)
        XCTAssertEqual(Set(summary.kinds.keys), ["regulation", "conclusion", "press"])
        XCTAssertEqual(Set(summary.languages.keys), ["en", "vi"])
        let hits = try Fixtures.searcher(db).search(SearchRequest(query: "Hai Duong inspections")).hits.map(\.id)
        XCTAssertTrue(hits.prefix(5).contains("press/vna-2023-06-19-provincial-steering-committees-one-year.md"), "\(hits)")

        let shared = Checkout.sharedCorpus
        guard FileManager.default.fileExists(atPath: shared) else { throw XCTSkip("../shared/corpus is not here") }
        let second = try Run.process(binary, ["--db", db, shared])
        XCTAssertEqual(second.status, 0, second.stderr)
        let document = try Fixtures.searcher(db).document(id: "vna-provincial-steering-committees-one-year.txt")
        XCTAssertEqual(document.kind, "press")
        XCTAssertTrue(document.provinces.map(\.slug).contains("hai-duong"))
        XCTAssertTrue(document.cites.contains("67-QD/TW"))
        XCTAssertTrue(document.people.contains { $0.name == "Tran Duc Thang" })
        XCTAssertTrue(try Fixtures.searcher(db).citations(number: "67-QĐ/TW").citedBy.map(\.id)
            .contains("vna-provincial-steering-committees-one-year.txt"))
    }

    func testAnotherIndexerRunningExitsWith75() throws {
        let tree = TemporaryDirectory("cmd")
        tree.write("src/a.txt", "A\nbody")
        let db = tree.child("db")
        let holder = try IndexWriter(path: db, resources: Fixtures.resources)
        let run = try Run.process(binary, ["--db", db, tree.child("src")])
        XCTAssertEqual(run.status, 75)
        XCTAssertTrue(run.stderr.contains("another indexer is writing"), run.stderr)
        XCTAssertFalse(run.stderr.contains("Fatal") || run.stderr.contains("Stack"), run.stderr)
        withExtendedLifetime(holder) {}
    }

    func testStandardInputAndJSONSummary() throws {
        let tree = TemporaryDirectory("cmd")
        let db = tree.child("db")
        let lines = #"{"id": "pushed-1", "title": "Pushed", "body": "Numbat inspection"}"# + "\n" + "{oops\n"
            + #"{"body": "No id, Numbat again"}"#
        let run = try Run.process(binary, ["--db", db, "--json", "-"], stdin: Data(lines.utf8))
        XCTAssertEqual(run.status, 0, run.stderr)
        let summary = try JSONDecoder.snakeCase.decode(IndexSummary.self, from: Data(run.stdout.utf8))
        XCTAssertEqual(summary.added, 2)
        XCTAssertEqual(summary.skipped.map(\.path), ["stdin:2"])
        XCTAssertEqual(summary.documents, 2)
        // Versioned like the API's answers, for scripts that read it.
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["schema_version"] as? Int, 1)
        XCTAssertEqual(try Fixtures.ids(db, "numbat").count, 2)

        // A bare relative --db is made in the working directory.
        let relative = try Run.process(binary, ["--db", "relative-db", "-"], stdin: Data(lines.utf8), directory: tree.path)
        XCTAssertEqual(relative.status, 0, relative.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: tree.child("relative-db/iamglass")))

        // A folder that cannot be made: the path and the system's reason, not an NSError dump.
        let unmakeable = try Run.process(binary, ["--db", "/proc/acsearch-nowhere/db", "-"], stdin: Data(lines.utf8))
        XCTAssertEqual(unmakeable.status, 1)
        XCTAssertTrue(unmakeable.stderr.contains("/proc/acsearch-nowhere"), unmakeable.stderr)
        XCTAssertFalse(unmakeable.stderr.contains("Error Domain"), unmakeable.stderr)
    }

    func testMaxFileSizeAndTheProgressLineOnATerminal() throws {
        let tree = TemporaryDirectory("cmd")
        tree.write("src/big.txt", "Big\n" + String(repeating: "inspection ", count: 200_000))  // 2.1 MiB
        tree.write("src/small.txt", "Small\nA wombat")
        let limited = try Run.process(binary, ["--db", tree.child("db"), "--max-file-size", "1", tree.child("src")])
        XCTAssertEqual(limited.status, 0, "a skipped file does not fail the run")
        XCTAssertTrue(limited.stderr.contains("big.txt: too large (2 MiB; the limit is 1 MiB"), limited.stderr)
        XCTAssertTrue(limited.stderr.contains("1 added"), limited.stderr)

        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("no script(1)") }
        // On a terminal (script gives it one), a progress line; piped, none.
        let terminal = try Run.process("/usr/bin/script", ["-qec", "\(binary) --db \(tree.child("db2")) \(Checkout.corpus)", "/dev/null"])
        XCTAssertTrue(terminal.stdout.contains("indexing: "), terminal.stdout)
        XCTAssertTrue(terminal.stdout.contains("documents/s"), terminal.stdout)
        let piped = try Run.process(binary, ["--db", tree.child("db3"), Checkout.corpus])
        XCTAssertFalse(piped.stderr.contains("indexing: "), piped.stderr)
    }

    func testUsageErrors() throws {
        let run = try Run.process(binary, ["--db", "/tmp/x", "-", "more"])
        XCTAssertEqual(run.status, 64)
        XCTAssertTrue(run.stderr.contains("cannot be mixed"), run.stderr)
        let missing = try Run.process(binary, [])
        XCTAssertEqual(missing.status, 64)
        let noWriter = try Run.process(binary, ["--db", "/tmp/x", "--writers", "0", "-"])
        XCTAssertEqual(noWriter.status, 64)
        XCTAssertTrue(noWriter.stderr.contains("--writers must be at least 1"), noWriter.stderr)
    }

    /// notmuch's atomicity test, our way: kill -9 at many points of a run, check the
    /// database each time, and finish; the result equals an uninterrupted run.
    func testKilledAtAnyMomentARerunConverges() throws {
        let tree = TemporaryDirectory("kill")
        for file in 0..<60 {
            var lines: [String] = []
            for record in 0..<5 {
                let n = file * 5 + record
                lines.append(#"{"id": "r\#(n)", "title": "Record \#(n)", "body": "Inspection number \#(n) in Hai Duong about land \#(n % 7) and bribery \#(n % 3)", "date": "2022-0\#(n % 9 + 1)-1\#(n % 9)"}"#)
            }
            tree.write("src/f\(file).jsonl", lines.joined(separator: "\n"))
        }
        let reference = tree.child("reference")
        XCTAssertEqual(try Run.process(binary, ["--db", reference, "--batch-size", "7", tree.child("src")]).status, 0)

        let db = tree.child("db")
        var generator = SystemRandomNumberGenerator()
        for attempt in 0..<10 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["--db", db, "--batch-size", "7", tree.child("src")]
            process.standardError = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 5_000...(60_000 + UInt32(attempt) * 20_000), using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if FileManager.default.fileExists(atPath: db + "/iamglass") {
                let check = try Run.process("/usr/bin/xapian-check", [db])
                XCTAssertEqual(check.status, 0, "xapian-check after kill \(attempt): \(check.stdout)\(check.stderr)")
            }
        }
        let finish = try Run.process(binary, ["--db", db, "--batch-size", "7", tree.child("src")])
        XCTAssertEqual(finish.status, 0, finish.stderr)
        XCTAssertEqual(try Run.process("/usr/bin/xapian-check", [db]).status, 0)

        let expected = try Fixtures.searcher(reference)
        let actual = try Fixtures.searcher(db)
        XCTAssertEqual(try actual.statistics().documents, 300)
        for query in ["", "hai duong", "land 3", "bribery 2 inspection", "year:2022"] {
            let request = SearchRequest(query: query, sort: .relevance, limit: 100, exact: true)
            XCTAssertEqual(try actual.search(request).hits.map(\.id), try expected.search(request).hits.map(\.id), query)
            XCTAssertEqual(try actual.search(request).total, try expected.search(request).total, query)
        }
    }
}

extension JSONDecoder {
    static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

final class IndexWaitTests: XCTestCase {
    /// With --wait, a second indexer waits for the first one's lock instead of exiting 75.
    func testWaitForTheLockInsteadOfStandingDown() throws {
        let tree = TemporaryDirectory("wait")
        var lines: [String] = []
        for n in 0..<1000 { lines.append(#"{"id": "w\#(n)", "body": "waiting record \#(n) \#(String(repeating: "word ", count: 40))"}"#) }
        tree.write("big/records.jsonl", lines.joined(separator: "\n"))
        tree.write("small/a.txt", "Small\nA wombat waits")
        let db = tree.child("db")
        let binary = Checkout.executable("acsearch-index")
        let first = Process()
        first.executableURL = URL(fileURLWithPath: binary)
        first.arguments = ["--db", db, tree.child("big")]
        first.standardError = FileHandle.nullDevice
        try first.run()
        // A new index is built in partial indexes inside its folder, and appears at the end.
        let building = tree.child("db/.building")
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: building + "/0/iamglass") && first.isRunning && Date() < deadline {
            usleep(2_000)
        }
        XCTAssertTrue(first.isRunning, "the first run must hold the lock for this test to mean anything")
        let second = try Run.process(binary, ["--db", db, "--wait", "--no-delete", tree.child("small")])
        XCTAssertFalse(first.isRunning, "the second finished only after the first let go")
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 0)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try Fixtures.ids(db, "wombat"), ["a.txt"])
        XCTAssertEqual(try Fixtures.searcher(db).statistics().documents, 1001, "the second wrote into what the first built")
    }
}
