import ACSearchAPI
import ACSearchAnalysis
import ACSearchIndex
import ACSearchTestSupport
import XCTest

/// Local Party bodies reuse numbers: "12-CT/TU" of the Thái Bình provincial Party
/// committee and "12-CT/TU" of the Hải Dương one are two documents. A citation meets
/// the one its text names the issuer of (or, failing that, the citing document's own
/// province), and says it is ambiguous when it cannot tell.
final class CitationResolutionTests: XCTestCase {
    static let records = [
        SourceRecord(id: "tb/ct-12", kind: "regulation", title: "Chỉ thị về kê khai tài sản, thu nhập",
                     body: "TỈNH ỦY THÁI BÌNH\nSố 12-CT/TU\nChỉ thị về tăng cường kê khai tài sản, thu nhập.",
                     date: "2021-03-05", number: "12-CT/TU", issuer: "Tỉnh ủy Thái Bình", provinces: ["Thái Bình"], lang: "vi"),
        SourceRecord(id: "hd/ct-12", kind: "regulation", title: "Chỉ thị về phòng, chống tham nhũng trong đất đai",
                     body: "TỈNH ỦY HẢI DƯƠNG\nSố 12-CT/TU\nChỉ thị về phòng, chống tham nhũng trong quản lý đất đai.",
                     date: "2022-04-11", number: "12-CT/TU", issuer: "Tỉnh ủy Hải Dương", provinces: ["Hải Dương"], lang: "vi"),
        SourceRecord(id: "r67", kind: "regulation", title: "Quy định 67-QĐ/TW", body: "Quy định về ban chỉ đạo cấp tỉnh.",
                     date: "2022-06-02", number: "67-QĐ/TW", issuer: "Ban Bí thư", lang: "vi"),
        // The issuer named after the number.
        SourceRecord(id: "c/named", kind: "press", title: "Rà soát kê khai tài sản",
                     body: "Thực hiện Chỉ thị số 12-CT/TU ngày 5/3/2021 của Tỉnh ủy Thái Bình, các huyện đã rà soát kê khai tài sản.",
                     date: "2021-06-01", lang: "vi"),
        // The province named before the number, in English.
        SourceRecord(id: "c/named-en", kind: "press", title: "Land officials told to declare assets",
                     body: "Under the Hai Duong Provincial Party Committee's Directive 12-CT/TU, land officials declared their assets.",
                     date: "2022-07-01", lang: "en"),
        // No issuer named: the citing document's own province is the best guess.
        SourceRecord(id: "c/guess", kind: "conclusion", title: "Kết luận kiểm tra",
                     body: "Ban Nội chính đã kiểm tra việc thực hiện Chỉ thị 12-CT/TU tại các sở, ngành.",
                     date: "2022-09-01", provinces: ["Hải Dương"], lang: "vi"),
        // Nothing to tell them apart by.
        SourceRecord(id: "c/ambiguous", kind: "press", title: "Provinces tighten asset declarations",
                     body: "Several provincial Party committees issued directives numbered 12-CT/TU on asset declarations.",
                     date: "2022-10-01", lang: "en"),
        // Another province's 12-CT/TU, not indexed.
        SourceRecord(id: "c/other", kind: "press", title: "Nam Định rà soát",
                     body: "Theo Chỉ thị 12-CT/TU của Tỉnh ủy Nam Định, các cơ quan phải công khai kết quả.",
                     date: "2022-11-01", lang: "vi"),
        // A national number: a province named beside it does not make it local.
        SourceRecord(id: "c/national", kind: "press", title: "Hải Dương áp dụng Quy định 67",
                     body: "Quy định 67-QĐ/TW được tỉnh Hải Dương triển khai ngay.", date: "2022-08-01", lang: "vi"),
    ]

    /// A fresh index per test (nine records: cheap), kept while the test runs.
    var fixture: IndexFixture?
    var searcher: Searcher {
        get throws {
            if fixture == nil { fixture = try IndexFixture(Self.records) }
            return try fixture!.searcher()
        }
    }

