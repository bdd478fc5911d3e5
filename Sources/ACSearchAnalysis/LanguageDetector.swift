/// Tells English from Vietnamese text.
public enum Language: String, Sendable, Codable, CaseIterable {
    case en, vi

    public init?(code: String) {
        switch code.lowercased().trimmingCharacters(in: .whitespaces) {
        case "en", "eng", "english", "tiếng anh", "tieng anh": self = .en
        case "vi", "vie", "vietnamese", "tiếng việt", "tieng viet": self = .vi
        default: return nil
        }
    }
}

public enum LanguageDetector {
    static let vietnameseWords: Set<String> = ["cua", "va", "cac", "nhung", "duoc", "trong", "khong", "mot", "nguoi",
                                               "la", "voi", "cho", "da", "nay", "theo", "tai", "ve", "tinh", "nam"]
    static let englishWords: Set<String> = ["the", "of", "and", "to", "in", "is", "was", "for", "on", "that", "with",
                                            "by", "as", "were", "are", "from", "has", "have", "this", "at"]

    /// Vietnamese when its letters carry Vietnamese marks, or, for text typed without
    /// diacritics, when its words are syllable-shaped and its common words Vietnamese
    /// ones; English otherwise. The enum has no third language: "en" is what any text
    /// that is not Vietnamese gets (French, German, Spanish: docs/formats.md).
    ///
    /// Only letters no Western language writes count as marks (ă, đ, ơ, ư and the
    /// Latin Extended Additional block: ạ, ả, ế, ộ…): é, à, ü, ß are French or German too.
    /// Without them, common words alone mislead: French and Spanish write "la" and
    /// "de", which are Vietnamese words too. Vietnamese without diacritics is still
    /// written in syllables (VietnameseSyllable), and their words mostly are not
    /// ("gouvernement", "publié", "conclusions", "corrupción").
    public static func detect(_ text: String) -> Language {
        var letters = 0
        var marked = 0
        for scalar in text.unicodeScalars.prefix(20_000) where scalar.properties.isAlphabetic {
            letters += 1
            if isVietnameseLetter(scalar.value) { marked += 1 }
        }
        if letters > 0, Double(marked) / Double(letters) > 0.015 { return .vi }
        var vietnamese = 0
        var english = 0
        var words = 0
        var syllables = 0
        for word in Words.split(String(text.prefix(20_000))) where !word.key.allSatisfy(\.isNumber) {
            words += 1
            if VietnameseSyllable.matches(word.key) { syllables += 1 }
            if vietnameseWords.contains(word.key) { vietnamese += 1 }
            if englishWords.contains(word.key) { english += 1 }
        }
        // Measured on the tests' samples: unaccented Vietnamese sentences are 92–100 %
        // syllables (an abbreviation such as UBND is the rest), French, German, Spanish
        // and English 33–47 %.
        guard words > 0, Double(syllables) >= Double(words) * syllableShare else { return .en }
        return vietnamese > english * 2 ? .vi : .en
    }

    /// The share of syllable-shaped words below which text is not Vietnamese.
    static let syllableShare = 0.7

    static func isVietnameseLetter(_ value: UInt32) -> Bool {
        (0x1EA0...0x1EF9).contains(value) || [0x0102, 0x0103, 0x0110, 0x0111, 0x01A0, 0x01A1, 0x01AF, 0x01B0].contains(value)
    }
}
