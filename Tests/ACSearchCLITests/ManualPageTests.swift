import ACSearchTestSupport
import Foundation
import XCTest

/// The manual pages: the programs' pages are what their parsers make today, and the
/// query language's page names every field the query parser knows.
final class ManualPageTests: XCTestCase {
    let manuals = Checkout.root.appendingPathComponent("docs/man")

    func testCommittedPagesAreWhatTheParsersMakeNow() throws {
        let fresh = TemporaryDirectory("man")
        let run = try Run.process(Checkout.root.appendingPathComponent("scripts/man").path,
                                  ["--bin", Checkout.products.path, "--output", fresh.path])
        XCTAssertEqual(run.status, 0, "scripts/man failed: \(run.stderr)")
        for program in ["acsearch", "acsearchd", "acsearch-index"] {
            let committed = try String(contentsOf: manuals.appendingPathComponent("\(program).1"), encoding: .utf8)
            let generated = try String(contentsOfFile: fresh.child("\(program).1"), encoding: .utf8)
            XCTAssertEqual(committed, generated, "docs/man/\(program).1 is out of date: run scripts/man")
        }
        // Characters beyond ASCII survive generation (generate-manual alone drops them).
        let page = try String(contentsOfFile: fresh.child("acsearch.1"), encoding: .utf8)
        XCTAssertTrue(page.contains(#"67-Q\[u0110]/TW"#), page)
        XCTAssertFalse(page.contains("67-Q/TW"), page)
    }

    /// The fields are read from index/SCHEMA.md's field table, which a test in
    /// ACSearchIndexTests keeps equal to the field table the parser is built from, so a
    /// field added there and not described here fails.
    func testQueryLanguagePageNamesEveryField() throws {
        let schema = try String(contentsOf: Checkout.root.appendingPathComponent("index/SCHEMA.md"), encoding: .utf8)
        var fields = Set<String>()
        // Rows of the field table: | `name` | kind | prefix | slot | typed as |, typed as `name:` in a query.
        let row = try NSRegularExpression(pattern: #"(?m)^\| `([a-z]+)` \| (?:free text|boolean|range) \|.*`\1:"#)
        for match in row.matches(in: schema, range: NSRange(schema.startIndex..., in: schema)) {
            fields.insert(String(schema[Range(match.range(at: 1), in: schema)!]))
        }
        XCTAssertEqual(fields.count, 11, "the parser's fields, as read from index/SCHEMA.md: \(fields.sorted())")
        let page = try String(contentsOf: manuals.appendingPathComponent("acsearch.7"), encoding: .utf8)
        for field in fields.sorted() {
            XCTAssertTrue(page.contains(".BI \(field):") || page.contains(".BI \(field): "),
                          "acsearch.7 does not describe \(field):")
        }
        // And names no field the parser does not have.
        let described = try NSRegularExpression(pattern: #"(?m)^\.BI ([a-z]+):"#)
        for match in described.matches(in: page, range: NSRange(page.startIndex..., in: page)) {
            let field = String(page[Range(match.range(at: 1), in: page)!])
            XCTAssertTrue(fields.contains(field), "acsearch.7 describes \(field):, which the parser does not know")
        }
    }

    func testHelpPointsToTheManuals() throws {
        for (program, page) in [("acsearch", "man acsearch"), ("acsearchd", "man acsearchd"), ("acsearch-index", "man acsearch-index")] {
            let run = try Run.process(Checkout.executable(program), ["--help"])
            XCTAssertEqual(run.status, 0, run.stderr)
            // The help is wrapped to the terminal's width.
            let help = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            XCTAssertTrue(help.contains(page + ";"), "\(program) --help: \(run.stdout)")
            XCTAssertTrue(help.contains("man 7 acsearch."), "\(program) --help: \(run.stdout)")
        }
    }
}
