import ACSearchAPI
import ACSearchClient
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `acsearch --format csv|jsonl QUERY`: every match (or the first `--limit`), one
/// row a document, written page by page as the API pages them, so an export of
/// thousands starts at once and holds one page in memory.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, jsonl
}

struct Exporter {
    static let columns = ["id", "kind", "date", "number", "issuer", "provinces", "title", "url"]

    /// One exported document: the columns, with null for what a document lacks.
    struct Record: Encodable {
        let hit: Hit
        enum CodingKeys: String, CodingKey { case id, kind, date, number, issuer, provinces, title, url }
        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(hit.id, forKey: .id)
            try container.encode(hit.kind, forKey: .kind)
            try container.encode(hit.date, forKey: .date)
            try container.encode(hit.number, forKey: .number)
            try container.encode(hit.issuer, forKey: .issuer)
            try container.encode(hit.provinces, forKey: .provinces)
            try container.encode(hit.title, forKey: .title)
            try container.encode(hit.url, forKey: .url)
        }
    }

    let format: ExportFormat
    let connection: ConnectionOptions
    /// Raw fields are the point of CSV; on a terminal they are made safe all the same.
    let toTerminal: Bool

    /// Writes the matches of `request` from its offset on, at most `limit` of them;
    /// returns how many were written and how many match in all.
    func run(_ request: SearchRequest, limit: Int?) throws -> (written: Int, total: SearchResponse.Total?) {
        var page = request
        var written = 0
        var total: SearchResponse.Total?
        // A new index revision between pages can shift a document onto the next page.
        var seen = Set<String>()
        let encoder = APIJSON.encoder()
        if format == .csv { Terminal.output(Array(CSVWriter.row(Exporter.columns).utf8)) }
        while limit.map({ written < $0 }) ?? true {
            page.limit = min(SearchRequest.maxLimit, limit.map { $0 - written } ?? SearchRequest.maxLimit)
            if let total, total.exact, page.offset >= total.lower { break }
            guard page.offset <= SearchRequest.maxOffset else {
                throw cutShort(written: written, total: total)
            }
            let response = try connection.send(.search(page)).value
            total = response.total
            var out: [UInt8] = []
            for hit in response.hits where seen.insert(hit.id).inserted {
                if limit.map({ written >= $0 }) ?? false { break }
                switch format {
                case .csv:
                    let fields = [hit.id, hit.kind, hit.date ?? "", hit.number ?? "", hit.issuer ?? "",
                                  hit.provinces.joined(separator: "; "), hit.title, hit.url ?? ""]
                    out += Array(CSVWriter.row(toTerminal ? fields.map(SafeText.line) : fields).utf8)
                case .jsonl:
                    out += SafeText.json(Array(try encoder.encode(Record(hit: hit)))) + [0x0A]
                }
                written += 1
            }
            Terminal.output(out)
            if response.hits.count < page.limit { break }
            page.offset += response.hits.count
        }
        return (written, total)
    }

    /// The API pages only so deep: say what was written and how to get the rest.
    private func cutShort(written: Int, total: SearchResponse.Total?) -> ExitCode {
        let count = total.map { $0.exact ? "\($0.lower)" : "about \($0.estimated)" } ?? "more"
        Terminal.error("acsearch: exported \(written) of \(count) matches: the API pages no deeper than offset "
            + "\(SearchRequest.maxOffset); export the rest in parts (--since/--until, --kind, --province).")
        return ExitCode(Exit.errorAnswer)
    }
}
