@testable import ACSearchAPI
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
}