    func testTheAnalyserNotesTheIssuerNamedBesideACitation() {
        let analyzer = DocumentAnalyzer(resources: IndexFixture.resources, stem: { $0 })
        func named(_ id: String) -> [String?] {
            analyzer.analyse(Self.records.first { $0.id == id }!).citedProvinces
        }
        XCTAssertEqual(named("c/named"), ["thai-binh"])
        XCTAssertEqual(named("c/named-en"), ["hai-duong"])
        XCTAssertEqual(named("c/guess"), [nil])
        XCTAssertEqual(named("c/other"), ["nam-dinh"])
        XCTAssertEqual(named("c/national"), [nil], "a national number has no local issuer")
        // Two issuers' documents of one number cited in one text are two citations.
        let both = analyzer.analyse(SourceRecord(id: "x", kind: "press", body: "Chỉ thị 12-CT/TU của Tỉnh ủy Thái Bình và Chỉ thị 12-CT/TU của Tỉnh ủy Hải Dương."))
        XCTAssertEqual(both.cites.map(\.canonical), ["12-CT/TU", "12-CT/TU"])
        XCTAssertEqual(both.citedProvinces, ["thai-binh", "hai-duong"])
    }

    func testACitationMeetsTheDocumentOfItsIssuer() throws {
        let searcher = try searcher
        func cited(_ id: String) throws -> [String] { try searcher.document(id: id).citesDocuments.map(\.id) }
        XCTAssertEqual(try cited("c/named"), ["tb/ct-12"])
        XCTAssertEqual(try cited("c/named-en"), ["hd/ct-12"])
        XCTAssertEqual(try cited("c/guess"), ["hd/ct-12"])
        XCTAssertEqual(try cited("c/other"), [], "Nam Định's is not indexed")
        XCTAssertEqual(try cited("c/national"), ["r67"])
        XCTAssertNil(try searcher.document(id: "c/named").citesDocuments.first?.ambiguous)
        let ambiguous = try searcher.document(id: "c/ambiguous").citesDocuments
        XCTAssertEqual(Set(ambiguous.map(\.id)), ["tb/ct-12", "hd/ct-12"])
        XCTAssertTrue(ambiguous.allSatisfy { $0.ambiguous == true }, "\(ambiguous)")
        XCTAssertEqual(Set(ambiguous.compactMap(\.province)), ["Thái Bình", "Hải Dương"], "each candidate says whose it is")
    }

    func testADocumentIsCitedByTheCitationsThatMeanIt() throws {
        let searcher = try searcher
        let thaiBinh = try searcher.document(id: "tb/ct-12").citedBy
        XCTAssertEqual(Set(thaiBinh.map(\.id)), ["c/named", "c/ambiguous"])
        XCTAssertEqual(thaiBinh.first { $0.id == "c/ambiguous" }?.ambiguous, true)
        XCTAssertNil(thaiBinh.first { $0.id == "c/named" }?.ambiguous)
        let haiDuong = try searcher.document(id: "hd/ct-12").citedBy
        XCTAssertEqual(Set(haiDuong.map(\.id)), ["c/named-en", "c/guess", "c/ambiguous"])
        XCTAssertEqual(try searcher.document(id: "r67").citedBy.map(\.id), ["c/national"])
    }

    func testCitationsOfANumberShowEveryDocumentThatHasIt() throws {
        let citations = try searcher.citations(number: "12-CT/TU")
        XCTAssertEqual(Set(citations.documents.map(\.id)), ["tb/ct-12", "hd/ct-12"])
        XCTAssertNil(citations.document, "a number two documents have names neither")
        func entry(_ id: String) -> DocumentResponse.Reference? { citations.citedBy.first { $0.id == id } }
        XCTAssertEqual(entry("c/named")?.resolvesTo, "tb/ct-12")
        XCTAssertEqual(entry("c/guess")?.resolvesTo, "hd/ct-12")
        XCTAssertEqual(entry("c/ambiguous")?.ambiguous, true)
        XCTAssertEqual(Set(entry("c/ambiguous")?.candidates ?? []), ["tb/ct-12", "hd/ct-12"])
        XCTAssertNil(entry("c/other")?.resolvesTo, "it cites the number, of an issuer not indexed")
        XCTAssertNotNil(entry("c/other"))
        let national = try searcher.citations(number: "67-QD/TW")
        XCTAssertEqual(national.document?.id, "r67")
        XCTAssertEqual(national.documents.map(\.id), ["r67"])
        XCTAssertEqual(national.citedBy.map(\.resolvesTo), ["r67"])
    }
}
