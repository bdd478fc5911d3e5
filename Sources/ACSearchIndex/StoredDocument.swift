import ACSearchAPI
import ACSearchAnalysis
import Foundation

/// What the index keeps of a document as its data: the fields shown to people.
///
/// Laid out as the fields in JSON (without the body), one NUL byte, then the body's
/// UTF-8: a hit reads its few fields without parsing the body, and the snippet is
/// made from the body's bytes as stored. JSON never holds a raw NUL, so the first
/// one ends the fields. Data written before this layout (one JSON object with the
/// body in it) is still read.
public struct StoredDocument: Codable, Sendable {
    public typealias Province = DocumentResponse.Province

    public let id: String
    public let kind: String
    public let title: String
    public var body: String = ""
    public let date: String?
    public let lang: String
    public let number: String?
    public let numberWritten: String?
    public let cites: [String]
    public let provinces: [Province]
    public let issuer: String?
    public let people: [Person]
    public let url: String?
    public let source: String
    public let fields: [String: String]

    /// Everything but the body, which follows the fields as raw text.
    enum CodingKeys: String, CodingKey {
        case id, kind, title, date, lang, number, numberWritten, cites, provinces, issuer, people, url, source, fields
    }

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
        provinces = document.provinces.map { Province(slug: $0.slug, name: $0.name, now: $0.now) }
        issuer = document.issuer
        people = document.people
        url = document.url
        source = document.source
        fields = document.extra
    }

    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = Array((try? encoder.encode(self)) ?? Data())
        bytes.append(StoredDocument.separator)
        bytes += body.utf8
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) throws -> StoredDocument {
        let (fields, body) = split(bytes)
        var document = try JSONDecoder().decode(StoredDocument.self, from: Data(fields))
        if let body {
            document.body = String(decoding: body, as: UTF8.self)
        } else {
            document.body = try JSONDecoder().decode(LegacyBody.self, from: Data(fields)).body
        }
        return document
    }

    /// The fields a hit or a reference shows, read without the body.
    public struct Summary: Decodable, Sendable {
        public let id: String
        public let kind: String
        public let title: String
        public let date: String?
        public let lang: String
        public let number: String?
        public let numberWritten: String?
        public let provinces: [Province]
        public let issuer: String?
        public let url: String?
        public let source: String
    }

    /// A stored document's summary and its body's UTF-8 bytes.
    public static func summary(_ bytes: [UInt8]) throws -> (summary: Summary, body: ArraySlice<UInt8>) {
        let (fields, body) = split(bytes)
        let summary = try JSONDecoder().decode(Summary.self, from: Data(fields))
        if let body { return (summary, body) }
        return (summary, ArraySlice(try JSONDecoder().decode(LegacyBody.self, from: Data(fields)).body.utf8))
    }

    static let separator: UInt8 = 0

    /// The fields' JSON and the body, or no body for the older one-object layout.
    static func split(_ bytes: [UInt8]) -> (fields: ArraySlice<UInt8>, body: ArraySlice<UInt8>?) {
        guard let end = bytes.firstIndex(of: separator) else { return (bytes[...], nil) }
        return (bytes[..<end], bytes[(end + 1)...])
    }

    private struct LegacyBody: Decodable { let body: String }
}
