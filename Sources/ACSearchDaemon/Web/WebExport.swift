import ACSearchAPI
import ACSearchIndex

/// `/export.csv`: every match of the page's search as CSV, with the columns of
/// `acsearch --format csv` (README, Export), read page by page on one reader as the
/// CLI asks the API, to the same limit (offset 10,000).
enum WebExport {
    static let columns = ["id", "kind", "date", "number", "issuer", "provinces", "title", "url"]

    static func csv(_ state: WebState, searcher: Searcher) throws -> HTTPAnswer {
        var request = try state.request(facets: [])
        request.limit = SearchRequest.maxLimit
        request.offset = 0
        var out = line(columns)
        while true {
            let page = try searcher.search(request)
            for hit in page.hits {
                out += line([hit.id, hit.kind, hit.date ?? "", hit.number ?? "", hit.issuer ?? "",
                             hit.provinces.joined(separator: "; "), hit.title, hit.url ?? ""])
            }
            guard page.hits.count == request.limit, request.offset + request.limit <= SearchRequest.maxOffset else { break }
            request.offset += request.limit
        }
        return HTTPAnswer(status: 200, headers: WebSite.headers(contentType: "text/csv; charset=utf-8") + [
            ("Content-Disposition", "attachment; filename=\"acsearch.csv\""),
        ], body: Array(out.utf8))
    }

    /// One RFC 4180 record: a field with a comma, quote or line break is quoted, its
    /// quotes doubled; CRLF ends it. A field that a spreadsheet would read as a formula
    /// (`=`, `+`, `-`, `@` first) is given a leading `'`: the file is meant to be
    /// opened in one, and documents are other people's text.
    static func line(_ fields: [String]) -> String {
        fields.map { field -> String in
            var text = field
            if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
            let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }.joined(separator: ",") + "\r\n"
    }
}
