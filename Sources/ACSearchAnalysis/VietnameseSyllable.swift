/// Whether a folded, lowercased word has the shape of a Vietnamese syllable.
///
/// acsearch stems a word with the English stemmer only when it cannot be a
/// Vietnamese syllable, so that no English stemming is ever applied to Vietnamese
/// ("quy" must not become "qui") while English words are stemmed in any document
/// and any query, whatever its language. English words that happen to be
/// syllable-shaped ("an", "to", "long") are short and stem to themselves anyway.
public enum VietnameseSyllable {
    static let initials: [String] = [
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
        "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
    ]
    static let finals: [String] = ["ng", "nh", "ch", "c", "m", "n", "p", "t", ""]
    /// Vowel nuclei (with glides) of Vietnamese rhymes, folded.
    static let nuclei: Set<String> = [
        "a", "e", "i", "o", "u", "y",
        "ai", "ao", "au", "ay", "eo", "eu", "ia", "ie", "iu", "oa", "oe", "oi", "oo", "ua", "ue", "ui", "uo", "uu",
        "uy", "ye", "ya",
        "oai", "oay", "oao", "oeo", "uai", "uay", "uoi", "uou", "uya", "uye", "uyu", "ieu", "yeu", "uoa",
    ]

    public static func matches(_ word: String) -> Bool {
        let bytes = Array(word.utf8)
        guard !bytes.isEmpty, bytes.count <= 7, bytes.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return false }
        for initial in initials where word.hasPrefix(initial) {
            let rest = word.dropFirst(initial.count)
            for final in finals where rest.hasSuffix(final) && rest.count > final.count {
                let nucleus = String(rest.dropLast(final.count))
                if nuclei.contains(nucleus) { return true }
            }
        }
        return false
    }
}
