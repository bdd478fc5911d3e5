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

        // The metadata's date last: a template's creation date is no document's date.
        let date = record.date.flatMap { CalendarDate(parsing: $0) } ?? ownDate(text: text)
            ?? record.metadataDate.flatMap { CalendarDate(parsing: $0) }
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
        // A citation is its number and the issuer the text names beside it: two
        // provinces' "12-CT/TU" are two citations, and one's own number is not a
        // citation unless the text gives it another province.
        let named = issuerProvinces(numbers, text: text, words: words, mentions: mentions)
        var cites: [DocumentNumber] = []
        var citedProvinces: [String?] = []
        for ((number, _), province) in zip(numbers, named) {
            if number.canonical == own?.canonical && (province == nil || province == provinces.first?.slug) { continue }
            if zip(cites, citedProvinces).contains(where: { $0.0.canonical == number.canonical && $0.1 == province }) { continue }
            cites.append(number)
            citedProvinces.append(province)
        }
        let people = record.people.isEmpty
            ? PeopleExtractor.find(in: text, words: words, gazetteer: resources.gazetteer)
            : record.people.map { Person(name: TextNormalization.nfc($0), position: nil) }
        let issuer = record.issuer.map(TextNormalization.nfc)
            ?? IssuerExtractor.find(title: title, body: body, kind: kind, number: own, provinces: provinces)
        let extraWords = record.extra.isEmpty ? [] : Words.split(record.extra.values.joined(separator: "\n"))
        let concepts = glossary.concepts(in: extraWords.isEmpty ? words : words + extraWords)

        return AnalysedDocument(id: record.id, kind: kind, title: title, body: body, language: language, date: date,
                                amounts: AmountExtractor.find(in: text),
                                number: own, cites: cites, citedProvinces: citedProvinces, provinces: provinces, provinceSlugs: slugs,
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

    /// For each number, the slug of the province the text names as its issuer, nil
    /// where it names none or the number is a national body's (`isLocal`): a province
    /// after the number, in the same sentence, with an issuer's word between ("12-CT/TU
    /// ngày 5/3/2021 của Tỉnh ủy Thái Bình", "12-CT/TU of the Thai Binh Provincial Party
    /// Committee"), else one just before it with no comma between ("the Hai Duong
    /// Provincial Party Committee's Directive 12-CT/TU", "Tỉnh ủy Hải Dương ban hành Chỉ
    /// thị 12-CT/TU"). Never across another number: the province beside the next one is
    /// that one's. Offsets are UTF-16, as `DocumentNumber.find` gives them (of the
    /// folded text, which has the original's length but where a mark is written apart).
    private func issuerProvinces(_ numbers: [(number: DocumentNumber, offset: Int)], text: String, words: [Word],
                                 mentions: [(start: Int, count: Int, province: Gazetteer.Province)]) -> [String?] {
        guard numbers.contains(where: \.number.isLocal), !mentions.isEmpty else { return numbers.map { _ in nil } }
        let utf16 = text.utf16
        let places = mentions.map { mention in
            (start: utf16.distance(from: utf16.startIndex, to: words[mention.start].range.lowerBound),
             end: utf16.distance(from: utf16.startIndex, to: words[mention.start + mention.count - 1].range.upperBound),
             slug: mention.province.slug)
        }
        func between(_ from: Int, _ to: Int) -> String {
            let from = max(0, min(from, utf16.count)), to = max(from, min(to, utf16.count))
            let start = utf16.index(utf16.startIndex, offsetBy: from)
            return String(text[start..<utf16.index(start, offsetBy: to - from)])
        }
        let issuerWords = ["cua", "of", "by", "tinh uy", "thanh uy", "ubnd", "uy ban", "tinh", "thanh pho", "provincial"]
        return numbers.enumerated().map { index, found -> String? in
            guard found.number.isLocal else { return nil }
            let start = found.offset, end = found.offset + found.number.written.utf16.count
            let next = index + 1 < numbers.count ? numbers[index + 1].offset : Int.max
            let previous = index > 0 ? numbers[index - 1].offset + numbers[index - 1].number.written.utf16.count : 0
            if let after = places.first(where: { $0.start >= end && $0.start - end <= 80 && $0.start < next }) {
                let gap = between(end, after.start)
                let gapKey = " " + Words.split(gap).map(\.key).joined(separator: " ") + " "
                if !gap.contains(where: { ".;!?\n".contains($0) }), issuerWords.contains(where: { gapKey.contains(" \($0) ") }) {
                    return after.slug
                }
            }
            if let before = places.last(where: { $0.end <= start && start - $0.end <= 50 && $0.start >= previous }) {
                let gap = between(before.end, start)
                if !gap.contains(where: { ".;!?,\n".contains($0) }) { return before.slug }
            }
            return nil
        }
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
