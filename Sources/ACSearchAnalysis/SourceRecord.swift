import ACSearchAPI

/// A document as it arrives from a file or a stream, before analysis. The field set
/// is the one records, JSON lines and front matter use:
/// `id, kind, title, body, date, number, issuer, province, people, lang, url`.
/// Fields left empty are found by analysis; fields given always win.
public struct SourceRecord: Sendable, Equatable {
    public var id: String
    public var kind: String?
    public var title: String?
    public var body: String
    public var date: String?
    /// A date the file's metadata gives (a DOCX's `dcterms:created`, an ODT's
    /// `meta:creation-date`): when the file, often a template, was made, not when the
    /// document was signed. It stands in only when the text names no date of its own.
    public var metadataDate: String?
    public var number: String?
    public var issuer: String?
    public var provinces: [String]
    public var people: [String]
    public var lang: String?
    public var url: String?
    /// Where it came from (a path, or "stdin"); shown with results.
    public var source: String
    /// Fields outside the documented set: kept, and searchable as text.
    public var extra: [String: String]

    public init(id: String, kind: String? = nil, title: String? = nil, body: String, date: String? = nil,
                metadataDate: String? = nil, number: String? = nil, issuer: String? = nil, provinces: [String] = [], people: [String] = [],
                lang: String? = nil, url: String? = nil, source: String = "", extra: [String: String] = [:]) {
        self.id = id
        self.kind = kind
        self.title = title
        self.body = body
        self.date = date
        self.metadataDate = metadataDate
        self.number = number
        self.issuer = issuer
        self.provinces = provinces
        self.people = people
        self.lang = lang
        self.url = url
        self.source = source
        self.extra = extra
    }

    /// The documented field names, in order.
    public static let fields = ["id", "kind", "title", "body", "date", "number", "issuer", "province", "people",
                                "lang", "url"]
}

/// What analysis makes of a record: everything the index stores and searches.
public struct AnalysedDocument: Sendable {
    public let id: String
    public let kind: DocumentKind
    /// In NFC, like the body.
    public let title: String
    /// NFC-normalised body text, as shown and snippeted.
    public let body: String
    public let language: Language
    public let date: CalendarDate?
    /// Every sum in đồng it names, in order, each value once.
    public let amounts: [MoneyAmount]
    /// The document's own number, if it has one.
    public let number: DocumentNumber?
    /// Numbers of other documents it cites.
    public let cites: [DocumentNumber]
    /// For each of `cites`, in order, the slug of the province the text names as the
    /// cited document's issuer ("12-CT/TU của Tỉnh ủy Thái Bình" → "thai-binh"); nil
    /// when it names none, and always for a national body's number (`isLocal` false).
    /// Local bodies reuse numbers: this is what tells their documents apart.
    public let citedProvinces: [String?]
    /// Provinces and cities it is about, as named (former names included).
    public let provinces: [Gazetteer.Province]
    /// Slugs to filter on: the named units and the units they belong to now.
    public let provinceSlugs: [String]
    /// Every place the document names, with how often its title and body name it:
    /// the record's provinces first (once at least), then each place the text names,
    /// where it was signed too. A query that names a place asks for these (a place
    /// named in passing still counts) and ranks by how often it is named.
    public let placesNamed: [(slug: String, mentions: Int)]
    public let issuer: String?
    public let people: [Person]
    /// Glossary concepts found, with how often.
    public let concepts: [(id: String, count: Int)]
    public let url: String?
    public let source: String
    public let extra: [String: String]
    /// The words of the title and body (the title first unless the body begins with it),
    /// split once here for every later use.
    public let words: [Word]

    /// The largest sum it names: what an inspection conclusion is about (the losses
    /// found or the sum to recover; the smaller sums are its parts), and what the
    /// index stores to filter and sort by.
    public var largestAmount: Int? { amounts.map(\.vnd).max() }
}
