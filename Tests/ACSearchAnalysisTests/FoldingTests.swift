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

    /// `foldKey` keys Latin words from a table of pieces; it must give what folding the
    /// whole word and lowercasing it gives, for every scalar and for mixed words.
    func testFoldKeyFromPiecesMatchesFoldingThenLowercasing() {
        var texts = ["Hải Dương", "ĐẮK LẮK", "Œuvre Straße", "ΣΟΦΟΣ σοφός", "Ǆemal", "İstanbul", "ho\u{0301}a\u{0323}",
                     "67-QĐ/TW", "Hà\u{0000}Nội", "Kelvin \u{212A}", "日本 Hà"]
        for value in 0..<0x2000 {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            texts.append(String(scalar))
            texts.append("Ta" + String(scalar) + "Σ")
        }
        for text in texts {
            XCTAssertEqual(Folding.foldKey(text), Folding.fold(text).lowercased(), text)
        }
    }

    /// The cluster check reads folded letters from a table instead of folding the text:
    /// it must never miss a cluster that folding shows (it may only err towards looking).
    func testTwoPlaceClusterCheckNeverMissesWhatFoldingShows() {
        func folded(_ text: String) -> Bool {
            let key = Folding.foldKey(text)
            return key.contains("oa") || key.contains("oe") || key.contains("uy")
        }
        for value in 0..<0x1F00 {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            let letter = String(scalar)
            for text in [letter, "o" + letter, letter + "a", letter + "e", "u" + letter, letter + "y", "o" + letter + "a"]
                where folded(text) {
                XCTAssertTrue(TextNormalization.hasTwoPlaceCluster(text.unicodeScalars), "U+\(String(value, radix: 16)) in \(text)")
            }
        }
        // Past the table, nothing folds to a, e, o, u or y (U+212A Kelvin gives "k"), so those
        // scalars end a cluster.
        for value in 0x1F00..<0x40000 {
            guard let scalar = Unicode.Scalar(UInt32(value)), !Folding.isCombiningMark(UInt32(value)) else { continue }
            XCTAssertFalse(Folding.foldKey(String(scalar)).utf8.contains { "aeouy".utf8.contains($0) }, "U+\(String(value, radix: 16))")
        }
        let words = ["Hoà", "hòa", "KHOẺ", "thuỵ", "Quyết", "huyện", "tuyên", "Hải", "Dương", "hoạt", "toàn", "Œuvre",
                     "ho\u{0301}a", "Uỷ", "uy", "ya", "ao", "đoàn", "Thọ", "tỉnh", "ϋy", "o\u{20D0}a"]
        for word in words {
            XCTAssertEqual(TextNormalization.hasTwoPlaceCluster(word.unicodeScalars), folded(word), word)
        }
    }

    /// `Words.split` takes simple scalars for whole Characters; it must split exactly as
    /// walking every Character does (the walk it replaced, written out here).
    func testWordSplitMatchesTheCharacterWalk() throws {
        func characterWalk(_ text: String) -> [Word] {
            var words: [Word] = [], current = "", start = 0, index = 0, punctuation = false
            var startIndex = text.startIndex, position = text.startIndex
            func flush() {
                guard let first = current.first else { return }
                words.append(Word(text: current, key: Folding.foldKey(current), isCapitalized: first.isUppercase,
                                  followsPunctuation: punctuation, offset: start, range: startIndex..<position))
                current = ""
                punctuation = false
            }
            for character in text {
                if character.isLetter || character.isNumber {
                    if current.isEmpty { start = index; startIndex = position }
                    current.append(character)
                } else {
                    flush()
                    if !character.isWhitespace { punctuation = true }
                }
                index += 1
                position = text.index(after: position)
            }
            flush()
            return words
        }
        var texts = [
            "Tỉnh Hải Dương, tỉnh Nam Định", "x.\u{301}hoà\r\nhoà\thoà", "e\u{301}e\u{301}\u{323}x", "Ǆemal ǅ ǆ",
            "🇻🇳hoà👍🏽hoà a\u{200D}b ©\u{FE0F}x", "67-QĐ/TW ngày 02/6/2022", "\r\n\r\na\r", "ẞ ß Σ ς İ K", "",
            "한국어 텍스트 and 각", "क्षि नमस्ते", "١٢٣ ٤", "\u{0600}a ab\u{0903}c", "don't co-operate", "¼ ½ Ⅻ x²",
        ]
        var allSimple = ""
        for value in Array(0..<0x300) + Array(0x1E00...0x1EFF) { allSimple.unicodeScalars.append(Unicode.Scalar(UInt32(value))!) }
        texts.append(allSimple)
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? [] {
            texts.append(try String(contentsOf: corpus.appendingPathComponent(file), encoding: .utf8))
        }
        for text in texts {
            XCTAssertEqual(Words.split(text), characterWalk(text), text)
        }
    }

    /// What the table of simple scalars assumes: a grapheme break on both sides of each,
    /// whatever plain neighbour it has.
    func testSimpleScalarsStandAloneAsCharacters() {
        for value in Array(0..<0x300) + Array(0x1E00...0x1EFF) where value != 0x0D && value != 0x0A {
            let scalar = String(Unicode.Scalar(UInt32(value))!)
            for neighbour in ["x", "é", "\u{1EA1}", " "] {
                XCTAssertEqual((neighbour + scalar + neighbour).count, 3, "U+\(String(value, radix: 16))")
            }
        }
        XCTAssertEqual("\r\n".count, 1, "CR LF is the one pair the walk asks String about")
    }

    /// Text of these scalars is taken as NFC without asking Foundation: each must be
    /// stable under NFC, a starter, and never the second part of a decomposition (the
    /// only way NFC could compose it with what comes before).
    func testTheScalarsTakenAsNFCNeedNoComposition() {
        let certain = Array(0x80..<0x300) + Array(0x1E00...0x1EFF)
        for value in certain {
            let text = String(Unicode.Scalar(UInt32(value))!)
            XCTAssertEqual(text.precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value), [UInt32(value)])
            XCTAssertEqual(Unicode.Scalar(UInt32(value))!.properties.canonicalCombiningClass, .notReordered)
        }
        let certainSet = Set(certain.map(UInt32.init))
        for value in 0..<0x30000 {
            guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
            let parts = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.dropFirst()
            XCTAssertFalse(parts.contains { certainSet.contains($0.value) }, "U+\(String(value, radix: 16))")
        }
        XCTAssertTrue(TextNormalization.isCertainlyNFC("Hải Dương 67-QĐ/TW ẞ"))
        XCTAssertFalse(TextNormalization.isCertainlyNFC("Ha\u{0309}i"))
        XCTAssertEqual(TextNormalization.nfc("Ha\u{0309}i"), "Hải")
    }

    func testTrimmingWhitespaceTakesUnicodeSpacesAndNewlines() {
        XCTAssertEqual("  Hải Dương \n".trimmingWhitespace, "Hải Dương")
        XCTAssertEqual("\u{3000}\u{A0}x y\r\n\t".trimmingWhitespace, "x y")
        XCTAssertEqual(" \n ".trimmingWhitespace, "")
        XCTAssertEqual("a; b ".split(separator: ";").map(\.trimmingWhitespace), ["a", "b"])
    }
}
