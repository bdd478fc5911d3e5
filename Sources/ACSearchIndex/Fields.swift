import ACSearchAPI
import ACSearchAnalysis

/// One field of the index as people search it: the name they type, the terms or
/// value slot behind it, and how a value typed for it becomes a term.
///
/// `Fields.all` is the one table of them (after notmuch's prefix table): the query
/// parser's fields (`Searcher.makeParser`), a request's filters (`SearchFilters`),
/// the facets and the field table in index/SCHEMA.md all come from it.
public struct Field: Sendable {
    public enum Kind: String, Sendable {
        /// Words, stemmed, phrases work on them (`title:inspection`).
        case freeText = "free text"
        /// One exact term per value, a filter that ranks nothing (`kind:press`).
        case boolean
        /// A range of the value slot (`date:2021..2022`).
        case range
    }

    /// What the field is called in a query (`kind:`), in `facets=` and in index/SCHEMA.md.
    public let name: String
    public let kind: Kind
    /// The term prefix ("" for a range, which reads its slot and the `Y`/`M` terms).
    public let prefix: String
    public let slot: UInt32?
    /// Typed in a query as `name:`.
    public let inQuery: Bool
    /// The request parameters that filter on it (`kind=`; `from=` and `to=` for the date).
    public let parameters: [String]
    /// Counted per value in `facets=` (from its slot).
    public let isFacet: Bool
    /// The slot holds several values joined by `Schema.multiValueSeparator`.
    public let multiValued: Bool
    /// A boolean field's value as typed, checked; nil where Xapian's parser reads the text.
    let read: (@Sendable (String, Gazetteer) throws(SearchError) -> FieldValue)?
    /// A range field's ends as typed in a query (either may be empty), checked.
    let readRange: (@Sendable (String, String) throws(SearchError) -> RangeValue)?
    /// What index/SCHEMA.md says stands for the field's terms, where it has no prefix.
    let termsNote: String
    /// Said after a bad value typed in a query, where the syntax is the likely mistake.
    let queryHint: String

    init(_ name: String, _ kind: Kind, prefix: String = "", slot: UInt32? = nil, inQuery: Bool = false,
         parameters: [String] = [], isFacet: Bool = false, multiValued: Bool = false, queryHint: String = "",
         read: (@Sendable (String, Gazetteer) throws(SearchError) -> FieldValue)? = nil,
         termsNote: String = "",
         readRange: (@Sendable (String, String) throws(SearchError) -> RangeValue)? = nil) {
        self.name = name
        self.kind = kind
        self.prefix = prefix
        self.slot = slot
        self.inQuery = inQuery
        self.parameters = parameters
        self.isFacet = isFacet
        self.multiValued = multiValued
        self.queryHint = queryHint
        self.readRange = readRange
        self.termsNote = termsNote
        self.read = read
    }

    /// The value's term: the one function from a typed value to what the index holds.
    public func term(_ value: FieldValue) -> String {
        Schema.term(prefix, value.termText)
    }

    /// A facet's slot and, for a slot of several values, their separator.
    var facet: (slot: UInt32, separator: UInt8?)? {
        guard isFacet, let slot else { return nil }
        return (slot, multiValued ? Schema.multiValueSeparator : nil)
    }
}

/// A range typed in a query, read and checked: what its field filters on.
public enum RangeValue: Sendable, Equatable {
    /// `date:A..B`, days (a month's or year's first and last day).
    case dates(SearchFilters.DateRange)
    /// `amount:A..B`, whole đồng, either end open.
    case amounts(low: Int?, high: Int?)
}

/// A field's value, read and checked.
public enum FieldValue: Sendable, Equatable {
    case kind(DocumentKind)
    case province(Gazetteer.Province)
    case language(Language)
    case number(DocumentNumber)
    case year(Int)
    case issuer(slug: String)

    /// What follows the field's prefix in its term.
    var termText: String {
        switch self {
        case .kind(let kind): kind.rawValue
        case .province(let province): province.slug
        case .language(let language): language.rawValue
        case .number(let number): number.key
        case .year(let year): NumberText.zeroPadded(year, width: 4)
        case .issuer(let slug): slug
        }
    }
}

