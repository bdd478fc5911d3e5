import ACSearchAPI

/// What a page shows, read from its URL and written back into every link it has:
/// the URL is the whole state, so a page can be shared and the back button works.
struct WebState: Sendable, Equatable {
    /// The search's own parameters, as `SearchRequest` reads them.
    static let searchNames = ["q", "kind", "province", "lang", "issuer", "from", "to", "sort"]
    static let pageSize = 10

    var values: [String: String] = [:]
    /// 1-based.
    var page = 1
    /// The interface's language when chosen by the switch (else from Accept-Language).
    var ui: WebLanguage? = nil

    init(parameters: [(name: String, value: String)]) {
        for (name, value) in parameters {
            let value = SearchRequestText.trimmed(value)
            switch name {
            case "page": page = max(1, Int(value) ?? 1)
            case "ui": ui = WebLanguage(rawValue: value)
            // Empty form fields (a filter left blank) mean no filter; other names
            // (a button's) are not the page's and are left out.
            case _ where WebState.searchNames.contains(name) && !value.isEmpty: values[name] = value
            default: break
            }
        }
        if values["sort"] == SearchRequest.Sort.relevance.rawValue { values["sort"] = nil }
    }

    init() {}

    var query: String { values["q"] ?? "" }

    /// The search this page runs: its page of hits, and the facets it shows.
    func request(facets: [String] = WebState.facets) throws -> SearchRequest {
        var parameters = WebState.searchNames.compactMap { name in values[name].map { (name: name, value: $0) } }
        parameters.append((name: "limit", value: String(WebState.pageSize)))
        let offset = (page - 1) * WebState.pageSize
        if offset > SearchRequest.maxOffset {
            throw APIError.badRequest("page \(page) is past the last page shown (offset \(SearchRequest.maxOffset))")
        }
        parameters.append((name: "offset", value: String(offset)))
        if !facets.isEmpty { parameters.append((name: "facets", value: facets.joined(separator: ","))) }
        return try SearchRequest(parameters: parameters)
    }

    static let facets = ["kind", "province", "year", "month", "issuer", "lang"]

    /// This state with some values changed (nil removes one); the page goes back to
    /// the first unless it is the change.
    func with(_ changes: [String: String?], page: Int = 1) -> WebState {
        var copy = self
        for (name, value) in changes { copy.values[name] = value ?? nil }
        copy.page = page
        return copy
    }

    /// The state as a URL's query, in a fixed order (the same state, the same URL).
    var queryString: String {
        var items = WebState.searchNames.compactMap { name in values[name].map { (name, $0) } }
        if page > 1 { items.append(("page", String(page))) }
        if let ui { items.append(("ui", ui.rawValue)) }
        return items.map { "\($0.0)=\(WebURL.encode($0.1))" }.joined(separator: "&")
    }

    /// The results page of this state.
    var href: String { queryString.isEmpty ? "/" : "/?" + queryString }

    /// A document's page, keeping the query (which it highlights) and the language.
    func documentHref(_ id: String) -> String {
        var items: [String] = []
        if !query.isEmpty { items.append("q=" + WebURL.encode(query)) }
        if let ui { items.append("ui=" + ui.rawValue) }
        // Ids are paths: their "/" stay separators, which the router joins again.
        let path = "/doc/" + id.split(separator: "/", omittingEmptySubsequences: false).map { WebURL.encode(String($0)) }
            .joined(separator: "/")
        return items.isEmpty ? path : path + "?" + items.joined(separator: "&")
    }

    /// Every match as CSV: the search without its page.
    var exportHref: String {
        var copy = self
        copy.page = 1
        copy.ui = nil
        return "/export.csv" + (copy.queryString.isEmpty ? "" : "?" + copy.queryString)
    }
}

/// Percent-encoding for the page's links.
enum WebURL {
    /// Everything but RFC 3986's unreserved characters, byte by byte (UTF-8).
    static func encode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// Only http and https links to a document's original are made links: a stored
    /// `javascript:` or `data:` URL is shown as text, never followed.
    static func isWeb(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://")
    }
}

enum SearchRequestText {
    static func trimmed(_ text: String) -> String {
        let start = text.drop(while: \.isWhitespace)
        guard let last = start.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(start[...last])
    }
}
