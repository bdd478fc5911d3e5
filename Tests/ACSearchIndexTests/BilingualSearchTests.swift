import ACSearchAPI
import ACSearchAnalysis
@testable import ACSearchIndex
import XapianKit
import XCTest

/// What issue 3 promises users, through a real index: diacritics, numbers, the
/// glossary across languages, stemming only where it belongs, highlighting.
final class BilingualSearchTests: XCTestCase {
    let records = [
        SourceRecord(id: "vi-diacritics", title: "Thanh tra tại Hải Dương",
                     body: "Đoàn thanh tra làm việc với tỉnh Hải Dương về công tác phòng, chống tham nhũng.", lang: "vi"),
        SourceRecord(id: "vi-plain", title: "Thanh tra tai Hai Duong",
                     body: "Doan thanh tra lam viec voi tinh Hai Duong ve dat dai.", lang: "vi"),
        SourceRecord(id: "en", title: "Inspections in Ninh Binh",
                     body: "The provincial inspectorate completed three inspections of land use in Ninh Binh.", lang: "en"),
        SourceRecord(id: "regulation", kind: "regulation", title: "Quy định về Ban Chỉ đạo cấp tỉnh",
                     body: "Số: 67-QĐ/TW\nBan Bí thư quy định chức năng của Ban Chỉ đạo cấp tỉnh.", lang: "vi"),
        SourceRecord(id: "cites", kind: "press", title: "Committees apply the regulation",
                     body: "Provinces applied Regulation No. 67-QD/TW dated June 2, 2022.", lang: "en"),
        SourceRecord(id: "quy", title: "Quy chế làm việc", body: "Quy chế về quy trình xử lý.", lang: "vi"),
        SourceRecord(id: "hoa", title: "Khánh Hoà", body: "Tỉnh Khánh Hoà kết luận thanh tra.", lang: "vi"),
    ]

    func testDiacriticsOptionalBothWays() throws {
        let index = try IndexFixture(records)
        XCTAssertEqual(Set(try index.ids("hai duong")), ["vi-diacritics", "vi-plain"])
        XCTAssertEqual(Set(try index.ids("Hải Dương")), ["vi-diacritics", "vi-plain"])
        XCTAssertEqual(Set(try index.ids("Hai Duong")), ["vi-diacritics", "vi-plain"], "capitals do not matter")
    }

    func testExactFormsRankFirstWhenTyped() throws {
        let index = try IndexFixture(records)
        XCTAssertEqual(try index.ids("Hải Dương").first, "vi-diacritics")
        XCTAssertEqual(try index.ids("Hai Duong tai").first, "vi-plain")
        // Written without diacritics first, so that a tie would put it first.
        let reversed = try IndexFixture([records[1], records[0]])
        XCTAssertEqual(try reversed.ids("Hải Dương").first, "vi-diacritics")
        XCTAssertEqual(try reversed.ids("title:Hải title:Dương").first, "vi-diacritics", "under a field too")
        // A phrase is matched on the folded stems alone (exact terms have no positions),
        // with no boost beside it (it made common phrases several times slower); its
        // snippets still mark the words as typed.
        XCTAssertEqual(Set(try index.ids("\"Hải Dương\"")), ["vi-diacritics", "vi-plain"])
        let searcher = try index.searcher()
        let phrase = try searcher.query(for: SearchRequest(query: "\"Hải Dương\""))
        XCTAssertFalse(phrase.query.description.contains("AND_MAYBE"), phrase.query.description)
        XCTAssertTrue(Set(phrase.marking).isSuperset(of: ["hải", "dương"]), "\(phrase.marking)")
        XCTAssertTrue(try searcher.query(for: SearchRequest(query: "Hải Dương")).query.description.contains("AND_MAYBE"))
    }

    /// Positions are kept for the folded stems only: phrases are asked of those, and
    /// positions are most of what an index stores.
    func testOnlyStemmedTermsCarryPositions() throws {
        let index = try IndexFixture(records)
        let database = try Database(path: index.path)
        let document = try database.document(id: try XCTUnwrap(try database.documentID(withTerm: "Qvi-diacritics")))
        let terms = try document.terms()
        XCTAssertTrue(terms.contains { $0.term == "hải" && $0.wdf > 0 })
        XCTAssertTrue(terms.contains { $0.term == "Zhai" })
        XCTAssertEqual(try document.positions(of: "hải"), [])
        XCTAssertEqual(try document.positions(of: "Zhai").count, 2, "once in the title, once in the body")
    }

    func testHighlightsFoldedMatches() throws {
        let index = try IndexFixture(records)
        let hit = try XCTUnwrap(try index.searcher().search(SearchRequest(query: "hai duong")).hits.first { $0.id == "vi-diacritics" })
        XCTAssertTrue((hit.snippet ?? "").contains("<mark>Hải</mark> <mark>Dương</mark>"), hit.snippet ?? "")
    }

