import ACSearchAPI
import ACSearchAnalysis
@testable import ACSearchIndex
import Foundation
import XapianKit
import XCTest

/// The document data's layout (summary, details, body) and the snippets made from it.
final class StoredDataTests: XCTestCase {
    let records = [
        SourceRecord(id: "tags", kind: "press", title: "R&D <budget> audit",
                     body: "The audit of the R&D <script>alert(1)</script> budget found losses in Hải Dương.",
                     date: "2023-01-05", lang: "en"),
        SourceRecord(id: "vi", kind: "conclusion", title: "Kết luận thanh tra",
                     body: "Thanh tra tỉnh Hải Dương kết luận về việc giao đất.", date: "2022-03-01", lang: "vi"),
    ]

    func testSnippetsEscapeTheTextAndMarkTheMatches() throws {
        let index = try IndexFixture(records)
        let hit = try XCTUnwrap(try index.searcher().search(SearchRequest(query: "audit budget")).hits.first)
        XCTAssertEqual(hit.id, "tags")
        XCTAssertTrue((hit.snippet ?? "").contains("R&amp;D &lt;script&gt;alert(1)&lt;/script&gt; <mark>budget</mark>"), hit.snippet ?? "")
        XCTAssertTrue((hit.snippet ?? "").hasPrefix("The <mark>audit</mark>"), hit.snippet ?? "")
        XCTAssertEqual(hit.title, "R&D <budget> audit", "titles are plain text; only snippets are HTML")
    }

    /// The private-use characters that stand for highlights inside acsearchd are not
    /// turned into tags when a document's own text holds them.
    func testTheTextsOwnPrivateUseMarksDoNotBecomeTags() throws {
        let index = try IndexFixture([SourceRecord(id: "pua", kind: "press", title: "Audit note",
                                                   body: "Before \u{E000}odd\u{E001} marks, the audit found losses.",
                                                   lang: "en")])
        let hit = try XCTUnwrap(try index.searcher().search(SearchRequest(query: "audit")).hits.first)
        XCTAssertEqual((hit.snippet ?? "").components(separatedBy: "<mark>").count - 1, 1, hit.snippet ?? "")
        XCTAssertTrue((hit.snippet ?? "").contains("<mark>audit</mark>"), hit.snippet ?? "")
        XCTAssertTrue((hit.snippet ?? "").contains("\u{FFFD}odd\u{FFFD}"), hit.snippet ?? "")
        XCTAssertEqual(Array(SnippetHTML.withoutMarks(Array("a\u{E000}\u{E001}b".utf8)[...])), Array("a\u{FFFD}\u{FFFD}b".utf8))
    }

    func testSnippetWithoutMatchesIsTheEscapedOpening() throws {
        let index = try IndexFixture(records)
        let hit = try XCTUnwrap(try index.searcher().search(SearchRequest(query: "", kind: "press")).hits.first)
        XCTAssertTrue((hit.snippet ?? "").hasPrefix("The audit of the R&amp;D &lt;script&gt;"), hit.snippet ?? "")
        XCTAssertFalse((hit.snippet ?? "").contains("<mark>"))
    }

    /// Xapian escapes the text it returns; render must not escape it again.
    func testRenderTurnsOnlyTheMarksIntoTags() {
        let raw = "a&lt;b &amp; \(SnippetHTML.markStart)Hải\(SnippetHTML.markEnd) \u{E002}\u{E0}x\(SnippetHTML.markStart)"
        XCTAssertEqual(SnippetHTML.render(raw), "a&lt;b &amp; <mark>Hải</mark> \u{E002}\u{E0}x<mark>")
        XCTAssertEqual(SnippetHTML.escape("\"<'>\""), "\"&lt;'&gt;\"")
    }

    /// Spelling words are given to Xapian once per commit with their count: the table
    /// holds each word's document count, and what a writer holds when it goes is kept.
    func testSpellingWordsAreCountedOncePerDocumentAcrossCommits() throws {
        let index = try IndexFixture(records)  // "audit" in one document, "thanh" in one
        func frequency(_ word: String) throws -> Int? {
            try Database(path: index.path).spellings(prefix: word).first { $0.word == word }?.frequency
        }
        do {
            let writer = try IndexWriter(path: index.path, resources: IndexFixture.resources)
            try writer.add(SourceRecord(id: "third", kind: "press", title: "Audit audit", body: "Another audit.", lang: "en"))
            try writer.commit()
            XCTAssertEqual(try frequency("audit"), 2, "once per document, however often in it")
            try writer.add(SourceRecord(id: "fourth", kind: "press", title: "Thanh tra", body: "Thanh tra.", lang: "vi"))
            XCTAssertEqual(try frequency("thanh"), 1, "not before a commit")
        }
        XCTAssertEqual(try frequency("thanh"), 2, "a writer that goes keeps what it held, as Xapian does")
    }

