import Foundation

/// Diacritic folding that is right for Vietnamese: tone and vowel marks removed and
/// đ/Đ mapped to d/D (Unicode decomposition does not split đ, so generic
/// "decompose and drop marks" code leaves it). Case is kept; `foldKey` lowercases.
public enum Folding {
    /// "Hải Dương" → "Hai Duong", "67-QĐ/TW" → "67-QD/TW".
    public static func fold(_ text: String) -> String {
        if isASCII(text) { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                out.append(scalar)
            } else if let folded = table[scalar.value] {
                out.append(contentsOf: folded.unicodeScalars)
            } else if let replacement = foldScalar(scalar) {
                out.append(contentsOf: replacement.unicodeScalars)
            }
        }
        return String(out)
    }

    /// Each precomposed Latin letter (Latin-1 to Latin Extended Additional, where
    /// all Vietnamese letters are) folded once, through Unicode decomposition, so
    /// that folding a word is a table lookup per letter, not a normalisation.
    static let table: [UInt32: String] = {
        var table: [UInt32: String] = [:]
        for range in [0x00C0...0x024F, 0x1E00...0x1EFF] {
            for value in range {
                guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
                var folded = String.UnicodeScalarView()
                for part in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars {
                    if let replacement = foldScalar(part) { folded.append(contentsOf: replacement.unicodeScalars) }
                }
                table[UInt32(value)] = String(folded)
            }
        }
        return table
    }()

    /// Folded and lowercased: the form words are compared in.
    public static func foldKey(_ text: String) -> String {
        // Words of Latin letters (English, Vietnamese) are keyed from a table, a scalar
        // at a time, without building the folded String first.
        let table = KeyPieces.table
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard scalar.value < UInt32(table.count) else { return fold(text).lowercased() }
            let piece = table[Int(scalar.value)]
            switch piece {
            case KeyPieces.dropped: continue
            case KeyPieces.foreign, KeyPieces.mixed: return fold(text).lowercased()
            default:
                bytes.append(UInt8(truncatingIfNeeded: piece))
                if piece > 0xFF { bytes.append(UInt8(truncatingIfNeeded: piece >> 8)) }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// What `foldKey` makes of each scalar below U+1F00 (ASCII, the Latin blocks, the
    /// combining marks) on its own: one or two ASCII bytes, low byte first, or a code.
    /// Keying a word piece by piece is exact while every piece is ASCII: folding works
    /// scalar by scalar, and lowercasing ASCII needs no context (a Greek final sigma does).
    enum KeyPieces {
        /// Nothing: a combining mark.
        static let dropped: UInt16 = 0xFFFF
        /// No ASCII at all (another script, or a letter folding leaves as it is).
        static let foreign: UInt16 = 0xFFFE
        /// ASCII mixed with more, or longer than two bytes.
        static let mixed: UInt16 = 0xFFFD
        static let table: [UInt16] = (0..<0x1F00).map { value -> UInt16 in
            guard let scalar = Unicode.Scalar(UInt32(value)) else { return foreign }
            let bytes = Array((fold(String(scalar))).lowercased().utf8)
            if bytes.isEmpty { return dropped }
            if bytes.allSatisfy({ $0 >= 0x80 }) { return foreign }
            guard bytes.count <= 2, bytes.allSatisfy({ $0 > 0 && $0 < 0x80 }) else { return mixed }
            return UInt16(bytes[0]) | (bytes.count == 2 ? UInt16(bytes[1]) << 8 : 0)
        }
    }

    /// Whether folding would change the text (it has marks or đ).
    public static func hasDiacritics(_ text: String) -> Bool { !isASCII(text) && fold(text) != text }

    static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

    /// Whether folding drops the scalar: a combining mark (tones, circumflex, breve, horn...).
    static func isCombiningMark(_ value: UInt32) -> Bool {
        switch value {
        case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F: return true
        default: return false
        }
    }

    /// nil drops the scalar (a combining mark); otherwise its folded replacement.
    private static func foldScalar(_ scalar: Unicode.Scalar) -> String? {
        if isCombiningMark(scalar.value) { return nil }
        switch scalar.value {
        case 0x0111: return "d"  // đ
        case 0x0110: return "D"  // Đ
        case 0x00F0: return "d"  // ð
        case 0x00D0: return "D"  // Ð
        case 0x00F8: return "o"  // ø
        case 0x00D8: return "O"  // Ø
        case 0x0142: return "l"  // ł
        case 0x0141: return "L"  // Ł
        case 0x00DF: return "ss" // ß
        case 0x00E6: return "ae" // æ
        case 0x00C6: return "AE" // Æ
        case 0x0153: return "oe" // œ
        case 0x0152: return "OE" // Œ
        default: return String(scalar)
        }
    }
}