    func testDocumentNumbersMeetInEverySpelling() throws {
        let index = try IndexFixture(records)
        XCTAssertTrue(try index.ids("67-QD/TW").contains("regulation"), "the regulation says only 67-QĐ/TW")
        XCTAssertEqual(Set(try index.ids("67-QĐ/TW")), ["regulation", "cites"])
        XCTAssertEqual(try index.ids("number:67-QD/TW"), ["regulation"])
        XCTAssertEqual(try index.ids("cites:67-QĐ/TW"), ["cites"])
        XCTAssertEqual(try index.ids("number:\"67 - QĐ/TW\""), ["regulation"])
    }

    func testEnglishQueryFindsVietnameseDocumentThroughTheGlossary() throws {
        let index = try IndexFixture(records)
        XCTAssertTrue(try index.ids("anti-corruption inspection").contains("vi-diacritics"))
        XCTAssertTrue(try index.ids("steering committee").contains("regulation"))
        // And back: Vietnamese words find the English document.
        XCTAssertTrue(try index.ids("thanh tra").contains("en"))
    }

    func testEnglishStemmingButNotOfVietnamese() throws {
        let index = try IndexFixture(records)
        XCTAssertTrue(try index.ids("inspection").contains("en"), "inspections is stemmed")
        XCTAssertEqual(try index.ids("quy"), ["quy", "regulation"].filter { try! index.ids("quy").contains($0) })
        XCTAssertFalse(try index.ids("qui").contains("quy"), "quy is not stemmed to qui")
    }

    func testPhrasesOnSyllablesAndFoldedForms() throws {
        let index = try IndexFixture(records)
        XCTAssertEqual(Set(try index.ids("\"tham nhũng\"")), ["vi-diacritics"])
        XCTAssertEqual(Set(try index.ids("\"Ban Chỉ đạo\"")), ["regulation"])
        XCTAssertEqual(Set(try index.ids("\"ban chi dao\"")), ["regulation"])
        XCTAssertEqual(try index.ids("\"dao chi ban\""), [])
    }

    func testTonePlacementVariantsAreOneWord() throws {
        let index = try IndexFixture(records)
        XCTAssertEqual(try index.ids("Khánh Hòa").first, "hoa", "typed hòa, written hoà")
    }

    func testStopWordsNeverEmptyAQuery() throws {
        let index = try IndexFixture(records + [SourceRecord(id: "the", title: "The", body: "the of and")])
        XCTAssertEqual(try index.ids("the of").first, "the")
        XCTAssertTrue(try index.ids("the inspections").contains("en"))
    }

    func testProvinceFilterKnowsFormerNames() throws {
        let index = try IndexFixture(records)
        XCTAssertEqual(Set(try index.ids("province:\"Hai Duong\"")), ["vi-diacritics", "vi-plain"])
        // Hải Dương belongs to Hải Phòng since 2025: a filter on the new unit finds it too.
        XCTAssertEqual(Set(try index.ids("", { $0.province = "Hải Phòng" })), ["vi-diacritics", "vi-plain"])
    }

    /// Place names of two words or more are read as places: the same words scattered
    /// through a text mean something else ("hai" two, "đường" road).
    func testAQueryNamingAPlaceFindsTheDocumentsNamingIt() throws {
        let scattered = SourceRecord(id: "scattered", title: "Hai đoàn thanh tra",
                                     body: "Hai đoàn thanh tra kiểm tra con đường mới ở Ninh Bình.", lang: "vi")
        let passing = SourceRecord(id: "passing", title: "Thanh tra đất đai",
                                   body: "Kết luận nêu cả dự án ở Hải Dương.", provinces: ["Ninh Bình"], lang: "vi")
        let index = try IndexFixture(records + [scattered, passing])
        let searcher = try index.searcher()
        let read = try searcher.search(SearchRequest(query: "hai duong thanh tra"))
        XCTAssertEqual(Set(read.hits.map(\.id)), ["vi-diacritics", "vi-plain", "passing"],
                       "a place named in passing counts; the scattered words do not")
        XCTAssertEqual(read.places, ["Hải Dương"])
        XCTAssertEqual(Set(try index.ids("Hải Dương thanh tra")), ["vi-diacritics", "vi-plain", "passing"])
        // A query with structure says what it means: the words anywhere, a phrase.
        let words = try searcher.search(SearchRequest(query: "hai AND duong thanh tra"))
        XCTAssertEqual(Set(words.hits.map(\.id)), ["vi-diacritics", "vi-plain", "passing", "scattered"])
        XCTAssertEqual(words.places, [])
        XCTAssertEqual(try searcher.search(SearchRequest(query: "\"hai duong\"")).places, [])
        // One word is not read as a place, nor are words split by a field.
        XCTAssertEqual(try searcher.search(SearchRequest(query: "hai kind:press duong")).places, [])
        XCTAssertEqual(try searcher.search(SearchRequest(query: "ninh binh inspections kind:press")).places, ["Ninh Bình"])
        // Typed with its marks, a place is capitalised: "hòa bình" is peace, "hai đường" two roads.
        XCTAssertEqual(try searcher.search(SearchRequest(query: "chính sách hòa bình")).places, [])
        XCTAssertEqual(try searcher.search(SearchRequest(query: "hai đường")).places, [])
        XCTAssertEqual(try searcher.search(SearchRequest(query: "tỉnh Hòa Bình")).places, ["Hòa Bình"])
        XCTAssertEqual(try searcher.search(SearchRequest(query: "thanh tra đất đai hoa binh")).places, ["Hòa Bình"],
                       "a name typed without marks is read in any case, whatever the other words")
    }

