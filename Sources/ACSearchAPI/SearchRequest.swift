#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A search as the API takes it (`GET /v1/search?...`), validated.
public struct SearchRequest: Sendable, Equatable {
    /// `amount`: the largest sum in đồng first (documents naming none last).
    public enum Sort: String, Sendable, CaseIterable {
        case relevance, newest, oldest, amount

        /// The sorts as a message lists them ("relevance, newest, oldest or amount").
        public static var listed: String {
            allCases.dropLast().map(\.rawValue).joined(separator: ", ") + " or " + allCases.last!.rawValue
        }
    }
    public static let facetNames = ["kind", "province", "year", "month", "issuer", "lang"]
    public static let defaultLimit = 10
    public static let maxLimit = 100
    public static let maxOffset = 10_000
    public static let maxQueryLength = 1_000

    public var query: String
    public var kind: String?
    public var province: String?
    public var lang: String?
    public var issuer: String?
    /// Inclusive date bounds, YYYY-MM-DD.
    public var from: String?
    public var to: String?
    public var sort: Sort
    public var limit: Int
    public var offset: Int
    public var facets: [String]
    public var collapse: Bool
    /// Exact match counts (slower on large indexes).
    public var exact: Bool
    /// Whether hits carry a snippet: a person reading them wants one, a service that
    /// takes ids and fields need not pay for it.
    public var snippets: Bool
    /// Whether the answer says how long each stage took (`timings`, `Server-Timing`).
    public var timings: Bool
    /// Whether to look for a spelling correction: nil looks only when it can help
    /// (fewer than a few matches), true always, false never.
    public var spelling: Bool?

    public init(query: String = "", kind: String? = nil, province: String? = nil, lang: String? = nil,
                issuer: String? = nil, from: String? = nil, to: String? = nil, sort: Sort = .relevance,
                limit: Int = SearchRequest.defaultLimit, offset: Int = 0, facets: [String] = [], collapse: Bool = false,
                exact: Bool = false, snippets: Bool = true, timings: Bool = false, spelling: Bool? = nil) {
        self.query = query
        self.kind = kind
        self.province = province
        self.lang = lang
        self.issuer = issuer
        self.from = from
        self.to = to
        self.sort = sort
        self.limit = limit
        self.offset = offset
        self.facets = facets
        self.collapse = collapse
        self.exact = exact
        self.snippets = snippets
        self.timings = timings
        self.spelling = spelling
    }

    /// Reads and checks query parameters; the error says which one is wrong and why.
    public init(parameters: [(name: String, value: String)]) throws(APIError) {
        self.init()
        for (name, value) in parameters {
            switch name {
            case "q": query = value
            case "kind": kind = value
            case "province": province = value
            case "lang": lang = value
            case "issuer": issuer = value
            case "from": from = try SearchRequest.day(value, parameter: name).description
            case "to": to = try SearchRequest.day(value, parameter: name).description
            case "sort":
                guard let sort = Sort(rawValue: value) else {
                    throw .badRequest("sort must be \(Sort.listed) (got \"\(value)\")")
                }
                self.sort = sort
            case "limit": limit = try SearchRequest.integer(value, parameter: name, range: 0...SearchRequest.maxLimit)
            case "offset": offset = try SearchRequest.integer(value, parameter: name, range: 0...SearchRequest.maxOffset)
            case "facets":
                facets = value.split(separator: ",").map(SearchRequest.trimmed).filter { !$0.isEmpty }
                for facet in facets where !SearchRequest.facetNames.contains(facet) {
                    throw .badRequest("unknown facet \"\(facet)\"; facets are \(SearchRequest.facetNames.joined(separator: ", "))")
                }
            case "collapse": collapse = try SearchRequest.boolean(value, parameter: name)
            case "exact": exact = try SearchRequest.boolean(value, parameter: name)
            case "snippets": snippets = try SearchRequest.boolean(value, parameter: name)
            case "timings": timings = try SearchRequest.boolean(value, parameter: name)
            case "spelling": spelling = try SearchRequest.boolean(value, parameter: name)
            default: throw .badRequest("unknown parameter \"\(name)\"")
            }
        }
        if query.count > SearchRequest.maxQueryLength {
            throw .badRequest("q is \(query.count) characters long; the limit is \(SearchRequest.maxQueryLength)")
        }
        if let from, let to, from > to { throw .badRequest("from (\(from)) is after to (\(to))") }
    }

    /// The request as query parameters (what a client sends).
    public var parameters: [(name: String, value: String)] {
        var items: [(String, String)] = [("q", query)]
        if let kind { items.append(("kind", kind)) }
        if let province { items.append(("province", province)) }
        if let lang { items.append(("lang", lang)) }
        if let issuer { items.append(("issuer", issuer)) }
        if let from { items.append(("from", from)) }
        if let to { items.append(("to", to)) }
        if sort != .relevance { items.append(("sort", sort.rawValue)) }
        if limit != SearchRequest.defaultLimit { items.append(("limit", String(limit))) }
        if offset != 0 { items.append(("offset", String(offset))) }
        if !facets.isEmpty { items.append(("facets", facets.joined(separator: ","))) }
        if collapse { items.append(("collapse", "true")) }
        if exact { items.append(("exact", "true")) }
        if !snippets { items.append(("snippets", "false")) }
        if timings { items.append(("timings", "true")) }
        if let spelling { items.append(("spelling", String(spelling))) }
        return items
    }

    public static func == (a: SearchRequest, b: SearchRequest) -> Bool {
        a.parameters.map { "\($0.name)=\($0.value)" } == b.parameters.map { "\($0.name)=\($0.value)" }
    }

    static func integer(_ value: String, parameter: String, range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let number = Int(value), range.contains(number) else {
            throw .badRequest("\(parameter) must be a whole number from \(range.lowerBound) to \(range.upperBound) (got \"\(value)\")")
        }
        return number
    }

    static func trimmed(_ text: Substring) -> String {
        let start = text.drop(while: \.isWhitespace)
        guard let last = start.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(start[...last])
    }

    static func boolean(_ value: String, parameter: String) throws(APIError) -> Bool {
        switch value.lowercased() {
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: throw .badRequest("\(parameter) must be true or false (got \"\(value)\")")
        }
    }

    /// `from` and `to` as days. A request read from parameters is already checked; one
    /// built in code is checked here, with the same messages.
    public func dateRange() throws(APIError) -> (from: CalendarDate?, to: CalendarDate?) {
        (try from.map { value throws(APIError) in try SearchRequest.day(value, parameter: "from") },
         try to.map { value throws(APIError) in try SearchRequest.day(value, parameter: "to") })
    }

    /// A date as `CalendarDate.parse` reads it (`to` takes a month's or year's last day).
    static func day(_ value: String, parameter: String) throws(APIError) -> CalendarDate {
        guard let date = CalendarDate.parse(value, asEnd: parameter == "to") else {
            throw .badRequest("\(parameter) must be \(CalendarDate.accepted) (got \"\(value)\")")
        }
        return date
    }
}
