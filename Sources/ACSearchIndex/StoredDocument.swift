import ACSearchAPI
import ACSearchAnalysis
import Foundation

/// What the index keeps of a document as its data: the fields shown to people.
///
/// Laid out in `StoredBytes`: a layout byte; the summary a hit shows (id, kind,
/// title, date, lang, number, number as written, issuer, url, source, provinces);
/// the byte length of the details (cites, people, the record's own fields, then the
/// cites as written, the provinces named as their issuers and the sums in đồng,
/// which data written before them lacks) and the details; then the body's UTF-8 to the end. A hit reads its summary and the body's
/// bytes for its snippet without reading the rest.
public struct StoredDocument: Sendable {
    public typealias Province = DocumentResponse.Province

    public let id: String
    public let kind: String
    public let title: String
    public let body: String
    public let date: String?
    public let lang: String
    public let number: String?
    public let numberWritten: String?
    public let cites: [String]
    /// The cited numbers as written, in the order of `cites`.
    public let citesWritten: [String]
    /// For each of `cites`, the slug of the province the text names as its issuer
    /// (`AnalysedDocument.citedProvinces`), nil where it names none (schema 5).
    public let citedProvinces: [String?]
    public let provinces: [Province]
    public let issuer: String?
    public let people: [Person]
    public let url: String?
    public let source: String
    public let fields: [String: String]
    /// Every sum in đồng the text names, in order (`AmountExtractor`), as written.
    public let amounts: [MoneyAmount]

    /// The first byte of the data; data of another layout is refused, not misread.
    static let layout: UInt8 = 3

    public init(_ document: AnalysedDocument) {
        id = document.id
        kind = document.kind.rawValue
        title = document.title
        body = document.body
        date = document.date?.description
        lang = document.language.rawValue
        number = document.number?.canonical
        numberWritten = document.number?.written
        cites = document.cites.map(\.canonical)
        citesWritten = document.cites.map(\.written)
        citedProvinces = document.citedProvinces
        provinces = document.provinces.map { Province(slug: $0.slug, name: $0.name, now: $0.now) }
        issuer = document.issuer
        people = document.people
        url = document.url
        source = document.source
        fields = document.extra
        amounts = document.amounts
    }

    public func encoded() -> [UInt8] {
        var details = StoredBytesWriter(capacity: 256)
        details.number(cites.count)
        for cited in cites { details.string(cited) }
        details.number(people.count)
        for person in people {
            details.string(person.name)
            details.optional(person.position)
        }
        details.number(fields.count)
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            details.string(key)
            details.string(value)
        }
        // Last, so that data without them (written before they were kept) reads the same.
        details.number(citesWritten.count)
        for written in citesWritten { details.string(written) }
        details.number(citedProvinces.count)
        for province in citedProvinces { details.optional(province) }
        // After them, for the same reason (schema 5).
        details.number(amounts.count)
        for amount in amounts {
            details.number(amount.vnd)
            details.string(amount.written)
        }
        var data = StoredBytesWriter(capacity: 512 + details.bytes.count + body.utf8.count)
        data.append([StoredDocument.layout])
        for field in [id, kind, title] { data.string(field) }
        data.optional(date)
        data.string(lang)
        data.optional(number)
        data.optional(numberWritten)
        data.optional(issuer)
        data.optional(url)
        data.string(source)
        data.number(provinces.count)
        for province in provinces {
            data.string(province.slug)
            data.string(province.name)
            data.optional(province.now)
        }
        data.number(details.bytes.count)
        data.append(details.bytes)
        data.append(Array(body.utf8))
        return data.bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> StoredDocument {
        var reader = try reader(bytes)
        let summary = try Summary(&reader)
        let details = try Details(&reader)
        return StoredDocument(summary: summary, details: details, body: String(decoding: reader.rest, as: UTF8.self))
    }

