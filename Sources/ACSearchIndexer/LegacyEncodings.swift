import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Pre-Unicode encodings a text that is not UTF-8 may be in: the Vietnamese ones
/// (TCVN3 "ABC", VNI, VISCII, Windows-1258) and, for Western text, Windows-1252.
///
/// All of them are valid as Latin-1, so no single byte tells: each Vietnamese
/// candidate decodes a sample, and the one whose accented words are Vietnamese
/// syllables wins, only if nearly all of them are and they are a good share of the
/// words (Vietnamese marks most syllables; French or German marks few words, and
/// what those become in a Vietnamese table is rarely a syllable).
public enum LegacyEncoding: String, CaseIterable, Sendable {
    case tcvn3 = "TCVN3"
    case vni = "VNI"
    case viscii = "VISCII"
    case windows1258 = "Windows-1258"
    case windows1252 = "Windows-1252"

    static let vietnamese: [LegacyEncoding] = [.tcvn3, .vni, .viscii, .windows1258]

    /// What `acsearch show` says of a converted document.
    public var fieldValue: String { "\(rawValue), converted to Unicode" }

    func decode(_ bytes: ArraySlice<UInt8>) -> String {
        switch self {
        case .tcvn3: return Iconv.decode(bytes, from: "TCVN5712-1")
        case .viscii: return Iconv.decode(bytes, from: "VISCII")
        case .windows1258: return Iconv.decode(bytes, from: "CP1258")
        case .vni: return VNI.decode(bytes)
        case .windows1252: return String(String.UnicodeScalarView(bytes.map(Windows1252.scalar)))
        }
    }

    /// The encoding of bytes that are not UTF-8, or nil when none fits well enough
    /// (the caller then keeps them as UTF-8 with replacement characters).
    static func detect(_ bytes: [UInt8]) -> LegacyEncoding? {
        let sample = bytes.prefix(65_536)
        if let encoding = detectVietnamese(sample, minimum: 3) { return encoding }
        return Windows1252.looksWestern(sample) ? .windows1252 : nil
    }

    static func detectVietnamese(_ sample: ArraySlice<UInt8>, minimum: Int) -> LegacyEncoding? {
        var best: (encoding: LegacyEncoding, valid: Int)? = nil
        for encoding in vietnamese {
            let score = VietnameseEvidence(encoding.decode(sample))
            guard score.valid >= minimum, score.valid * 10 >= score.marked * 9, score.marked * 4 >= score.words else { continue }
            if score.valid > best?.valid ?? 0 { best = (encoding, score.valid) }
        }
        return best?.encoding
    }

    /// Text a document reader extracted (catdoc, pdftotext, the DOCX and ODT readers)
    /// from runs in a legacy font (`.VnTime`, `VNI-Times`): the font drew Vietnamese
    /// over Windows-1252 characters, so the text says "ViÖt Nam". Each line made only
    /// of characters Windows-1252 has is taken back to its bytes and converted when they
    /// are Vietnamese in one of the encodings; other lines are left as they are.
    /// Soft hyphens left in lines that are not converted are taken out: they would
    /// split the words they sit in.
    static func convertingLegacyRuns(_ text: String) -> (text: String, converted: LegacyEncoding?) {
        guard text.unicodeScalars.contains(where: { (0x80...0xFF).contains($0.value) }) else { return (text, nil) }
        let (converted, encoding) = convertingLines(text)
        let cleaned = converted.contains("\u{AD}") ? converted.replacingOccurrences(of: "\u{AD}", with: "") : converted
        return (cleaned, encoding)
    }

    private static func convertingLines(_ text: String) -> (text: String, converted: LegacyEncoding?) {
        var converted: LegacyEncoding? = nil
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.unicodeScalars.contains(where: { (0x80...0xFF).contains($0.value) }),
                  let bytes = Windows1252.bytes(line), let encoding = detectVietnamese(bytes[...], minimum: 2) else {
                lines.append(line)
                continue
            }
            // A line already in Unicode Vietnamese that happens to use only Latin-1
            // letters ("Tôi là ai") stays: it is converted only if that reads better.
            let decoded = encoding.decode(bytes[...])
            guard VietnameseEvidence(decoded).valid > VietnameseEvidence(String(line)).valid else {
                lines.append(line)
                continue
            }
            lines.append(Substring(decoded))
            converted = converted ?? encoding
        }
        guard let converted else { return (text, nil) }
        return (lines.joined(separator: "\n"), converted)
    }
}

/// Counts words with letters outside ASCII and how many of them are Vietnamese syllables.
struct VietnameseEvidence {
    var words = 0, marked = 0, valid = 0

