import ACSearchAPI
import ACSearchAnalysis
@testable import ACSearchIndex
import XapianKit
import XCTest

/// Date ranges match exactly the documents dated in them, whichever filter runs them:
/// year and month terms, or the date value.
final class DateFilterTests: XCTestCase {
    /// 90 documents over 2019-02 … 2023-12, month ends and leap days among them, and one undated.
    static let records: [SourceRecord] = {
        var records: [SourceRecord] = []
        for index in 0..<90 {
            let year = 2019 + index % 5
            let month = year == 2019 ? 2 + index % 11 : 1 + (index * 7) % 12
            let last = CalendarDate.days(inMonth: month, of: year)
            let day = index % 3 == 0 ? last : 1 + (index * 11) % last
            let date = CalendarDate(year: year, month: month, day: day)!
            records.append(SourceRecord(id: "d\(index)", kind: "press", title: "Audit \(index)", body: "An audit report.",
                                        date: date.description, lang: "en"))
        }
        records.append(SourceRecord(id: "undated", kind: "press", title: "Audit", body: "An audit report without a date.", lang: "en"))
        return records
    }()

    func testRangesMatchTheDocumentsDatedInThem() throws {
        let index = try IndexFixture(DateFilterTests.records)
        let dates = Dictionary(uniqueKeysWithValues: DateFilterTests.records.compactMap { record in
            record.date.flatMap { CalendarDate(parsing: $0) }.map { (record.id, $0) }
        })
        let ranges: [(String?, String?)] = [
            ("2021", "2021"), ("2020-03", "2021-02"), ("2020-11-01", "2022-02-28"), ("2019", "2023"),
            ("2020-03-15", "2020-11-10"), ("2022-02-28", "2022-03-01"), ("2020-02-29", "2020-02-29"), ("2022", nil),
            (nil, "2019-06"), ("2010", "2019-03"), ("2023-07", "2030"), ("2024", nil), (nil, "2018-12-31"),
        ]
        for (from, to) in ranges {
            let low = from.flatMap { CalendarDate.parse($0) }, high = to.flatMap { CalendarDate.parse($0, asEnd: true) }
            let expected = Set(dates.filter { _, date in (low.map { date >= $0 } ?? true) && (high.map { date <= $0 } ?? true) }.keys)
            let label = "\(from ?? "")..\(to ?? "")"
            let byParameters = try index.ids("audit", { $0.from = from; $0.to = to; $0.limit = 100 })
            XCTAssertEqual(Set(byParameters), expected, "from/to \(label)")
            XCTAssertEqual(byParameters.count, expected.count, "no document twice: \(label)")
            if from != nil || to != nil {
                XCTAssertEqual(Set(try index.ids("audit date:\(label)", { $0.limit = 100 })), expected, "date:\(label)")
            }
        }
    }

    /// Which filter runs a range: terms for whole months over a minority of the
    /// index, the date value otherwise.
    func testWholeMonthsBecomeYearAndMonthTerms() throws {
        let index = try IndexFixture(DateFilterTests.records)
        let filter = DateFilter(database: try Database(path: index.path))
        func terms(_ from: String?, _ to: String?) throws -> [String] {
            try filter.query(from: from.flatMap { CalendarDate.parse($0) }, to: to.flatMap { CalendarDate.parse($0, asEnd: true) }).terms().sorted()
        }
        XCTAssertEqual(try terms("2021", "2021"), ["Y2021"])
        XCTAssertEqual(try terms("2020-11", "2022-02"), ["M202011", "M202012", "M202201", "M202202", "Y2021"])
        XCTAssertEqual(try terms("2023", nil), ["Y2023"], "an open end stops at the last dated document")
        XCTAssertEqual(try terms(nil, "2019-12-31"), ["Y2019"], "the first document is dated 2019-02: no document is missed by the whole year")
        XCTAssertEqual(try terms("2020-03-15", "2020-11-10"), [], "part of a month: the date value")
        XCTAssertEqual(try terms("2019", "2023"), [], "most of the index: the date value")
        XCTAssertEqual(try terms("2000-01", "2030-12"), [], "no document is outside: the date value")
        XCTAssertEqual(DateFilter.terms(from: CalendarDate(year: 2020, month: 1, day: 1)!,
                                        to: CalendarDate(year: 2024, month: 12, day: 31)!)?.count, 5)
        XCTAssertNil(DateFilter.terms(from: CalendarDate(year: 2000, month: 2, day: 1)!,
                                      to: CalendarDate(year: 2016, month: 11, day: 30)!), "more than maxTerms")
    }

    func testABadRangeSaysWhatAnEndMayBe() throws {
        let index = try IndexFixture(DateFilterTests.records)
        XCTAssertThrowsError(try index.ids("audit date:2022-02-30..2022-03")) { error in
            guard case .querySyntax = error as? SearchError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("date:2022-02-30..2022-03: each end must be \(CalendarDate.accepted)"), "\(error)")
        }
        // A request built in code is checked as one read from parameters.
        XCTAssertThrowsError(try index.ids("audit", { $0.to = "2022-02-30" })) { error in
            XCTAssertEqual((error as? SearchError)?.message, "to must be \(CalendarDate.accepted) (got \"2022-02-30\")")
        }
        XCTAssertThrowsError(try index.ids("audit date:2023..2021")) { error in
            XCTAssertEqual((error as? SearchError)?.message, "date:2023..2021: the start is after the end")
        }
    }
}
