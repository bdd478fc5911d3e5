import ACSearchAnalysis

/// What happens to a query's text before Xapian parses it, so that queries meet the
/// index the way documents were analysed.
enum QueryText {
    /// NFC and canonical tone placement; letter-hyphen-letter split into words, so
    /// "anti-corruption" is two words (and meets the multi-word glossary synonym)
    /// while "67-QĐ/TW" stays a document number.
    static func prepare(_ query: String) -> String {
        let normalized = TextNormalization.normalize(query)
        var result = ""
        result.reserveCapacity(normalized.utf8.count)
        let characters = Array(normalized)
        for (index, character) in characters.enumerated() {
            if character == "-", index > 0, index + 1 < characters.count,
               characters[index - 1].isLetter, characters[index + 1].isLetter, !insideFieldValue(characters, index) {
                result.append(" ")
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Whether position is inside a `field:value` token (values keep their hyphens).
    private static func insideFieldValue(_ characters: [Character], _ index: Int) -> Bool {
        var position = index
        while position > 0, !characters[position - 1].isWhitespace {
            position -= 1
            if characters[position] == ":" { return true }
        }
        return false
    }

    static let operators: Set<String> = ["AND", "OR", "NOT", "XOR", "NEAR", "ADJ"]

    /// The plain words of a query (not operators, not field:value), with their ranges.
    static func plainWords(_ query: String) -> [(range: Range<String.Index>, word: String)] {
        var words: [(Range<String.Index>, String)] = []
        var index = query.startIndex
        while index < query.endIndex {
            guard query[index].isLetter else { index = query.index(after: index); continue }
            var end = index
            while end < query.endIndex, query[end].isLetter || query[end].isNumber { end = query.index(after: end) }
            let word = String(query[index..<end])
            let tokenStart = query[..<index].lastIndex(where: { $0.isWhitespace }).map { query.index(after: $0) } ?? query.startIndex
            let tokenEnd = query[end...].firstIndex(where: { $0.isWhitespace }) ?? query.endIndex
            let token = query[tokenStart..<tokenEnd]
            let isField = token.contains(":")
            let isWildcard = end < query.endIndex && query[end] == "*"
            if !operators.contains(word), !isField, !isWildcard { words.append((index..<end, word)) }
            index = end
        }
        return words
    }
}