    init(_ text: String) {
        for word in text.precomposedStringWithCanonicalMapping.split(whereSeparator: { !$0.isLetter }) {
            words += 1
            guard word.unicodeScalars.contains(where: { !$0.isASCII }) else { continue }
            marked += 1
            if VietnameseSyllable.isValid(word) { valid += 1 }
        }
    }
}

/// The shape of a written Vietnamese syllable: an initial consonant, a vowel group,
/// a final consonant, and at most one tone mark.
enum VietnameseSyllable {
    private static let tones: Set<UInt32> = [0x300, 0x301, 0x303, 0x309, 0x323]
    private static let initials = ["ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch",
                                   "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""]
    private static let finals = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]
    /// Vowel groups, with the semivowel endings (ai, ao, êu…) that take no final consonant.
    private static let nuclei: Set<String> = [
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
        "ia", "iê", "yê", "ua", "uâ", "uê", "uô", "uơ", "ưa", "ươ", "oa", "oă", "oe", "oo", "uy", "uyê", "uya",
    ]
    private static let open: Set<String> = [
        "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "iu", "oi", "ôi", "ơi", "ui", "ưi", "ưu",
        "iêu", "yêu", "ươi", "ươu", "uôi", "oai", "oay", "oao", "oeo", "uây", "uyu", "uêu",
    ]

    static func isValid(_ word: Substring) -> Bool {
        guard word.count <= 8 else { return false }
        var toneCount = 0
        var scalars = String.UnicodeScalarView()
        for scalar in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            if tones.contains(scalar.value) { toneCount += 1 } else { scalars.append(scalar) }
        }
        guard toneCount <= 1 else { return false }
        let letters = String(scalars).precomposedStringWithCanonicalMapping
        for initial in initials where letters.hasPrefix(initial) {
            let rime = letters.dropFirst(initial.count)
            if open.contains(String(rime)) { return true }
            for final in finals where rime.hasSuffix(final) {
                if nuclei.contains(String(rime.dropLast(final.count))) { return true }
            }
            // "gi" and "qu" also read as g + i…, q + u…: tried by the shorter initials.
        }
        return false
    }
}

/// VNI (VNI-Times and its sister fonts): a base letter followed by a byte for its
/// marks; ơ, ư, đ and the marked i and ỵ are one byte each. The layout is the
/// published VNI for Windows one: a mark byte's value is the Latin-1 letter the
/// font draws it over (ù for the acute, ø grave, û hook, õ tilde, ï dot below; â…ä
/// circumflex with a tone, ê…ë breve with a tone), upper case for upper-case text.
enum VNI {
    private enum Mark { case circumflex, breve }
    private static let acute: UInt32 = 0x301, grave: UInt32 = 0x300, hook: UInt32 = 0x309, tilde: UInt32 = 0x303, dot: UInt32 = 0x323

    /// Mark bytes (lower case; upper case is 0x20 less): the vowel mark and the tone.
    private static let marks: [UInt8: (Mark?, UInt32?)] = [
        0xF9: (nil, acute), 0xF8: (nil, grave), 0xFB: (nil, hook), 0xF5: (nil, tilde), 0xEF: (nil, dot),
        0xE2: (.circumflex, nil), 0xE1: (.circumflex, acute), 0xE0: (.circumflex, grave),
        0xE5: (.circumflex, hook), 0xE3: (.circumflex, tilde), 0xE4: (.circumflex, dot),
        0xEA: (.breve, nil), 0xE9: (.breve, acute), 0xE8: (.breve, grave),
        0xFA: (.breve, hook), 0xFC: (.breve, tilde), 0xEB: (.breve, dot),
    ]
    /// Letters of one byte (lower case; upper case is 0x20 less).
    private static let letters: [UInt8: (lower: String, upper: String)] = [
        0xF4: ("ơ", "Ơ"), 0xF6: ("ư", "Ư"), 0xF1: ("đ", "Đ"),
        0xED: ("í", "Í"), 0xEC: ("ì", "Ì"), 0xE6: ("ỉ", "Ỉ"), 0xF3: ("ĩ", "Ĩ"), 0xF2: ("ị", "Ị"), 0xEE: ("ỵ", "Ỵ"),
    ]
    private static let vowels = Set("aeiouyAEIOUYơưƠƯ")

    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        var out = String.UnicodeScalarView()
        var base: Character? = nil  // the last letter written, while it can still take marks
        var marked = false
        for byte in bytes {
            if byte < 0x80 {
                out.append(Unicode.Scalar(byte))
                base = Character(Unicode.Scalar(byte))
                marked = false
                continue
            }
            let lower = byte >= 0xE0 ? byte : byte + 0x20
            if byte >= 0xC0, let (mark, tone) = marks[lower], let letter = base, !marked, vowels.contains(letter),
               mark != .circumflex || "aeoAEO".contains(letter), mark != .breve || "aA".contains(letter) {
                if let mark { out.append(Unicode.Scalar(mark == .circumflex ? 0x302 : 0x306)!) }
                if let tone { out.append(Unicode.Scalar(tone)!) }
                marked = true
                continue
            }
            if byte >= 0xC0, let letter = letters[lower] {
                let text = byte >= 0xE0 ? letter.lower : letter.upper
                out.append(contentsOf: text.unicodeScalars)
                // ơ and ư take a tone byte after them; the marked i and ỵ are complete.
                base = "ơưƠƯ".contains(text) ? Character(text) : nil
                marked = false
                continue
            }
            out.append(Windows1252.scalar(byte))
            base = nil
        }
        return String(out).precomposedStringWithCanonicalMapping
    }
}