    /// A query naming a place ranks on how often a document names it, not on how
    /// often the name's syllables occur, and finds a record's province unnamed in its text.
    func testAPlaceInAQueryRanksByItsMentions() throws {
        let often = SourceRecord(id: "often", title: "Kết luận thanh tra tỉnh Hải Dương",
                                 body: "Thanh tra Hải Dương kết luận về đất đai tại Hải Dương.", lang: "vi")
        let once = SourceRecord(id: "once", title: "Kết luận thanh tra hai con đường",
                                body: "Hai con đường, hai cây cầu, hai dự án đường bộ; một ở Hải Dương.", lang: "vi")
        let recordOnly = SourceRecord(id: "record-only", title: "Kết luận thanh tra đất đai",
                                      body: "Kết luận về việc quản lý đất đai của huyện.", provinces: ["Hải Dương"], lang: "vi")
        let index = try IndexFixture([once, often, recordOnly])
        let answer = try index.searcher().search(SearchRequest(query: "hai duong thanh tra"))
        XCTAssertEqual(answer.hits.first?.id, "often", "three mentions of the place, not six of \"hai\" and \"đường\"")
        XCTAssertEqual(Set(answer.hits.map(\.id)), ["often", "once", "record-only"])
        let name = try index.ids("Hai Duong")
        XCTAssertEqual(name.first, "often", "the name alone ranks by it too")
        XCTAssertEqual(name.count, 3)
        let snippet = try XCTUnwrap(answer.hits.first { $0.id == "often" }?.snippet)
        XCTAssertTrue(snippet.contains("<mark>Hải</mark> <mark>Dương</mark>"), snippet)
    }

    /// A glossary word matches on its concept alone (one list, not the stem's merged
    /// with the concept's): it must find every document with the stem, the ones where
    /// it sits inside a longer variant ("State Audit") too, and snippets still mark it.
    func testAGlossaryWordMatchesOnItsConceptAndLosesNoDocument() throws {
        let nested = [
            SourceRecord(id: "state-audit", title: "Report of the State Audit", body: "The State Audit reported on the budget.", lang: "en"),
            SourceRecord(id: "committee", title: "Central Inspection Committee meets",
                         body: "The Central Inspection Committee met on Monday.", lang: "en"),
            SourceRecord(id: "audits", title: "Audits", body: "Three audits of land use ended.", lang: "en"),
        ]
        let index = try IndexFixture(records + nested)
        let searcher = try index.searcher()
        let prepared = try searcher.query(for: SearchRequest(query: "audit"))
        XCTAssertFalse(prepared.query.description.contains("SYNONYM"), prepared.query.description)
        XCTAssertTrue(prepared.query.description.contains("XCaudit"), prepared.query.description)
        let audit = try searcher.search(SearchRequest(query: "audit"))
        XCTAssertEqual(Set(audit.hits.map(\.id)), ["state-audit", "audits"], "inside \"State Audit\" too")
        XCTAssertTrue(try XCTUnwrap(audit.hits.first { $0.id == "audits" }?.snippet).contains("<mark>audits</mark>"))
        XCTAssertTrue(try index.ids("inspection").contains("committee"), "inside \"Central Inspection Committee\"")
        // Every single-word variant's stem: no document has it without its concept.
        let database = try Database(path: index.path)
        let stem = try IndexStemmer().stem
        var checked = 0
        for concept in IndexFixture.resources.glossary.concepts {
            for variant in concept.variants where !variant.contains(" ") {
                let term = Schema.Prefix.stemmed + stem(Folding.foldKey(variant))
                guard try database.termFrequency(term) > 0 else { continue }
                let enquire = try Enquire(database: database)
                try enquire.setQuery(Query.combine(.andNot, [Query.term(term),
                                                             Query.term(Schema.term(Schema.Prefix.concept, concept.id))]))
                XCTAssertEqual(try enquire.matches(maxItems: 10).count, 0, "\(term) without XC\(concept.id)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 5, "the check can tell: stems of variants are in the index")
    }

    func testAnIndexOfAnotherSchemaIsRefusedWithWhatToDo() throws {
        let index = try IndexFixture(records)
        let writer = try IndexWriter(path: index.path, resources: IndexFixture.resources)
        try writer.setMetadata("1", forKey: Schema.Metadata.schemaVersion)
        try writer.commit()
        try writer.database.close()
        XCTAssertThrowsError(try index.searcher()) {
            XCTAssertTrue("\($0)".contains("schema version 1, this acsearch uses \(Schema.version)"), "\($0)")
            XCTAssertTrue("\($0)".contains("rm -rf \(index.path) && acsearch-index --db \(index.path)"), "\($0)")
        }
    }
}
