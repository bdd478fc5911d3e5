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

    /// The places a plain query names, and the query without their names.
    struct NamedPlaces {
        var places: [Gazetteer.Province] = []
        /// The names as typed ("Hai Duong"), whose words snippets still mark.
        var names: [String] = []
        /// The query's other words and fields, in their order.
        var rest: String
    }

    /// The places a query of plain words names, by names of two words or more ("Hai
    /// Duong inspections" → Hải Dương, rest "inspections"). Such words scattered
    /// through a text mean something else ("hai" two, "đường" road: most documents
    /// with both do not name the place, index/SCHEMA.md), so the query is read as
    /// the place. Only where the query's structure is plain (no quotes, brackets,
    /// operators, +/-, wildcards): a query with structure says what it means, and
    /// `hai AND duong` asks for the words. A name typed with its diacritics must be
    /// capitalised.
    static func placesNamed(in text: String, gazetteer: Gazetteer) -> NamedPlaces {
        let unchanged = NamedPlaces(rest: text)
        guard !text.contains(where: { "\"()*".contains($0) }) else { return unchanged }
        // Runs of words, each broken by a field:value filter, which is not part of a name.
        var pieces: [(text: String, isRun: Bool)] = []
        var run: [Substring] = []
        func endRun() {
            if !run.isEmpty { pieces.append((run.joined(separator: " "), true)) }
            run = []
        }
        for token in text.split(whereSeparator: \.isWhitespace) {
            if operators.contains(String(token)) || token.first == "+" || token.first == "-" { return unchanged }
            if token.contains(":") {
                endRun()
                pieces.append((String(token), false))
            } else {
                run.append(token)
            }
        }
        endRun()
        var named = NamedPlaces(rest: "")
        var rest: [String] = []
        for piece in pieces {
            guard piece.isRun else { rest.append(piece.text); continue }
            let words = Words.split(piece.text)
            let spans = gazetteer.mentions(in: words, capitalised: false).filter { $0.count >= 2 }.compactMap {
                mention -> (province: Gazetteer.Province, range: Range<String.Index>)? in
                let span = words[mention.start..<(mention.start + mention.count)]
                // Typed with its marks, a name is capitalised as a proper noun: "hòa bình"
                // is peace, "Hòa Bình" the province. Typed without marks, case says nothing.
                if span.contains(where: { Folding.hasDiacritics($0.text) }) && !span.allSatisfy(\.isCapitalized) { return nil }
                return (province: mention.province, range: span.first!.range.lowerBound..<span.last!.range.upperBound)
            }
            var kept = piece.text
            for span in spans.reversed() { kept.replaceSubrange(span.range, with: " ") }  // the earlier ranges stay valid
            for span in spans {
                named.names.append(String(piece.text[span.range]))
                if !named.places.contains(span.province) { named.places.append(span.province) }
            }
            rest.append(kept)
        }
        guard !named.places.isEmpty else { return unchanged }
        named.rest = rest.joined(separator: " ")
        return named
    }

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
