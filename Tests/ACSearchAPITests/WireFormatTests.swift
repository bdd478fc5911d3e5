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

    func testDatesAreReadAsPeopleTypeThem() throws {
        let june2 = CalendarDate(year: 2022, month: 6, day: 2)
        for text in ["2022-06-02", "20220602", "2/6/2022", "02.06.2022", "2022/6/2"] {
            XCTAssertEqual(CalendarDate.parse(text), june2, text)
        }
        XCTAssertEqual(CalendarDate.parse("2022-06")?.description, "2022-06-01")
        XCTAssertEqual(CalendarDate.parse("6/2022", asEnd: true)?.description, "2022-06-30")
        XCTAssertEqual(CalendarDate.parse("2024-02", asEnd: true)?.description, "2024-02-29", "a leap year")
        XCTAssertEqual(CalendarDate.parse("1900-02", asEnd: true)?.description, "1900-02-28", "not a leap year")
        XCTAssertEqual(CalendarDate.parse("2022", asEnd: true)?.compact, "20221231")
        for text in ["", "2022-02-29", "31/4/2022", "2022-13-01", "1850-01-01", "22/6/22", "2022--06", "yesterday", "2022-06-02x"] {
            XCTAssertNil(CalendarDate.parse(text), text)
        }
        XCTAssertEqual(CalendarDate(compact: "20251231")?.lastOfMonth, CalendarDate(compact: "20251231"))
        XCTAssertEqual(CalendarDate(compact: "20250215")?.firstOfMonth.description, "2025-02-01")
        XCTAssertTrue(CalendarDate(compact: "20241231")! < CalendarDate(compact: "20250101")!)
        XCTAssertThrowsError(try SearchRequest(parameters: [("to", "2022-02-30")])) { error in
            XCTAssertEqual((error as? APIError)?.message, "to must be \(CalendarDate.accepted) (got \"2022-02-30\")")
        }
    }

    /// The hand-written search answer is what the encoder writes, byte for byte: absent
    /// and present optionals, facets, a correction, missing shards, every character
    /// JSON escapes, text in Vietnamese and beyond, and numbers the two might print
    /// differently.
    func testTheSearchAnswerWriterWritesWhatTheEncoderWrites() throws {
        let awkward = "quote \" backslash \\ slash / tab \t newline \n" + String((1..<32).map { Character(Unicode.Scalar($0)!) })
            + "\u{7F} Hải Dương 🇻🇳 \u{2028} <mark>x</mark> &amp;"
        func hit(_ rank: Int, full: Bool) -> Hit {
            Hit(id: "doc/\(rank)", rank: rank, percent: 100 - rank, kind: "conclusion", title: full ? awkward : "Kết luận",
                date: full ? "2022-06-02" : nil, lang: "vi", provinces: full ? ["Hải Dương", "Hà Nội"] : [],
                number: full ? "67-QĐ/TW" : nil, issuer: full ? "Thanh tra Chính phủ" : nil, source: "a.jsonl",
                url: full ? "https://example.org/a?b=1&c=2" : nil, snippet: full ? awkward : rank == 3 ? nil : "", collapsed: rank % 2)
        }
        var answers: [SearchResponse] = []
        for took in [0, 3, 6.191234, 0.000123, 1e-7, 12_345.678, 2.5e16] {
            answers.append(SearchResponse(query: "q", correctedQuery: nil, total: .init(lower: 0, estimated: 0, upper: 0),
                                          offset: 0, limit: 10, tookMs: took, hits: [], facets: [:]))
        }
        var full = SearchResponse(query: awkward, correctedQuery: "hải dương", total: .init(lower: 10, estimated: 25, upper: 40),
                                  offset: 20, limit: 10, tookMs: 4.75, hits: (1...10).map { hit($0, full: $0 % 3 != 0) },
                                  facets: ["year": [FacetValue(value: "2022", count: 3)], "kind": [FacetValue(value: "press", count: 7),
                                           FacetValue(value: awkward, count: 1)], "lang": []],
                                  partial: true, missingShards: ["tcp://a:1", "tcp://b:2"])
        full.places = ["Hải Dương", "Đà Nẵng"]
        full.timings = ["match": 0.123456, "hits": 2, "snippets": 1e-4]
        answers.append(full)
        for answer in answers {
            let encoded = Array(try APIJSON.encoder().encode(answer))
            XCTAssertEqual(String(decoding: answer.jsonBytes, as: UTF8.self), String(decoding: encoded, as: UTF8.self))
            XCTAssertEqual(answer.jsonBytes, encoded)
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
