import XCTest
@testable import ACSearchAnalysis

final class DocumentAnalyzerTests: XCTestCase {
    let analyzer = DocumentAnalyzer(resources: Repository.resources, stem: crudeStem)

    func testSharedPressItem() throws {
        guard let data = FileManager.default.contents(atPath: Repository.sharedPressItem.path) else {
            throw XCTSkip("../shared/corpus is not beside this checkout")
        }
        let document = analyzer.analyse(SourceRecord(id: "vna.txt", body: String(decoding: data, as: UTF8.self)))
        XCTAssertEqual(document.kind, .press)
        XCTAssertEqual(document.language, .en)
        XCTAssertTrue(document.title.hasPrefix("286 corruption cases"), document.title)
        XCTAssertTrue(document.provinces.map(\.slug).contains("hai-duong"))
        XCTAssertTrue(document.provinceSlugs.contains("hai-phong"), "Hai Duong belongs to Hai Phong since 2025")
        XCTAssertTrue(Set(document.provinces.map(\.slug)).isSuperset(of: ["ha-noi", "da-nang", "lao-cai", "soc-trang"]))
        XCTAssertNil(document.number, "a press item has no number of its own")
        XCTAssertTrue(document.cites.map(\.canonical).contains("67-QD/TW"))
        let thang = try XCTUnwrap(document.people.first { $0.key == "tran duc thang" })
        XCTAssertTrue(thang.position?.contains("Secretary of Hai Duong Provincial Party Committee") == true)
        XCTAssertTrue(document.people.contains { $0.key == "nguyen phu trong" })
        XCTAssertEqual(document.issuer, "Vietnam News Agency")
        XCTAssertTrue(document.concepts.map(\.id).contains("steering-committee"))
    }

    func testVietnameseRegulationHeader() {
        let body = """
        BAN BÍ THƯ
        Số: 67-QĐ/TW
        Hà Nội, ngày 02 tháng 6 năm 2022
        QUY ĐỊNH về chức năng, nhiệm vụ của Ban Chỉ đạo cấp tỉnh về phòng, chống tham nhũng, tiêu cực
        Căn cứ Quy định số 24-QĐ/TW ngày 30/7/2021 của Ban Chấp hành Trung ương.
        Điều 1. Ban Chỉ đạo cấp tỉnh giúp Tỉnh ủy, Thành ủy chỉ đạo công tác phòng, chống tham nhũng.
        """
        let document = analyzer.analyse(SourceRecord(id: "qd67", title: "Quy định 67-QĐ/TW", body: body))
        XCTAssertEqual(document.kind, .regulation)
        XCTAssertEqual(document.language, .vi)
        XCTAssertEqual(document.number?.canonical, "67-QD/TW")
        XCTAssertEqual(document.cites.map(\.canonical), ["24-QD/TW"])
        XCTAssertEqual(document.date?.description, "2022-06-02", "the header date, not the cited one")
        XCTAssertEqual(document.issuer, "Secretariat")
        XCTAssertEqual(document.provinces, [], "Hà Nội is where it was signed, not what it is about")
        XCTAssertEqual(document.placesNamed.map(\.slug), ["ha-noi"], "but it is named: a query naming Hà Nội finds it")
        XCTAssertTrue(Set(document.concepts.map(\.id)).isSuperset(of: ["steering-committee", "anti-corruption", "negativity"]))
    }

    func testAPlaceOfSigningIsLeftOutWhole() {
        // Leaving out the mention at "Thừa" must not leave "Huế" to be found on its own.
        let body = "Thừa Thiên Huế, ngày 2 tháng 6 năm 2022\nKết luận thanh tra tại tỉnh Quảng Trị."
        let document = analyzer.analyse(SourceRecord(id: "kl", title: "Kết luận thanh tra", body: body))
        XCTAssertEqual(document.provinces.map(\.slug), ["quang-tri"])
        XCTAssertEqual(Set(document.placesNamed.map(\.slug)), ["hue", "quang-tri"])
    }

