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
}
