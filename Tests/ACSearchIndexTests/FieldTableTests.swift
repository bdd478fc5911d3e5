import ACSearchAPI
import ACSearchAnalysis
@testable import ACSearchIndex
import ACSearchTestSupport
import Foundation
import XCTest

/// The field table is what the parser, the filters, the facets and index/SCHEMA.md
/// say: these tests fail when one of them drifts from it.
final class FieldTableTests: XCTestCase {
    func testSchemaPageHoldsTheFieldTable() throws {
        let page = try String(contentsOfFile: Checkout.indexDirectory + "/SCHEMA.md", encoding: .utf8)
        let begin = "<!-- fields: generated from Fields.all, checked by FieldTableTests -->\n"
        let end = "\n<!-- fields end -->"
        guard let start = page.range(of: begin), let stop = page.range(of: end, range: start.upperBound..<page.endIndex) else {
            return XCTFail("index/SCHEMA.md has no field table markers; put this between them:\n\(Fields.markdownTable)")
        }
        XCTAssertEqual(String(page[start.upperBound..<stop.lowerBound]), Fields.markdownTable,
                       "index/SCHEMA.md's field table is not the code's; replace it with:\n\(Fields.markdownTable)")
    }

    /// ACSearchAPI (below the index, and without Xapian for the CLI) keeps the
    /// parameter and facet names a request is read with: they are the table's.
    func testTheAPIsNamesAreTheTables() {
        XCTAssertEqual(SearchRequest.facetNames, Fields.facetNames)
        let filters = Fields.all.flatMap(\.parameters)
        XCTAssertEqual(Set(filters), ["kind", "province", "lang", "issuer", "from", "to"])
        for name in filters {
            XCTAssertNoThrow(try SearchRequest(parameters: [(name, name == "from" || name == "to" ? "2021" : "x")]),
                             "SearchRequest does not take the table's filter \(name)")
        }
        XCTAssertEqual(Schema.textPrefixes, ["", Schema.Prefix.title, Schema.Prefix.person, Schema.Prefix.issuer])
    }

    /// Filters are read into terms and dates once (where the daemon receives the
    /// request); a bad one is refused there with what the field takes.
    func testFiltersAreReadOnceIntoTermsAndDates() throws {
        let gazetteer = IndexFixture.resources.gazetteer
        let request = try SearchRequest(parameters: [("kind", "press"), ("province", "hai duong"), ("lang", "vi"),
                                                     ("issuer", "Thanh tra Chính phủ"), ("from", "2021-03"), ("to", "2022")])
        let filters = try SearchFilters(request, gazetteer: gazetteer)
        XCTAssertEqual(filters.terms, ["Kpress", "XPhai-duong", "XJthanh-tra-chinh-phu", "Lvi"])
        XCTAssertEqual(filters.dates?.from, CalendarDate(year: 2021, month: 3, day: 1))
        XCTAssertEqual(filters.dates?.to, CalendarDate(year: 2022, month: 12, day: 31))
        XCTAssertNil(try SearchFilters(SearchRequest(query: "x"), gazetteer: gazetteer).dates)
        XCTAssertThrowsError(try SearchFilters(SearchRequest(lang: "fr"), gazetteer: gazetteer)) {
            XCTAssertEqual($0 as? SearchError, .badFieldValue(field: "lang", message: "unknown language \"fr\": use en or vi"))
        }
        XCTAssertThrowsError(try SearchFilters(SearchRequest(from: "2021-13"), gazetteer: gazetteer)) {
            XCTAssertEqual($0 as? SearchError,
                           .badFieldValue(field: "date", message: "from must be \(CalendarDate.accepted) (got \"2021-13\")"))
        }
    }

    /// Every field the table puts in queries is one the parser reads: a bad value is
    /// the field's own message, a good one filters.
    func testEveryQueryFieldIsParsed() throws {
        let index = try IndexFixture([
            SourceRecord(id: "r1", kind: "regulation", title: "Regulation 67-QD/TW", body: "On inspection in Hai Duong.",
                         date: "2022-06-02", number: "67-QĐ/TW", issuer: "Secretariat", lang: "en"),
        ])
        let searcher = try index.searcher()
        let good = ["title": "inspection", "person": "nguyen", "issuer": "thanh", "number": "67-QĐ/TW", "cites": "67-QĐ/TW",
                    "kind": "press", "province": "hai-duong", "year": "2022", "lang": "en", "date": "2021..2023",
                    "amount": "10tỷ.."]
        for field in Fields.all where field.inQuery {
            let value = try XCTUnwrap(good[field.name], "no sample value for \(field.name)")
            XCTAssertNoThrow(try searcher.search(SearchRequest(query: "\(field.name):\(value)")), field.name)
            if field.kind == .freeText { continue }
            XCTAssertThrowsError(try searcher.search(SearchRequest(query: "\(field.name):zz..zz")), field.name) { error in
                guard case .querySyntax(let message) = error as? SearchError else { return XCTFail("\(field.name): \(error)") }
                XCTAssertTrue(message.contains("zz"), "\(field.name): \(message)")
            }
        }
    }
}