    func testExplicitFieldsWin() {
        let record = SourceRecord(id: "x", kind: "conclusion", title: "Title", body: "Quy định 67-QĐ/TW tại Hà Nội",
                                  date: "2021-03-04", number: "1843/KL-TTCP", issuer: "Thanh tra Chính phủ",
                                  provinces: ["Hải Dương"], people: ["Nguyễn Văn A"], lang: "vi")
        let document = analyzer.analyse(record)
        XCTAssertEqual(document.kind, .conclusion)
        XCTAssertEqual(document.number?.canonical, "1843/KL-TTCP")
        XCTAssertEqual(document.date?.description, "2021-03-04")
        XCTAssertEqual(document.issuer, "Thanh tra Chính phủ")
        XCTAssertEqual(document.provinces.map(\.slug), ["hai-duong"])
        XCTAssertEqual(document.placesNamed.map(\.slug), ["hai-duong", "ha-noi"], "the record's provinces, then the places its text names")
        XCTAssertEqual(document.placesNamed.map(\.mentions), [1, 1], "a province the text never names counts once")
        XCTAssertEqual(document.people.map(\.name), ["Nguyễn Văn A"])
        XCTAssertEqual(document.cites.map(\.canonical), ["67-QD/TW"])
    }

    func testPlacesNamedCountTheirMentions() {
        let body = "Thanh tra tỉnh Hải Dương kết luận: tại Hải Dương, Hà Nội và Hải Dương có vi phạm."
        let document = analyzer.analyse(SourceRecord(id: "m", title: "Kết luận thanh tra Hải Dương", body: body,
                                                     provinces: ["Hà Nội", "Ninh Bình"]))
        XCTAssertEqual(document.placesNamed.map(\.slug), ["ha-noi", "ninh-binh", "hai-duong"])
        XCTAssertEqual(document.placesNamed.map(\.mentions), [1, 1, 4], "the title's mention counts too")
    }

    func testPlainTextTitleIsTheFirstLine() {
        let document = analyzer.analyse(SourceRecord(id: "t", body: "\n\n  First line here  \nThe rest."))
        XCTAssertEqual(document.title, "First line here")
    }

    /// A news item reporting a conclusion names the conclusion's number after "No."
    /// in its first sentence: it is still news, citing that number, not numbered by it.
    func testPressReportingAConclusionCitesItsNumber() {
        let body = """
        Government Inspectorate points out violations at land projects in Hai Duong
        Hanoi (VNA) – The Government Inspectorate has issued Conclusion No. 1234/KL-TTCP on the management \
        of land use in Hai Duong province, finding violations that caused losses of 126 billion VND.
        The inspection conclusion recommended that the Prime Minister direct the provincial People's Committee \
        to recover the sums.
        """
        let document = analyzer.analyse(SourceRecord(id: "vna-kl.txt", body: body))
        XCTAssertEqual(document.kind, .press)
        XCTAssertNil(document.number, "a press item has no number of its own")
        XCTAssertEqual(document.cites.map(\.canonical), ["1234/KL-TTCP"])
    }

    /// The same in Vietnamese, with the number in the headline.
    func testVietnamesePressHeadlineNamingAConclusion() {
        let body = """
        Thanh tra Chính phủ ban hành Kết luận số 1234/KL-TTCP về sai phạm đất đai tại Hải Dương
        (TTXVN) – Thanh tra Chính phủ vừa ban hành Kết luận thanh tra số 1234/KL-TTCP, chỉ ra sai phạm gây thiệt hại \
        126 tỷ đồng.
        """
        let document = analyzer.analyse(SourceRecord(id: "ttxvn-kl.txt", body: body))
        XCTAssertEqual(document.kind, .press)
        XCTAssertNil(document.number)
        XCTAssertEqual(document.cites.map(\.canonical), ["1234/KL-TTCP"])
    }

    /// Without an outlet's dateline, news still says it reports: "has issued Conclusion
    /// No.", "vừa công bố kết luận"; a conclusion saying "đã ban hành Quyết định số" (the
    /// decision to inspect) under its number header stays a conclusion.
    func testPressWithoutADatelineReportingAConclusion() {
        let english = """
        Violations found at land projects in Hai Duong
        The Government Inspectorate has issued Conclusion No. 1234/KL-TTCP on land use in Hai Duong province, \
        finding violations that caused losses of 126 billion VND. The inspection conclusion recommended recovering them.
        """
        let en = analyzer.analyse(SourceRecord(id: "en-news", body: english))
        XCTAssertEqual(en.kind, .press)
        XCTAssertNil(en.number)
        XCTAssertEqual(en.cites.map(\.canonical), ["1234/KL-TTCP"])
        let vietnamese = """
        Phát hiện sai phạm đất đai tại Hải Dương
        Thanh tra Chính phủ vừa công bố kết luận thanh tra số 1234/KL-TTCP, chỉ ra sai phạm gây thiệt hại 126 tỷ đồng \
        và kiến nghị thu hồi.
        """
        let vi = analyzer.analyse(SourceRecord(id: "vi-news", body: vietnamese))
        XCTAssertEqual(vi.kind, .press)
        XCTAssertNil(vi.number)
        XCTAssertEqual(vi.cites.map(\.canonical), ["1234/KL-TTCP"])
        let conclusion = """
        THANH TRA CHÍNH PHỦ
        Số: 1843/KL-TTCP
        KẾT LUẬN THANH TRA việc quản lý đất đai tại tỉnh Hải Dương
        Ngày 5/3/2022, Tổng Thanh tra Chính phủ đã ban hành Quyết định số 520/QĐ-TTCP thanh tra việc quản lý đất đai; \
        sai phạm gây thiệt hại 126 tỷ đồng, kiến nghị thu hồi.
        """
        let kl = analyzer.analyse(SourceRecord(id: "kl", body: conclusion))
        XCTAssertEqual(kl.kind, .conclusion)
        XCTAssertEqual(kl.number?.canonical, "1843/KL-TTCP")
    }

