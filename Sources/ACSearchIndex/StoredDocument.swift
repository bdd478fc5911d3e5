import ACSearchAPI
import ACSearchAnalysis
import Foundation

/// What the index keeps of a document as its data: the fields shown to people.
/// JSON, so a document can be read back without the analysis that made it.
public struct StoredDocument: Codable, Sendable {
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
    public let provinces: [Province]
    public let issuer: String?
    public let people: [Person]
    public let url: String?
    public let source: String
    public let fields: [String: String]

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
        return Array((try? encoder.encode(self)) ?? Data())
    }

    public static func decode(_ bytes: [UInt8]) throws -> StoredDocument {
        try JSONDecoder().decode(StoredDocument.self, from: Data(bytes))
    }
}