    /// A stored document's summary and what it cites, without its body: what resolving
    /// its citations reads.
    public static func citations(_ bytes: [UInt8]) throws
        -> (summary: Summary, cites: [String], citedProvinces: [String?]) {
        var reader = try reader(bytes)
        let summary = try Summary(&reader)
        let details = try Details(&reader)
        return (summary, details.cites, details.citedProvinces)
    }

    /// The details, read from their length on.
    private struct Details {
        var cites: [String] = []
        var citesWritten: [String] = []
        var citedProvinces: [String?] = []
        var people: [Person] = []
        var fields: [String: String] = [:]
        var amounts: [MoneyAmount] = []

        init(_ reader: inout StoredBytesReader) throws {
            let detailsLength = try reader.number()
            let detailsEnd = reader.position + detailsLength
            for _ in 0..<(try reader.number()) { cites.append(try reader.string()) }
            for _ in 0..<(try reader.number()) { people.append(Person(name: try reader.string(), position: try reader.optional())) }
            for _ in 0..<(try reader.number()) { fields[try reader.string()] = try reader.string() }
            if reader.position < detailsEnd {
                for _ in 0..<(try reader.number()) { citesWritten.append(try reader.string()) }
            }
            if reader.position < detailsEnd {
                for _ in 0..<(try reader.number()) { citedProvinces.append(try reader.optional()) }
            }
            if reader.position < detailsEnd {
                for _ in 0..<(try reader.number()) { amounts.append(MoneyAmount(vnd: try reader.number(), written: try reader.string())) }
            }
            // Older data has no written forms: the canonical ones stand in; nor issuers
            // named beside citations: none are.
            if citesWritten.count != cites.count { citesWritten = cites }
            if citedProvinces.count != cites.count { citedProvinces = cites.map { _ in nil } }
            try reader.skip(detailsEnd - reader.position)
        }
    }

    private init(summary: Summary, details: Details, body: String) {
        let cites = details.cites, citesWritten = details.citesWritten, people = details.people, fields = details.fields
        citedProvinces = details.citedProvinces
        amounts = details.amounts
        id = summary.id
        kind = summary.kind
        title = summary.title
        date = summary.date
        lang = summary.lang
        number = summary.number
        numberWritten = summary.numberWritten
        issuer = summary.issuer
        url = summary.url
        source = summary.source
        provinces = summary.provinces
        self.cites = cites
        self.citesWritten = citesWritten
        self.people = people
        self.fields = fields
        self.body = body
    }

    /// The fields a hit or a reference shows, read without the rest.
    public struct Summary: Sendable {
        public let id: String
        public let kind: String
        public let title: String
        public let date: String?
        public let lang: String
        public let number: String?
        public let numberWritten: String?
        public let issuer: String?
        public let url: String?
        public let source: String
        public let provinces: [Province]

        init(_ reader: inout StoredBytesReader) throws {
            id = try reader.string()
            kind = try reader.string()
            title = try reader.string()
            date = try reader.optional()
            lang = try reader.string()
            number = try reader.optional()
            numberWritten = try reader.optional()
            issuer = try reader.optional()
            url = try reader.optional()
            source = try reader.string()
            var provinces: [Province] = []
            for _ in 0..<(try reader.number()) {
                provinces.append(Province(slug: try reader.string(), name: try reader.string(), now: try reader.optional()))
            }
            self.provinces = provinces
        }
    }

    /// A stored document's summary and its body's UTF-8 bytes.
    public static func summary(_ bytes: [UInt8]) throws -> (summary: Summary, body: ArraySlice<UInt8>) {
        var reader = try reader(bytes)
        let summary = try Summary(&reader)
        try reader.skip(try reader.number())
        return (summary, reader.rest)
    }

    private static func reader(_ bytes: [UInt8]) throws -> StoredBytesReader {
        guard bytes.first == layout else { throw StoredBytesReader.Malformed(position: 0) }
        return StoredBytesReader(bytes, from: 1)
    }
}