public enum Fields {
    /// Every field people search by. Free-text fields first, in the order of
    /// `Schema.textPrefixes`; facets in the order `SearchRequest.facetNames` lists them.
    public static let all: [Field] = [
        Field("title", .freeText, prefix: Schema.Prefix.title, inQuery: true),
        Field("person", .freeText, prefix: Schema.Prefix.person, inQuery: true),
        Field("issuer", .freeText, prefix: Schema.Prefix.issuer, inQuery: true),
        number,
        cites,
        Field("kind", .boolean, prefix: Schema.Prefix.kind, slot: Schema.Slot.kind, inQuery: true, parameters: ["kind"],
              isFacet: true) { value, _ throws(SearchError) in
            guard let kind = DocumentKind(name: value) else {
                throw .badFieldValue(field: "kind", message: "unknown kind \"\(value)\": kinds are regulation, conclusion and press")
            }
            return .kind(kind)
        },
        Field("province", .boolean, prefix: Schema.Prefix.province, slot: Schema.Slot.provinces, inQuery: true,
              parameters: ["province"], isFacet: true, multiValued: true,
              queryHint: " (quote names of several words: province:\"Hai Duong\")") { value, gazetteer throws(SearchError) in
            guard let province = gazetteer.province(named: value) else {
                throw .badFieldValue(field: "province", message: "unknown province \"\(value)\"")
            }
            return .province(province)
        },
        Field("year", .boolean, prefix: Schema.Prefix.year, slot: Schema.Slot.year, inQuery: true,
              isFacet: true) { value, _ throws(SearchError) in
            guard value.count == 4, let year = Int(value), (1900...2100).contains(year) else {
                throw .badFieldValue(field: "year", message: "year must be four digits, like year:2022 (got \"\(value)\")")
            }
            return .year(year)
        },
        // No `month:` in queries: its terms serve date ranges over whole months.
        Field("month", .boolean, prefix: Schema.Prefix.month, slot: Schema.Slot.month, isFacet: true),
        Field("issuer", .boolean, prefix: Schema.Prefix.issuerFilter, slot: Schema.Slot.issuer, parameters: ["issuer"],
              isFacet: true) { value, _ in .issuer(slug: Schema.slug(value)) },
        Field("lang", .boolean, prefix: Schema.Prefix.language, slot: Schema.Slot.language, inQuery: true,
              parameters: ["lang"], isFacet: true) { value, _ throws(SearchError) in
            guard let language = Language(code: value) else {
                throw .badFieldValue(field: "lang", message: "unknown language \"\(value)\": use en or vi")
            }
            return .language(language)
        },
        Field("date", .range, slot: Schema.Slot.date, inQuery: true, parameters: ["from", "to"],
              termsNote: "`Y`, `M` (whole months)",
              readRange: { start, end throws(SearchError) in .dates(try readDates(start, end)) }),
        Field("amount", .range, slot: Schema.Slot.amount, inQuery: true, readRange: readAmounts),
    ]

    /// A `date:A..B` range's ends (either may be empty), checked.
    @Sendable static func readDates(_ start: String, _ end: String) throws(SearchError) -> SearchFilters.DateRange {
        let from = start.isEmpty ? nil : CalendarDate.parse(start)
        let to = end.isEmpty ? nil : CalendarDate.parse(end, asEnd: true)
        guard start.isEmpty || from != nil, end.isEmpty || to != nil else {
            throw .badFieldValue(field: "date", message: "date:\(start)..\(end): each end must be \(CalendarDate.accepted), or left empty")
        }
        // Xapian's parser would drop a filter that matches nothing, and match everything.
        if let from, let to, from > to {
            throw .badFieldValue(field: "date", message: "date:\(start)..\(end): the start is after the end")
        }
        return SearchFilters.DateRange(from: from, to: to)
    }