    /// A conclusion itself keeps the number its heading gives it.
    func testAConclusionKeepsItsOwnNumber() {
        let vietnamese = """
        THANH TRA CHÍNH PHỦ
        Số: 1843/KL-TTCP
        Hà Nội, ngày 10 tháng 2 năm 2023
        KẾT LUẬN THANH TRA việc quản lý, sử dụng đất đai tại tỉnh Hải Dương
        Thực hiện Quyết định số 520/QĐ-TTCP, Đoàn thanh tra đã tiến hành thanh tra. Sai phạm gây thiệt hại 126 tỷ đồng.
        """
        let kl = analyzer.analyse(SourceRecord(id: "kl1843", body: vietnamese))
        XCTAssertEqual(kl.kind, .conclusion)
        XCTAssertEqual(kl.number?.canonical, "1843/KL-TTCP")
        XCTAssertEqual(kl.cites.map(\.canonical), ["520/QD-TTCP"])
        let english = """
        Inspection Conclusion No. 1234/KL-TTCP on land management in Hai Duong province
        The Government Inspectorate concluded that the provincial People's Committee allocated land without auction, \
        with violations causing losses of 48 billion VND.
        """
        let en = analyzer.analyse(SourceRecord(id: "kl1234", body: english))
        XCTAssertEqual(en.kind, .conclusion)
        XCTAssertEqual(en.number?.canonical, "1234/KL-TTCP")
    }

    /// A file's metadata date (a DOCX's dcterms:created: when its template was made)
    /// gives way to the date the text gives itself, and stands in only without one.
    func testTheTextsDateWinsOverMetadata() {
        let dated = SourceRecord(id: "a.docx", body: "THANH TRA TỈNH\nHà Nội, ngày 10 tháng 2 năm 2023\nKết luận",
                                 metadataDate: "2019-05-01")
        XCTAssertEqual(analyzer.analyse(dated).date?.description, "2023-02-10")
        let english = SourceRecord(id: "b.docx", body: "Report of the inspection team\ndated June 2, 2022\nFindings",
                                   metadataDate: "2019-05-01")
        XCTAssertEqual(analyzer.analyse(english).date?.description, "2022-06-02")
        let undated = SourceRecord(id: "c.docx", body: "Báo cáo\nNội dung không ghi ngày", metadataDate: "2019-05-01")
        XCTAssertEqual(analyzer.analyse(undated).date?.description, "2019-05-01")
        let given = SourceRecord(id: "d.json", body: "Hà Nội, ngày 10 tháng 2 năm 2023", date: "2021-01-01")
        XCTAssertEqual(analyzer.analyse(given).date?.description, "2021-01-01", "a record's own date field still wins")
    }

    /// Every sum is kept, in order; the largest is what the document is about.
    func testAmountsOfADocument() {
        let body = "Kết luận thanh tra\nThu hồi 2,1 tỷ đồng; thiệt hại 126 tỷ đồng; phạt 500 triệu đồng. Điều 126."
        let document = analyzer.analyse(SourceRecord(id: "kl", body: body))
        XCTAssertEqual(document.amounts.map(\.vnd), [2_100_000_000, 126_000_000_000, 500_000_000])
        XCTAssertEqual(document.largestAmount, 126_000_000_000)
        XCTAssertNil(analyzer.analyse(SourceRecord(id: "x", body: "Điều 126, năm 2022")).largestAmount)
    }
}
