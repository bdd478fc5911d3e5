/// A word of a text, as the gazetteer, glossary and name finders see it.
public struct Word: Sendable, Equatable {
    /// The word as written.
    public let text: String
    /// Folded and lowercased.
    public let key: String
    /// Whether it starts with a capital letter (a proper noun, in running text).
    public let isCapitalized: Bool
    /// Whether punctuation other than a space separates it from the previous word.
    public let followsPunctuation: Bool
    /// Position in the text, in characters.
    public let offset: Int
}

public enum Words {
    /// Splits text into words of letters and digits; hyphens and apostrophes inside
    /// a word split it (Xapian does the same for terms).
    public static func split(_ text: String) -> [Word] {
        var words: [Word] = []
        var current = ""
        var start = 0
        var punctuation = false
        var index = 0
        func flush() {
            guard !current.isEmpty else { return }
            let first = current.first!
            words.append(Word(text: current, key: Folding.foldKey(current), isCapitalized: first.isUppercase,
                              followsPunctuation: punctuation, offset: start))
            current = ""
            punctuation = false
        }
        for character in text {
            if character.isLetter || character.isNumber {
                if current.isEmpty { start = index }
                current.append(character)
            } else {
                flush()
                if !character.isWhitespace { punctuation = true }
            }
            index += 1
        }
        flush()
        return words
    }
}
