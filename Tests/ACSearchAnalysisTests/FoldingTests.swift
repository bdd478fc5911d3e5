import XCTest
import Foundation
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

    /// The fast path (only stretches with non-ASCII bytes walked as Characters) must
    /// place tones exactly as walking every Character of the text does.
    func testTonePlacementFastPathMatchesTheCharacterWalk() throws {
        var texts = [
            "Ủy ban nhân dân tỉnh Khánh Hoà, hoà giải; thuỵ sĩ: khoẻ (hòa) \"hoà\"",
            "x.\u{301}hoà\r\nhoà\thoà", "oà", "Hoà-hoà/HOÀ_hoà9hoà", "ÔNG HOÀ KHOẺ", "hoà\u{301}",
            "a\u{0300}o\u{0300}", "🇻🇳hoà👍🏽hoà", "Đà Nẵng hoà 67-QĐ/TW", "", "plain ASCII only", "é",
        ]
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? [] {
            texts.append(try String(contentsOf: corpus.appendingPathComponent(file), encoding: .utf8))
        }
        for text in texts {
            let composed = text.precomposedStringWithCanonicalMapping
            XCTAssertEqual(TextNormalization.canonicalizeTonePlacement(composed),
                           TextNormalization.placeTones(inWordsOf: composed), text)
        }
        XCTAssertEqual(TextNormalization.canonicalizeTonePlacement("Khánh Hoà, hoà"), "Khánh Hòa, hòa", "the check can tell")
    }

    func testTrimmingWhitespaceTakesUnicodeSpacesAndNewlines() {
        XCTAssertEqual("  Hải Dương \n".trimmingWhitespace, "Hải Dương")
        XCTAssertEqual("\u{3000}\u{A0}x y\r\n\t".trimmingWhitespace, "x y")
        XCTAssertEqual(" \n ".trimmingWhitespace, "")
        XCTAssertEqual("a; b ".split(separator: ";").map(\.trimmingWhitespace), ["a", "b"])
    }
}
