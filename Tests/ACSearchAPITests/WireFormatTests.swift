@testable import ACSearchAPI
import Foundation
import XCTest

/// What the API layer does without Foundation's formatting (the CLI links only
/// FoundationEssentials): numbers as text, and parameters read as the API reads them.
final class WireFormatTests: XCTestCase {
    func testNumbersAsTextMatchPrintfFormats() {
        XCTAssertEqual(NumberText.zeroPadded(7, width: 2), "07")
        XCTAssertEqual(NumberText.zeroPadded(2022, width: 2), "2022", "never cut")
        XCTAssertEqual(NumberText.zeroPadded(-5, width: 3), "-005")
        XCTAssertEqual(NumberText.rightAligned(3, width: 2), " 3")
        XCTAssertEqual(NumberText.rightAligned(120, width: 2), "120")
        XCTAssertEqual(NumberText.fixed(12.34, places: 1), "12.3")
        XCTAssertEqual(NumberText.fixed(0.96, places: 1), "1.0", "rounding carries into the whole part")
        XCTAssertEqual(NumberText.fixed(3.14159, places: 3), "3.142")
        XCTAssertEqual(NumberText.fixed(1.05, places: 2), "1.05", "fraction digits keep their zeros")
        XCTAssertEqual(NumberText.fixed(7, places: 0), "7")
        XCTAssertEqual(NumberText.fixed(-1.26, places: 1), "-1.3")
        XCTAssertEqual(NumberText.fixed(-0.04, places: 1), "0.0", "no negative zero")
    }

    func testFacetsAreTrimmedAndDatesNormalised() throws {
        let request = try SearchRequest(parameters: [("facets", " kind , year ,"), ("from", "2/6/2022"), ("to", "2023")])
        XCTAssertEqual(request.facets, ["kind", "year"])
        XCTAssertEqual(request.from, "2022-06-02")
        XCTAssertEqual(request.to, "2023-12-31")
        XCTAssertThrowsError(try SearchRequest(parameters: [("facets", "kind, colour")])) { error in
            XCTAssertEqual((error as? APIError)?.message, "unknown facet \"colour\"; facets are \(SearchRequest.facetNames.joined(separator: ", "))")
        }
    }

    /// A daemon from before `places` answers without it: the client reads none.
    func testAnAnswerWithoutPlacesDecodes() throws {
        let answer = #"{"schema_version": 1, "query": "x", "corrected_query": null, "total": {"lower": 0, "estimated": 0, "upper": 0, "exact": true}, "offset": 0, "limit": 10, "took_ms": 1.5, "hits": [], "facets": {}, "partial": false, "missing_shards": []}"#
        let old = try APIJSON.decoder().decode(SearchResponse.self, from: Data(answer.utf8))
        XCTAssertEqual(old.places, [])
        var current = old
        current.places = ["Hải Dương"]
        let again = try APIJSON.decoder().decode(SearchResponse.self, from: APIJSON.encoder().encode(current))
        XCTAssertEqual(again.places, ["Hải Dương"])
        XCTAssertNil(again.correctedQuery)
    }
}
