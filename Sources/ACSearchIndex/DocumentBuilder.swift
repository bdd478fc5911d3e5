import ACSearchAnalysis
import XapianKit

/// Turns an analysed document into a Xapian document, following `Schema`.
///
/// Holds a TermGenerator and a stemmer: one per thread.
public final class DocumentBuilder {
    private let generator: TermGenerator
    public let stemmer: IndexStemmer
    private let stopWords: Set<String>

    public init(stemmer: IndexStemmer, stopWords: [String]) throws {
        self.stemmer = stemmer
        self.stopWords = Set(stopWords.map(Folding.foldKey))
        generator = try TermGenerator()
        try generator.setStemmer(stemmer.stemmer)
        try generator.setStemmingStrategy(Schema.indexingStrategy)
    }

    /// The Xapian document and the folded words to feed the spelling dictionary.
    public func build(_ document: AnalysedDocument) throws -> (document: Document, words: Set<String>) {
        let xapian = try Document()
        try generator.setDocument(xapian)
        // Text is indexed with canonical tone placement so exact forms meet too.
        let title = TextNormalization.normalize(nfc: document.title)
        try generator.indexText(title, wdfIncrement: 1, prefix: Schema.Prefix.title)
        try generator.increaseTermPosition()
        try generator.indexText(title, wdfIncrement: 3)  // a title word counts more than a body word
        try generator.increaseTermPosition()
        try generator.indexText(TextNormalization.normalize(nfc: document.body))
        for (name, value) in document.extra.sorted(by: { $0.key < $1.key }) {
            try generator.increaseTermPosition()
            try generator.indexText(TextNormalization.normalize(name + ": " + value))
        }
        for person in document.people {
            try generator.increaseTermPosition()
            try generator.indexText(TextNormalization.normalize(person.name), prefix: Schema.Prefix.person)
        }
        if let issuer = document.issuer {
            try generator.increaseTermPosition()
            try generator.indexText(TextNormalization.normalize(issuer), prefix: Schema.Prefix.issuer)
            try xapian.addBooleanTerm(Schema.term(Schema.Prefix.issuerFilter, Schema.slug(issuer)))
            try xapian.setValue(issuer, slot: Schema.Slot.issuer)
        }

        try addStemmedNumbers(xapian)
        // Phrases are asked of the folded stems only (Schema.queryStrategy): the exact
        // words' positions would be a quarter of the index, read by no query.
        try xapian.dropPositions(exceptPrefix: Schema.Prefix.stemmed)

        try xapian.addBooleanTerm(Schema.term(Schema.Prefix.kind, document.kind.rawValue))
        try xapian.addBooleanTerm(Schema.term(Schema.Prefix.language, document.language.rawValue))
        try xapian.setValue(document.kind.rawValue, slot: Schema.Slot.kind)
        try xapian.setValue(document.language.rawValue, slot: Schema.Slot.language)
        if let date = document.date {
            try xapian.setValue(date.compact, slot: Schema.Slot.date)
            try xapian.setValue(String(date.year), slot: Schema.Slot.year)
            try xapian.setValue(String(date.compact.prefix(6)), slot: Schema.Slot.month)
            try xapian.addBooleanTerm(Schema.term(Schema.Prefix.year, String(date.year)))
            try xapian.addBooleanTerm(Schema.term(Schema.Prefix.month, String(date.compact.prefix(6))))
        }
        if let number = document.number {
            // Weighted: a number typed as a query ranks the document that is it first.
            try xapian.addTerm(Fields.number.term(.number(number)), wdf: 1)
        }
        for cited in document.cites {
            try xapian.addBooleanTerm(Fields.cites.term(.number(cited)))
        }
        for slug in document.provinceSlugs {
            try xapian.addBooleanTerm(Schema.term(Schema.Prefix.province, slug))
        }
        for place in document.placesNamed {
            // Weighted by how often the place is named: a query naming it ranks on it.
            try xapian.addTerm(Schema.term(Schema.Prefix.placeNamed, place.slug), wdf: UInt32(clamping: place.mentions))
        }
        if !document.provinces.isEmpty {
            try xapian.setValue(Array(document.provinces.map(\.name).joined(separator: "\u{1F}").utf8),
                                slot: Schema.Slot.provinces)
        }
        // Vietnamese documents only: English syllable-shaped words ("to be", "an
        // area") would make pairs no Vietnamese query asks for (docs/relevance.md
        // for the selection and docs/benchmarks.md for its cost).
        if document.language == .vi {
            for (pair, count) in Schema.syllablePairs(document.words) {
                try xapian.addTerm(pair, wdf: UInt32(clamping: count))
            }
        }
        for concept in document.concepts {
            try xapian.addTerm(Schema.term(Schema.Prefix.concept, concept.id), wdf: UInt32(clamping: concept.count))
        }
        if let amount = document.largestAmount {
            try xapian.setValue(Schema.amountValue(amount), slot: Schema.Slot.amount)
        }
        try xapian.setValue(storyKey(document), slot: Schema.Slot.story)
        try xapian.setData(StoredDocument(document).encoded())

        // The analysis split the body with the title before it or at its start; the
        // title's own words are added for the second case.
        var words = Set<String>(minimumCapacity: document.words.count / 2)
        for word in document.words where DocumentBuilder.isSpellingWord(word.key) { words.insert(word.key) }
        for word in Words.split(title) where DocumentBuilder.isSpellingWord(word.key) { words.insert(word.key) }
        return (xapian, words)
    }

