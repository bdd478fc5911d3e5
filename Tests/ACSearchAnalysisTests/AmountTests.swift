import XCTest
@testable import ACSearchAnalysis

/// Sums of money in each spelling the texts use, and numbers that are not money.
final class AmountTests: XCTestCase {
    func amounts(_ text: String) -> [Int] { AmountExtractor.find(in: text).map(\.vnd) }

    func testVietnameseUnits() {
        XCTAssertEqual(amounts("gây thiệt hại 126 tỷ đồng cho Nhà nước"), [126_000_000_000])
        XCTAssertEqual(amounts("thu hồi 500 triệu đồng"), [500_000_000])
        XCTAssertEqual(amounts("sai phạm 1.200 tỷ đồng"), [1_200_000_000_000], "a dot between thousands")
        XCTAssertEqual(amounts("hơn 3 nghìn tỷ đồng"), [3_000_000_000_000])
        XCTAssertEqual(amounts("khoảng 45 tỉ đồng"), [45_000_000_000], "tỉ is tỷ")
        XCTAssertEqual(amounts("thiệt hại 126 ty dong"), [126_000_000_000], "typed without marks")
    }

    func testDecimalComma() {
        XCTAssertEqual(amounts("số tiền 2,1 tỷ đồng"), [2_100_000_000])
        XCTAssertEqual(amounts("số tiền 12,75 triệu đồng"), [12_750_000])
    }

    func testDigitsInGroups() {
        XCTAssertEqual(amounts("nộp 1.234.567.890 đồng vào ngân sách"), [1_234_567_890])
        XCTAssertEqual(amounts("phạt 500.000đ"), [500_000])
        XCTAssertEqual(amounts("paid VND 1,234,567,890 back"), [1_234_567_890])
    }

    func testSeveralUnitsMakeOneSum() {
        XCTAssertEqual(amounts("chi sai 1 tỷ 200 triệu đồng"), [1_200_000_000])
    }

    func testEnglish() {
        XCTAssertEqual(amounts("losses of 48 billion VND"), [48_000_000_000])
        XCTAssertEqual(amounts("losses of VND 3.2 trillion"), [3_200_000_000_000])
        XCTAssertEqual(amounts("losses of VND48bn"), [48_000_000_000])
        XCTAssertEqual(amounts("some 20 million Vietnamese dong"), [20_000_000])
        XCTAssertEqual(amounts("worth 48 billion dong in total"), [48_000_000_000])
    }

    func testDollarsAreNotDong() {
        XCTAssertEqual(amounts("a loss of $1.5 million"), [])
        XCTAssertEqual(amounts("a loss of USD 2 million"), [])
    }

    func testNumbersThatAreNotMoney() {
        XCTAssertEqual(amounts("Theo Điều 126 Bộ luật Hình sự"), [])
        XCTAssertEqual(amounts("năm 2022 đã phát hiện"), [])
        XCTAssertEqual(amounts("Chỉ thị 12-CT/TU của Tỉnh ủy"), [])
        XCTAssertEqual(amounts("Nghị định 126/2020/NĐ-CP"), [])
        XCTAssertEqual(amounts("126 tỷ người"), [], "no currency, no money")
        XCTAssertEqual(amounts("năm 2022 đồng thời kiểm tra"), [], "đồng thời is at once")
        XCTAssertEqual(amounts("54 triệu đồng bào"), [], "compatriots")
        XCTAssertEqual(amounts("3 đồng chí"), [])
        XCTAssertEqual(amounts("tại 2 Đồng Nai"), [], "a place")
        XCTAssertEqual(amounts("Điều 126 đồng"), [], "below any sum inspected")
    }

    func testEachSumOnceInOrder() {
        let found = AmountExtractor.find(in: "thu hồi 2,1 tỷ đồng; thiệt hại 126 tỷ đồng; nộp lại 2,1 tỷ đồng")
        XCTAssertEqual(found.map(\.vnd), [2_100_000_000, 126_000_000_000])
        XCTAssertEqual(found.map(\.written), ["2,1 tỷ đồng", "126 tỷ đồng"])
    }
}
