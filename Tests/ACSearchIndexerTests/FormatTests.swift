import ACSearchAPI
import ACSearchIndexer
import ACSearchTestSupport
import XCTest

final class FormatTests: XCTestCase {
    func testEveryFormat() throws {
        let tree = TemporaryDirectory("fmt")
        tree.write("docs/plain.txt", "\n\nLand inspection in Nam Dinh\nThe inspectorate found violations.\n")
        tree.write("docs/front.md", """
        ---
        title: Kết luận về đất đai
        kind: conclusion
        number: 77/KL-TTr
        date: 2019-10-22
        province: Quảng Ninh
        lang: vi
        reviewer: Nguyễn Zebrafish
        ---
        # Heading
        Nội dung **kết luận** về [khai thác](https://example.org) cát.
        """)
        tree.write("docs/page.html", """
        <html><head><title>Page title &amp; more</title><meta property="article:published_time" content="2023-04-05T10:00:00Z">
        <script>var navigationword = 1;</script><style>.x{}</style></head>
        <body><nav>Menu Sidebarword</nav><header>Headerword</header>
        <main><h1>Heading</h1><p>Hanoi procurement inspection <b>unclosed<p>second paragraph &nbsp; entities</main>
        <footer>Footerword copyright</footer></body></html>
        """)
        tree.write("docs/one.json", #"{"id": "json-record", "title": "JSON record", "body": "Bribery case in Hue", "tags": ["alpha", "quokka"]}"#)
        tree.write("docs/many.jsonl", """
        {"id": "line-1", "title": "First line record", "body": "Embezzlement in Can Tho"}
        {"title": "No id here", "body": "Audit of Can Tho port"}
        """)
        tree.write("docs/report.pdf", Fixtures.pdf("Wombat procurement inspection report"))
        try Fixtures.docx(paragraphs: ["Platypus asset declaration", "second paragraph"], title: "Word title",
                          at: tree.child("docs/word.docx"))
        var utf16 = Data([0xFF, 0xFE])
        utf16.append("Tiêu đề UTF-16\nThanh tra Kangaroo".data(using: .utf16LittleEndian)!)
        tree.write("docs/utf16.txt", utf16)
        tree.write("docs/bom.txt", Data([0xEF, 0xBB, 0xBF]) + Data("BOM title\nKoala inspection".utf8))

        let db = tree.child("db")
        let summary = try Fixtures.index([tree.child("docs")], db: db)
        XCTAssertEqual(summary.added, 10, "\(summary.skipped)")
        XCTAssertEqual(summary.skipped, [])

        let searcher = try Fixtures.searcher(db)
        XCTAssertEqual(try searcher.document(id: "plain.txt").title, "Land inspection in Nam Dinh")
        let markdown = try searcher.document(id: "front.md")
        XCTAssertEqual(markdown.kind, "conclusion")
        XCTAssertEqual(markdown.number, "77/KL-TTr")
        XCTAssertEqual(markdown.date, "2019-10-22")
        XCTAssertEqual(markdown.provinces.map(\.slug), ["quang-ninh"])
        XCTAssertEqual(markdown.fields["reviewer"], "Nguyễn Zebrafish")
        XCTAssertFalse(markdown.body.contains("**") || markdown.body.contains("https://"), markdown.body)
        XCTAssertEqual(try Fixtures.ids(db, "zebrafish"), ["front.md"], "unknown fields are searchable")

        let page = try searcher.document(id: "page.html")
        XCTAssertEqual(page.title, "Page title & more")
        XCTAssertEqual(page.date, "2023-04-05")
        XCTAssertTrue(page.body.contains("second paragraph"))
        for boilerplate in ["navigationword", "sidebarword", "headerword", "footerword"] {
            XCTAssertEqual(try Fixtures.ids(db, boilerplate), [], boilerplate)
        }
        XCTAssertEqual(try Fixtures.ids(db, "quokka"), ["json-record"])
        XCTAssertEqual(Set(try Fixtures.ids(db, "\"can tho\"")), ["line-1", "many.jsonl#2"])
        XCTAssertEqual(try Fixtures.ids(db, "wombat"), ["report.pdf"])
        XCTAssertEqual(try searcher.document(id: "word.docx").title, "Word title")
        XCTAssertEqual(try searcher.document(id: "word.docx").date, "2024-05-06")
        XCTAssertEqual(try Fixtures.ids(db, "platypus"), ["word.docx"])
        XCTAssertEqual(try Fixtures.ids(db, "kangaroo"), ["utf16.txt"])
        XCTAssertEqual(try searcher.document(id: "utf16.txt").title, "Tiêu đề UTF-16")
        XCTAssertEqual(try searcher.document(id: "bom.txt").title, "BOM title")
    }
}
