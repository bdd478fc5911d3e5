import ACSearchAPI

/// Turns a source record into an analysed document: language, kind, numbers, dates,
/// provinces, issuer, people and glossary concepts. Explicit fields always win.
///
/// Holds the indexing stemmer's function, so it is used by one thread at a time;
/// make one per worker.
public final class DocumentAnalyzer {
    public let resources: AnalysisResources
    private let glossary: Glossary.Matcher

    /// `stem` is the indexing stemmer (folded word → stem), used to match glossary
    /// words in their inflected forms.
    public init(resources: AnalysisResources, stem: @escaping (String) -> String) {
        self.resources = resources
        glossary = resources.glossary.matcher(stem: stem)
    }

    public func analyse(_ record: SourceRecord) -> AnalysedDocument {
        let body = TextNormalization.nfc(record.body)
        var title = record.title.map { TextNormalization.nfc($0).trimmingWhitespace } ?? ""
        var text = body
        if title.isEmpty {
            // Plain text: the first non-empty line is the title.
            let lines = body.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true)
            title = lines.first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? record.id
            if title.count > 300 { title = String(title.prefix(300)) + "…" }
        }
        if !body.hasPrefix(title) { text = title + "\n" + body }

        let language = record.lang.flatMap(Language.init(code:)) ?? LanguageDetector.detect(text)
        let numbers = DocumentNumber.find(in: text)
        let ownCandidate = record.number.flatMap { DocumentNumber($0) } ?? headerNumber(numbers, text: text, title: title)
        let kind = record.kind.flatMap(DocumentKind.init(name:))
            ?? KindClassifier.classify(title: title, body: body, number: ownCandidate)
        let own: DocumentNumber? = record.number.flatMap { DocumentNumber($0) }
            ?? (kind == .press ? nil : ownCandidate)
        var cites: [DocumentNumber] = []
        for (number, _) in numbers where number.canonical != own?.canonical
            && !cites.contains(where: { $0.canonical == number.canonical }) {
            cites.append(number)
        }

        let date = record.date.flatMap { CalendarDate(parsing: $0) } ?? ownDate(text: text)
        let words = Words.split(text)
        let mentions = resources.gazetteer.mentions(in: words)
        var provinces = record.provinces.compactMap { resources.gazetteer.province(named: $0) }
        if record.provinces.isEmpty {
            let signing = placeOfSigning(words)
            for mention in mentions where !signing.contains(mention.start) && !provinces.contains(mention.province) {
                provinces.append(mention.province)
            }
        }
        var placesNamed = provinces.map { (slug: $0.slug, mentions: 0) }
        for mention in mentions {
            if let known = placesNamed.firstIndex(where: { $0.slug == mention.province.slug }) {
                placesNamed[known].mentions += 1
            } else {
                placesNamed.append((mention.province.slug, 1))
            }
        }
        for index in placesNamed.indices where placesNamed[index].mentions == 0 { placesNamed[index].mentions = 1 }
        var slugs: [String] = []
        for province in provinces {
            for slug in [province.slug, province.now].compactMap({ $0 }) where !slugs.contains(slug) { slugs.append(slug) }
        }
        let people = record.people.isEmpty
            ? PeopleExtractor.find(in: text, words: words, gazetteer: resources.gazetteer)
            : record.people.map { Person(name: TextNormalization.nfc($0), position: nil) }
        let issuer = record.issuer.map(TextNormalization.nfc)
            ?? IssuerExtractor.find(title: title, body: body, kind: kind, number: own, provinces: provinces)
        let extraWords = record.extra.isEmpty ? [] : Words.split(record.extra.values.joined(separator: "\n"))
        let concepts = glossary.concepts(in: extraWords.isEmpty ? words : words + extraWords)

        return AnalysedDocument(id: record.id, kind: kind, title: title, body: body, language: language, date: date,
                                number: own, cites: cites, provinces: provinces, provinceSlugs: slugs,
                                placesNamed: placesNamed, issuer: issuer, people: people, concepts: concepts,
                                url: record.url, source: record.source,
                                extra: record.extra, words: words)
    }

    /// A number that heads the document: written after "Số:"/"No." in the first
    /// lines, or in the title of a typed document ("Quy định 67-QĐ/TW"), or the very
    /// first thing in the text. Offsets are UTF-16, as `DocumentNumber.find` gives them.
    private func headerNumber(_ numbers: [(number: DocumentNumber, offset: Int)], text: String,
                              title: String) -> DocumentNumber? {
        let head = Folding.foldKey(String(text.prefix(400))).utf16
        let titleKey = Folding.foldKey(title)
        let typedTitle = KindClassifier.regulationHeadings.contains { titleKey.hasPrefix($0) }
            || titleKey.hasPrefix("ket luan") || titleKey.contains("conclusion")
        for (number, offset) in numbers where offset < 400 {
            let before = (String(head.prefix(offset)) ?? "").trimmingCharacters(in: .whitespaces)
            let afterLabel = ["so:", "so", "no.", "number"].contains { before.hasSuffix($0) }
            let inTitle = typedTitle && Folding.fold(title).contains(Folding.fold(number.written))
            if afterLabel && offset < 200 || inTitle || offset < 3 { return number }
        }
        return nil
    }

    /// "Hà Nội, ngày 02 tháng 6 năm 2022" or "Da Nang, March 4, 2024" in a document's
    /// first lines names where it was signed, not what it is about: those mentions
    /// (a place, a comma, then a date) are left out of its provinces.
    private func placeOfSigning(_ words: [Word]) -> Set<Int> {
        var skipped = Set<Int>()
        for (index, word) in words.enumerated() where word.offset < 400 {
            var next = index + 1
            while next < words.count, next - index <= 4, !words[next].followsPunctuation { next += 1 }
            guard next < words.count, next - index <= 4 else { continue }
            let after = words[next].key
            if after == "ngay" || DateExtractor.months.contains(where: { $0.hasPrefix(after) && after.count >= 3 }) {
                skipped.insert(index)
            }
        }
        return skipped
    }

    /// The document's own date: one written in its first lines (the header or the
    /// dateline); dates further on are mentioned in passing.
    private func ownDate(text: String) -> CalendarDate? {
        DateExtractor.find(in: String(text.prefix(500))).first { $0.offset < 400 }?.date
    }
}