    /// TermGenerator leaves words that start with a digit unstemmed, while queries
    /// are parsed with every word stemmed: give each such term its "Z" twin, at the
    /// same positions, so "67-QĐ/TW" matches as a phrase in every spelling.
    private func addStemmedNumbers(_ document: Document) throws {
        for (term, wdf) in try document.terms(where: DocumentBuilder.mayStartWithNumber) {
            guard let prefix = Schema.textPrefixes.first(where: { term.hasPrefix($0) && term.count > $0.count
                    && term.unicodeScalars.dropFirst($0.count).first.map { $0.properties.numericType != nil } == true })
            else { continue }
            let stemmed = Schema.Prefix.stemmed + prefix + stemmer.stem(String(term.dropFirst(prefix.count)))
            let positions = try document.positions(of: term)
            if positions.isEmpty {
                try document.addTerm(stemmed, wdf: wdf)
            } else {
                for position in positions { try document.addPosting(stemmed, position: position) }
            }
        }
    }

    private static let textPrefixBytes = Schema.textPrefixes.map { Array($0.utf8) }

    /// Whether a term may be a number in a free-text field: after one of their
    /// prefixes comes an ASCII digit or a non-ASCII scalar (other numerals). Most
    /// terms are words or stems ("Z…") and are left out by their first bytes, before
    /// a String is made of them.
    static func mayStartWithNumber(_ term: UnsafeRawBufferPointer) -> Bool {
        textPrefixBytes.contains { prefix in
            guard term.count > prefix.count, term.starts(with: prefix) else { return false }
            let next = term[prefix.count]
            return next >= 0x80 || (next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9"))
        }
    }

    /// Words the spelling dictionary learns: 3 to 24 characters, starting with a
    /// letter. Folded keys are nearly always ASCII, measured here without breaking
    /// them into Characters.
    static func isSpellingWord(_ key: String) -> Bool {
        let utf8 = key.utf8
        if utf8.count <= 24, utf8.allSatisfy({ $0 < 0x80 }) {
            guard utf8.count >= 3, let first = utf8.first else { return false }
            return (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z")
        }
        return (3...24).contains(key.count) && key.first?.isLetter == true
    }

    /// Press items telling one story share a key: the significant words of the
    /// folded title, sorted. Other kinds never collapse: their key is their id.
    func storyKey(_ document: AnalysedDocument) -> String {
        guard document.kind == .press else { return "id:" + document.id }
        let words = Set(Words.split(document.title).map(\.key).filter { $0.count > 2 && !stopWords.contains($0) })
        guard words.count >= 3 else { return "id:" + document.id }
        return "story:" + Digest.fnv1a64Hex(words.sorted().prefix(10).joined(separator: " "))
    }
}

/// A Xapian document built on a worker thread, handed to the writer's thread.
public final class BuiltDocument: @unchecked Sendable {
    // @unchecked: built by one thread, then only touched by the writer that takes it.
    public let id: String
    public let document: Document
    /// Folded words for the spelling dictionary.
    public let words: Set<String>

    public init(id: String, document: Document, words: Set<String>) {
        self.id = id
        self.document = document
        self.words = words
    }
}
