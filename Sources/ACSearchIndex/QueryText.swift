import ACSearchAnalysis

/// What happens to a query's text before Xapian parses it, so that queries meet the
/// index the way documents were analysed.
enum QueryText {
    /// NFC and canonical tone placement; letter-hyphen-letter split into words, so
    /// "anti-corruption" is two words (and meets the multi-word glossary synonym)
    /// while "67-QĐ/TW" stays a document number; `date:` values widened to ranges and
    /// wildcards folded (below).
    static func prepare(_ query: String) -> String {
        foldedWildcards(datesWidened(split(TextNormalization.normalize(query))))
    }

    private static func split(_ normalized: String) -> String {
        var result = ""
        result.reserveCapacity(normalized.utf8.count)
        let characters = Array(normalized)
        for (index, character) in characters.enumerated() {
            if character == "-", index > 0, index + 1 < characters.count,
               characters[index - 1].isLetter, characters[index + 1].isLetter, !insideFieldValue(characters, index),
               !insideNumber(characters, index) {
                result.append(" ")
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// `date:2022` and `date:2022-06-02` as the ranges they mean (that year, that day):
    /// Xapian reads a range field only as `A..B`, and would take the rest as words,
    /// so `date:junk` reaches the date reader too and is refused there.
    static func datesWidened(_ text: String) -> String {
        mapTokens(text) { token in
            guard token.hasPrefix("date:"), token.count > 5, !token.contains(".."), !token.contains("\"") else { return nil }
            let value = token.dropFirst(5)
            return "date:\(value)..\(value)"
        }
    }

    /// An `amount:` given one sum instead of a range, as typed: Xapian would read it
    /// as two words and quietly match nothing, and an exact largest sum is not what
    /// anyone means, so the search is refused with an example (`Searcher.query`).
    static func amountWithoutRange(_ text: String) -> String? {
        for token in text.split(whereSeparator: \.isWhitespace) {
            let bare = token.drop { $0 == "(" || $0 == "+" || $0 == "-" }
            if bare.lowercased().hasPrefix("amount:"), !bare.contains("..") { return String(bare) }
        }
        return nil
    }

    /// The field that wildcards over the folded stems are written with (`Searcher.makeParser`).
    static let foldedField = "folded"

    /// A wildcard matches words as written (`inspection*`) and their folded stems
    /// (`kiem*` finds "kiểm", whose exact term is "kiểm" but stem "Zkiem"): each plain
    /// word wildcard becomes both.
    static func foldedWildcards(_ text: String) -> String {
        mapTokens(text) { token in
            guard token.count > 1, token.last == "*", let first = token.first, first.isLetter || first.isNumber,
                  !token.contains(":"), !token.contains("\""), !token.contains("("), !token.contains(")"),
                  token.dropLast().allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
            let word = token.dropLast()
            return "(\(word)* OR \(foldedField):\(Folding.foldKey(String(word)))*)"
        }
    }

    /// The text with each whitespace-separated token that `change` rewrites rewritten.
    private static func mapTokens(_ text: String, _ change: (Substring) -> String?) -> String {
        guard text.contains(where: { $0 == "*" || $0 == ":" }) else { return text }
        var result = ""
        var token = Substring()
        var start = text.startIndex
        for index in text.indices {
            if text[index].isWhitespace {
                token = text[start..<index]
                result += change(token) ?? String(token)
                result.append(text[index])
                start = text.index(after: index)
            }
        }
        token = text[start...]
        result += change(token) ?? String(token)
        return result
    }

    /// The words of a query that is only negations (`-kind:press`, `-đất -"Ban Chỉ đạo"`),
    /// without their minus signs, or nil. Xapian drops a query's only excluded terms'
    /// sign; such a query means every document but those.
    static func negatedOnly(_ text: String) -> [String]? {
        var negated: [String] = []
        var rest = Substring(text)
        while true {
            rest = rest.drop(while: \.isWhitespace)
            guard let first = rest.first else { break }
            guard first == "-" else { return nil }
            rest = rest.dropFirst()
            var end = rest.startIndex
            var quoted = false
            while end < rest.endIndex, quoted || !rest[end].isWhitespace {
                if rest[end] == "\"" { quoted.toggle() }
                end = rest.index(after: end)
            }
            let word = rest[..<end]
            guard !word.isEmpty, word.first != "-" else { return nil }
            negated.append(String(word))
            rest = rest[end...]
        }
        return negated.isEmpty ? nil : negated
    }

    /// Whether position is in a token that begins with digits and a "/" ("215/KL-TTr",
    /// "05/2022/NĐ-CP"): a document number, which keeps its hyphens.
    private static func insideNumber(_ characters: [Character], _ index: Int) -> Bool {
        var start = index
        while start > 0, !characters[start - 1].isWhitespace, characters[start - 1] != "\"" { start -= 1 }
        var position = start
        while position < index, characters[position].isNumber { position += 1 }
        return position > start && position < index && characters[position] == "/"
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

extension QueryText {
    /// The document numbers a plain query types, and the query without them.
    struct TypedNumbers {
        /// Each number and the text it was typed as ("67-QĐ/TW", "67 QĐ/TW").
        var numbers: [(number: DocumentNumber, written: String)] = []
        var rest: String
    }

    /// The document numbers typed among a query's plain words (`67-QD/TW`, `Quy định
    /// 67 QĐ/TW`, `"67 QĐ/TW"`), so that each can match the document that has the
    /// number, those citing it, and the text that writes it, in every spelling. Only
    /// where the query's structure is plain (no brackets or operators, and not the
    /// value of a field or after +/-): there the number's words are ANDed with the
    /// rest, and a number alternative must not change what an OR or NOT means.
    static func numbersTyped(in text: String) -> TypedNumbers {
        let unchanged = TypedNumbers(rest: text)
        guard !text.contains(where: { "()*".contains($0) }),
              !text.split(whereSeparator: \.isWhitespace).contains(where: { operators.contains(String($0)) }),
              text.contains(where: \.isNumber) else { return unchanged }
        var result = unchanged
        for (number, _) in DocumentNumber.find(in: text) {
            guard var range = result.rest.range(of: number.written) else { continue }
            // Not a field's value (`number:67-QĐ/TW` is read by the field) nor after + or -.
            let tokenStart = result.rest[..<range.lowerBound].lastIndex(where: \.isWhitespace)
                .map { result.rest.index(after: $0) } ?? result.rest.startIndex
            let before = result.rest[tokenStart..<range.lowerBound]
            if before.contains(":") || before.hasPrefix("-") || before.hasPrefix("+") { continue }
            // A number in quotes of its own: the quotes go with it.
            if range.lowerBound > result.rest.startIndex, range.upperBound < result.rest.endIndex,
               result.rest[result.rest.index(before: range.lowerBound)] == "\"", result.rest[range.upperBound] == "\"" {
                range = result.rest.index(before: range.lowerBound)..<result.rest.index(after: range.upperBound)
            } else if result.rest[..<range.lowerBound].filter({ $0 == "\"" }).count % 2 == 1 {
                continue  // inside a longer phrase, which says what it means
            }
            result.numbers.append((number, number.written))
            result.rest.replaceSubrange(range, with: " ")
        }
        return result
    }
}

extension QueryText {
    /// The quoted phrases of a plain query (no brackets or operators, not a field's
    /// value, not after + or -), each with its range including the quotes.
    static func plainPhrases(in text: String) -> [(range: Range<String.Index>, words: String)] {
        guard text.contains("\""), !text.contains(where: { "()*".contains($0) }),
              !text.split(whereSeparator: \.isWhitespace).contains(where: { operators.contains(String($0)) })
        else { return [] }
        var phrases: [(Range<String.Index>, String)] = []
        var index = text.startIndex
        while let open = text[index...].firstIndex(of: "\"") {
            let after = text.index(after: open)
            guard let close = text[after...].firstIndex(of: "\"") else { break }
            let before = open > text.startIndex ? text[text.index(before: open)] : " "
            if before.isWhitespace { phrases.append((open..<text.index(after: close), String(text[after..<close]))) }
            index = text.index(after: close)
        }
        return phrases
    }
}

extension QueryText {
    /// The syllable pair terms of a plain query's adjacent words ("dieu tra" →
    /// `XWdieu_tra`); none where the query has structure (quotes, brackets,
    /// operators, +/-, fields), which says what it means.
    static func syllablePairs(in text: String) -> [String] {
        guard !text.contains(where: { "\"()*:".contains($0) }),
              !text.split(whereSeparator: \.isWhitespace).contains(where: {
                  operators.contains(String($0)) || $0.first == "+" || $0.first == "-" })
        else { return [] }
        return Schema.syllablePairs(Words.split(text)).keys.sorted()
    }
}