    /// The builder's byte-level shortcuts give what the plain String rules they
    /// replaced give.
    func testBuilderShortcutsAgreeWithThePlainRules() {
        let keys = ["ab", "abc", "Abc", "1abc", "_abc", "ñandu", "ßab", "đuong", "ab\u{301}c", "😀ab",
                    String(repeating: "a", count: 24), String(repeating: "a", count: 25),
                    String(repeating: "ă", count: 24), String(repeating: "ă", count: 25), "a\u{301}\u{301}"]
        for key in keys {
            XCTAssertEqual(DocumentBuilder.isSpellingWord(key), (3...24).contains(key.count) && key.first?.isLetter == true, key)
        }
        let terms = ["67", "Z67", "S67", "Sabc", "XA٣٤", "XIx", "XI1", "٣٣", "abc", "Zabc", "XP67", "K", "S", "Ⅻ", "S½",
                     "đ", "Q1", "ZS67"]
        for term in terms {
            let plain = Schema.textPrefixes.contains { term.hasPrefix($0) && term.count > $0.count
                && term.unicodeScalars.dropFirst($0.count).first.map { $0.properties.numericType != nil } == true }
            let shortcut = Array(term.utf8).withUnsafeBytes { DocumentBuilder.mayStartWithNumber($0) }
            // The shortcut may let through what is not a number (the plain rule decides
            // then), never leave one out.
            if plain { XCTAssertTrue(shortcut, term) }
            if term.utf8.allSatisfy({ $0 < 0x80 }) { XCTAssertEqual(shortcut, plain, term) }
        }
    }

    func testDataIsTheSummaryTheDetailsThenTheBody() throws {
        let record = SourceRecord(id: "vi", kind: "conclusion", title: "Kết luận thanh tra", body: records[1].body,
                                  date: "2022-03-01", number: "1843/KL-TTCP", provinces: ["Hải Dương"],
                                  people: ["Nguyễn Văn A"], lang: "vi", extra: ["đơn vị": "Thanh tra tỉnh", "a": ""])
        let index = try IndexFixture([record])
        let reader = try Database(path: index.path)
        let docid = try XCTUnwrap(try reader.documentID(withTerm: Schema.term(Schema.Prefix.id, "vi")))
        let data = try reader.document(id: docid).data()
        XCTAssertEqual(data.first, StoredDocument.layout)
        let (summary, body) = try StoredDocument.summary(data)
        XCTAssertEqual(summary.title, "Kết luận thanh tra")
        XCTAssertEqual(summary.numberWritten, "1843/KL-TTCP")
        XCTAssertEqual(summary.provinces.map(\.name), ["Hải Dương"])
        XCTAssertNil(summary.url)
        XCTAssertEqual(String(decoding: body, as: UTF8.self), record.body, "the body is the data's last bytes")
        let stored = try StoredDocument.decode(data)
        XCTAssertEqual(stored.people.map(\.name), ["Nguyễn Văn A"])
        XCTAssertEqual(stored.fields, ["đơn vị": "Thanh tra tỉnh", "a": ""])
        XCTAssertEqual(stored.body, record.body)
        XCTAssertEqual(stored.date, "2022-03-01")
    }

    /// Data cut short, or not of this layout, is an error that says to rebuild, never
    /// a crash or a misread.
    func testDataCutShortOrOfAnotherLayoutIsAnError() throws {
        let record = SourceRecord(id: "vi", kind: "conclusion", title: "Kết luận", body: "Thân bài.", date: "2022-03-01",
                                  provinces: ["Hải Dương"], people: ["Nguyễn Văn A"], lang: "vi")
        let data = StoredDocument(DocumentAnalyzer(resources: IndexFixture.resources, stem: { $0 }).analyse(record)).encoded()
        let bodyStart = data.count - Array("Thân bài.".utf8).count
        for cut in 0..<bodyStart {
            XCTAssertThrowsError(try StoredDocument.decode(Array(data[..<cut])), "cut at \(cut)")
            XCTAssertThrowsError(try StoredDocument.summary(Array(data[..<cut])), "cut at \(cut)")
        }
        XCTAssertThrowsError(try StoredDocument.summary(Array("{\"id\":\"vi\"}\u{0}body".utf8))) {
            XCTAssertTrue("\($0)".contains("rebuild the index"), "\($0)")
        }
        for length in [[UInt8](repeating: 0xFF, count: 8) + [0x7F], [UInt8](repeating: 0xFF, count: 9) + [0x01]] {
            var huge = data
            huge.replaceSubrange(1...1, with: length)  // the id's length
            XCTAssertThrowsError(try StoredDocument.summary(huge), "a length past every byte, or of ten bytes")
        }
    }

    /// NULs and control characters in the text survive the layout, in the title and
    /// in the body.
    func testNULsInTheTextSurviveTheLayout() throws {
        let record = SourceRecord(id: "nul", kind: "press", title: "Tab\tand NUL\u{0} in a title",
                                  body: "Before\u{0}after, with a NUL in the body about audits.", date: "2023-02-01", lang: "en")
        let index = try IndexFixture([record])
        let searcher = try index.searcher()
        let document = try searcher.document(id: "nul")
        XCTAssertEqual(document.body, record.body)
        XCTAssertEqual(document.title, record.title)
        XCTAssertEqual(try searcher.search(SearchRequest(query: "audits")).hits.first?.title, record.title)
    }
}