    /// An `amount:A..B` range's ends (either may be empty), checked.
    @Sendable static func readAmounts(_ start: String, _ end: String) throws(SearchError) -> RangeValue {
        let low = start.isEmpty ? nil : AmountText.parse(start)
        let high = end.isEmpty ? nil : AmountText.parse(end)
        guard start.isEmpty || low != nil, end.isEmpty || high != nil else {
            let bad = start.isEmpty || low != nil ? end : start
            throw .badFieldValue(field: "amount", message: "amount:\(start)..\(end): \"\(bad)\" is not a sum in đồng; "
                                 + "each end must be \(AmountText.accepted), or left empty")
        }
        if start.isEmpty && end.isEmpty {
            throw .badFieldValue(field: "amount", message: "amount:..: give at least one end, like amount:10tỷ..")
        }
        if let low, let high, low > high {
            throw .badFieldValue(field: "amount", message: "amount:\(start)..\(end): the start is more than the end")
        }
        return .amounts(low: low, high: high)
    }

    static let number = Field("number", .boolean, prefix: Schema.Prefix.number, inQuery: true) { value, _ throws(SearchError) in
        .number(try documentNumber(value))
    }
    static let cites = Field("cites", .boolean, prefix: Schema.Prefix.cites, inQuery: true) { value, _ throws(SearchError) in
        .number(try documentNumber(value))
    }

    /// A document number as typed (`number:`, `cites:`, `/v1/citations/{number}`).
    static func documentNumber(_ text: String) throws(SearchError) -> DocumentNumber {
        guard let number = DocumentNumber(text) else {
            throw .badFieldValue(field: "number",
                                 message: "\"\(text)\" is not a document number such as 67-QĐ/TW, 05/2022/NĐ-CP or 1843/KL-TTCP")
        }
        return number
    }

    public static var facetNames: [String] { all.filter(\.isFacet).map(\.name) }

    static func facet(named name: String) -> (slot: UInt32, separator: UInt8?)? {
        all.first { $0.name == name && $0.isFacet }?.facet
    }

    /// The table in index/SCHEMA.md (between its `fields` markers), so that page says
    /// what this code does; a test compares them.
    public static var markdownTable: String {
        var lines = ["| field | kind | prefix | slot | typed as |", "|---|---|---|---|---|"]
        for field in all {
            var typed: [String] = []
            if field.inQuery { typed.append(field.kind == .range ? "`\(field.name):A..B`" : "`\(field.name):`") }
            typed += field.parameters.map { "`\($0)=`" }
            if field.isFacet { typed.append("facet") }
            let prefix = field.prefix.isEmpty ? field.termsNote : "`\(field.prefix)`"
            lines.append("| `\(field.name)` | \(field.kind.rawValue) | \(prefix) | \(field.slot.map(String.init) ?? "") | "
                         + typed.joined(separator: ", ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}

/// A request's filters, read through the field table and checked once, where the
/// request arrives (the daemon's event loop), before a reader is taken: a reader
/// only makes them a query.
public struct SearchFilters: Sendable, Equatable {
    /// The boolean filters' terms (kind, province, lang, issuer), in the table's order.
    public let terms: [String]
    /// `from` and `to`, parsed.
    public let dates: DateRange?

    public struct DateRange: Sendable, Equatable {
        public let from: CalendarDate?
        public let to: CalendarDate?
    }

    public init(_ request: SearchRequest, gazetteer: Gazetteer) throws(SearchError) {
        var terms: [String] = []
        let given = ["kind": request.kind, "province": request.province, "lang": request.lang, "issuer": request.issuer]
        for field in Fields.all where field.kind == .boolean {
            guard let name = field.parameters.first, let value = given[name] ?? nil, let read = field.read else { continue }
            terms.append(field.term(try read(value, gazetteer)))
        }
        self.terms = terms
        guard request.from != nil || request.to != nil else {
            dates = nil
            return
        }
        // `SearchRequest`'s own parser, whose messages a request read from parameters gets.
        do {
            let (from, to) = try request.dateRange()
            dates = DateRange(from: from, to: to)
        } catch {
            throw .badFieldValue(field: "date", message: error.message)
        }
    }
}
