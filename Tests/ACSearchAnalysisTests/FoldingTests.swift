import XCTest
@testable import ACSearchAnalysis

final class FoldingTests: XCTestCase {
    func testVietnameseFoldingRemovesTonesAndVowelMarks() {
        XCTAssertEqual(Folding.fold("Hải Dương"), "Hai Duong")
        XCTAssertEqual(Folding.fold("Trần Đức Thắng"), "Tran Duc Thang")
        XCTAssertEqual(Folding.fold("phòng, chống tham nhũng"), "phong, chong tham nhung")
        XCTAssertEqual(Folding.fold("Ủy ban Kiểm tra Trung ương"), "Uy ban Kiem tra Trung uong")
        XCTAssertEqual(Folding.foldKey("NGHỊ ĐỊNH"), "nghi dinh")
    }

    func testDStrokeFoldsToD() {
        // Unicode decomposition does not split đ: this is the case most folding gets wrong.
        XCTAssertEqual(Folding.fold("đất đai"), "dat dai")
        XCTAssertEqual(Folding.fold("Đà Nẵng"), "Da Nang")
        XCTAssertEqual(Folding.fold("67-QĐ/TW"), "67-QD/TW")
    }

    func testDecomposedInputFoldsLikeComposed() {
        let decomposed = "Ha\u{0309}i Du\u{031B}o\u{031B}\u{0300}ng"
        XCTAssertEqual(Folding.fold(decomposed), "Hai Duong")
        XCTAssertEqual(TextNormalization.normalize(decomposed), "Hải Dường")
    }

    func testNFCNormalisation() {
        let decomposed = "Hu\u{0302}\u{0301}"  // Huế, decomposed
        XCTAssertNotEqual(decomposed.unicodeScalars.count, "Huế".unicodeScalars.count)
        XCTAssertEqual(TextNormalization.normalize(decomposed).unicodeScalars.count, "Huế".unicodeScalars.count)
    }

    func testTonePlacementVariantsBecomeOneWord() {
        XCTAssertEqual(TextNormalization.normalize("hoà"), TextNormalization.normalize("hòa"))
        XCTAssertEqual(TextNormalization.normalize("thuỵ"), TextNormalization.normalize("thụy"))
        XCTAssertEqual(TextNormalization.normalize("Khánh Hoà"), TextNormalization.normalize("Khánh Hòa"))
        XCTAssertEqual(TextNormalization.normalize("khoẻ"), TextNormalization.normalize("khỏe"))
        // Syllables with a final consonant or a marked vowel keep their placement.
        XCTAssertEqual(TextNormalization.normalize("hoàn"), "hoàn")
        XCTAssertEqual(TextNormalization.normalize("người"), "người")
        XCTAssertEqual(TextNormalization.normalize("quý"), "quý")
        XCTAssertEqual(TextNormalization.normalize("giữa"), "giữa")
        // English is untouched.
        XCTAssertEqual(TextNormalization.normalize("Inspection café"), "Inspection café")
    }

    func testVietnameseSyllableShape() {
        for syllable in ["quy", "thanh", "tra", "nhung", "nguyen", "duong", "nghieng", "khuya", "tinh", "ly"] {
            XCTAssertTrue(VietnameseSyllable.matches(syllable), syllable)
        }
        for word in ["inspections", "corruption", "committees", "regulation", "conference", "provinces", "anti"] {
            XCTAssertFalse(VietnameseSyllable.matches(word), word)
        }
    }

    func testWordsSplitAndRememberCapitals() {
        let words = Words.split("Tỉnh Hải Dương, tỉnh Nam Định")
        XCTAssertEqual(words.map(\.key), ["tinh", "hai", "duong", "tinh", "nam", "dinh"])
        XCTAssertEqual(words.map(\.isCapitalized), [true, true, true, false, true, true])
        XCTAssertEqual(words.map(\.followsPunctuation), [false, false, false, true, false, false])
    }
}