enum Windows1252 {
    /// 0x80-0x9F hold punctuation and a few letters; the rest is Latin-1.
    private static let high: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    /// The bytes of text made only of Windows-1252 characters (control codes
    /// included: TCVN3 puts capitals there), or nil.
    static func bytes(_ text: Substring) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 || (0xA0...0xFF).contains(scalar.value) {
                bytes.append(UInt8(scalar.value))
            } else if let index = high.firstIndex(of: scalar.value), scalar.value != 0xFFFD {
                bytes.append(UInt8(0x80 + index))
            } else {
                return nil
            }
        }
        return bytes
    }

    static func scalar(_ byte: UInt8) -> Unicode.Scalar {
        (0x80...0x9F).contains(byte) ? Unicode.Scalar(high[Int(byte) - 0x80])! : Unicode.Scalar(byte)
    }

    /// Letters of French, German, Spanish, Italian… and their punctuation.
    private static let western = Set("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿœšžßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŸŒŠŽ"
        + "€‚„…†‡‰‹›‘’“”•–—™«»°§©®·\u{A0}¿¡ºª£")

    /// Every byte past ASCII is a Western letter or Western punctuation: bytes that
    /// make þ, ¤, control codes… are not taken for it.
    static func looksWestern(_ bytes: ArraySlice<UInt8>) -> Bool {
        let text = String(String.UnicodeScalarView(bytes.map(scalar)))
        var seen = false
        for character in text where !character.isASCII {
            guard western.contains(character) else { return false }
            seen = true
        }
        return seen
    }
}

/// glibc's iconv(3), for the tables it has (TCVN5712-1, VISCII, CP1258). A byte it
/// cannot convert becomes U+FFFD and conversion goes on.
enum Iconv {
    static func decode(_ bytes: ArraySlice<UInt8>, from encoding: String) -> String {
        let descriptor = iconv_open("UTF-8", encoding)
        if descriptor == iconv_t(bitPattern: -1) { return String(decoding: bytes, as: UTF8.self) }
        defer { iconv_close(descriptor) }
        var input = Array(bytes)
        var result = [UInt8]()
        result.reserveCapacity(input.count * 2)
        var buffer = [UInt8](repeating: 0, count: 16_384)
        input.withUnsafeMutableBufferPointer { inputBuffer in
            buffer.withUnsafeMutableBufferPointer { outputBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inputBuffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inputBuffer.count
                while true {
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outputBuffer.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var outLeft = outputBuffer.count
                    // With the input done, one more call writes what a stateful table
                    // (TCVN3 waits for a combining mark) still holds.
                    let flushing = inLeft == 0
                    let status = flushing ? iconv(descriptor, nil, nil, &outPointer, &outLeft)
                                          : iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft)
                    let failure = status == -1 ? errno : 0
                    result.append(contentsOf: outputBuffer[0..<(outputBuffer.count - outLeft)])
                    if failure == E2BIG { continue }
                    if flushing { break }
                    if failure != 0 {
                        // An invalid or cut-off sequence: say so and step over a byte.
                        result.append(contentsOf: [0xEF, 0xBF, 0xBD])
                        inPointer = inPointer.map { $0 + 1 }
                        inLeft -= 1
                        iconv(descriptor, nil, nil, nil, nil)
                    }
                }
            }
        }
        return String(decoding: result, as: UTF8.self).precomposedStringWithCanonicalMapping
    }
}
