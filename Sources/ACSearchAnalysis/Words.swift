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
    /// Where it is in the text it was split from.
    public let range: Range<String.Index>
}

public enum Words {
    /// Splits text into words of letters and digits, Character by Character (a
    /// Character is a letter or a digit when its first scalar is); hyphens and
    /// apostrophes inside a word split it (Xapian does the same for terms).
    ///
    /// Finding where a Character ends is the costly part of walking a String, so the
    /// walk takes a scalar for a whole Character without asking whenever both it and
    /// the next scalar are `SimpleScalars` (nothing joins those, bar CR LF); elsewhere
    /// String's grapheme breaking says.
    public static func split(_ text: String) -> [Word] {
        let scalars = text.unicodeScalars
        let classes = SimpleScalars.classes
        var words: [Word] = []
        var wordStart = scalars.startIndex, wordEnd = scalars.startIndex
        var inWord = false, capitalized = false, punctuation = false
        var wordOffset = 0, offset = 0
        func flush() {
            guard inWord else { return }
            let written = String(scalars[wordStart..<wordEnd])
            words.append(Word(text: written, key: Folding.foldKey(written), isCapitalized: capitalized,
                              followsPunctuation: punctuation, offset: wordOffset, range: wordStart..<wordEnd))
            inWord = false
            punctuation = false
        }
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let value = scalars[index].value
            let next = scalars.index(after: index)
            var end = next
            var wordy: Bool, whitespace: Bool, uppercase: Bool
            if let flags = SimpleScalars.flags(value, classes),
               next == scalars.endIndex || SimpleScalars.flags(scalars[next].value, classes) != nil
                   && !(value == 0x0D && scalars[next].value == 0x0A) {
                wordy = flags & SimpleScalars.wordy != 0
                whitespace = flags & SimpleScalars.whitespace != 0
                uppercase = flags & SimpleScalars.uppercase != 0
            } else {
                let character = text[index]
                end = text.index(after: index)
                wordy = character.isLetter || character.isNumber
                whitespace = character.isWhitespace
                uppercase = character.isUppercase
            }
            if wordy {
                if !inWord {
                    inWord = true
                    wordStart = index
                    wordOffset = offset
                    capitalized = uppercase
                }
                wordEnd = end
            } else {
                flush()
                if !whitespace { punctuation = true }
            }
            offset += 1
            index = end
        }
        flush()
        return words
    }
}

/// Scalars that nothing joins into a larger Character (no combining mark, joiner or
/// prepended sign among them; CR LF aside): ASCII, Latin-1 to the spacing modifiers
/// (below U+0300) and Latin Extended Additional, where all of Vietnamese is. Each
/// has its Character properties read once into a table.
enum SimpleScalars {
    static let wordy: UInt8 = 1, whitespace: UInt8 = 2, uppercase: UInt8 = 4
    private static let extended: ClosedRange<UInt32> = 0x1E00...0x1EFF

    /// Flags of U+0000–U+02FF, then of U+1E00–U+1EFF; 0x80 marks an entry as present.
    static let classes: [UInt8] = (Array(0..<0x300) + Array(extended)).map { value -> UInt8 in
        let character = Character(Unicode.Scalar(UInt32(value))!)
        return 0x80 | (character.isLetter || character.isNumber ? wordy : 0)
            | (character.isWhitespace ? whitespace : 0) | (character.isUppercase ? uppercase : 0)
    }

    /// The scalar's flags, or nil when it is not a simple scalar.
    @inline(__always)
    static func flags(_ value: UInt32, _ classes: [UInt8]) -> UInt8? {
        if value < 0x300 { return classes[Int(value)] }
        if extended.contains(value) { return classes[0x300 + Int(value - extended.lowerBound)] }
        return nil
    }
}
