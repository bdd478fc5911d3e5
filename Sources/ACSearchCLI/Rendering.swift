import ACSearchAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns answers into text for people.
struct Renderer {
    let terminal: Terminal

    static let kindLabels = ["regulation": "directive/regulation", "conclusion": "inspection conclusion", "press": "press item"]

    /// A kind as people call it (an unknown one as it is, made safe).
    static func kind(_ kind: String) -> String { kindLabels[kind] ?? SafeText.line(kind) }

    /// A snippet is an HTML fragment with <mark>…</mark>: marks become highlights,
    /// entities become characters, newlines spaces. One pass over the bytes: the
    /// generic substring search this replaced was a third of the CLI's whole run.
    func snippet(_ html: String) -> String {
        let replacements: [(from: [UInt8], to: [UInt8])] = [
            (Array("<mark>".utf8), Array(terminal.highlightCodes.start.utf8)),
            (Array("</mark>".utf8), Array(terminal.highlightCodes.end.utf8)),
            (Array("&lt;".utf8), [UInt8(ascii: "<")]),
            (Array("&gt;".utf8), [UInt8(ascii: ">")]),
            (Array("&amp;".utf8), [UInt8(ascii: "&")]),
            (Array("&quot;".utf8), [UInt8(ascii: "\"")]),
            ([UInt8(ascii: "\n")], [UInt8(ascii: " ")]),
        ]
        let bytes = Array(SafeText.line(html).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        next: while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<") || bytes[index] == UInt8(ascii: "&") || bytes[index] == UInt8(ascii: "\n") {
                for (from, to) in replacements where bytes[index...].starts(with: from) {
                    out += to
                    index += from.count
                    continue next
                }
            }
            out.append(bytes[index])
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    func hit(_ hit: Hit) -> String {
        var lines = [NumberText.rightAligned(hit.rank, width: 2) + ". " + terminal.bold(SafeText.line(hit.title))]
        var facts = [Renderer.kind(hit.kind)]
        if let date = hit.date { facts.append(date) }
        if !hit.provinces.isEmpty {
            facts.append(hit.provinces.prefix(4).joined(separator: ", ") + (hit.provinces.count > 4 ? ", …" : ""))
        }
        if let number = hit.number { facts.append(number) }
        if let amount = hit.amountVnd { facts.append(NumberText.vnd(amount)) }
        if let issuer = hit.issuer { facts.append(issuer) }
        if hit.collapsed > 0 { facts.append("+\(hit.collapsed) more of this story") }
        lines.append("    " + terminal.dim(SafeText.line(facts.joined(separator: " · "))))
        if let text = hit.snippet, !text.isEmpty { lines.append(terminal.wrap(snippet(text), indent: 4)) }
        lines.append("    " + terminal.dim("id: " + SafeText.line(hit.id)))
        return lines.joined(separator: "\n")
    }

    /// Says that the query was read as naming places, and how to ask for the words.
    func places(_ response: SearchResponse) -> String? {
        guard !response.places.isEmpty else { return nil }
        let names = response.places.map { terminal.bold(SafeText.line($0)) }.joined(separator: ", ")
        return "Documents naming \(names) (join the words with AND to find them anywhere)."
    }

    func total(_ response: SearchResponse) -> String {
        let total = response.total
        let count = total.exact ? "\(total.lower)" : "about \(total.estimated)"
        let noun = total.exact && total.lower == 1 ? "document matches" : "documents match"
        let shown = response.hits.isEmpty ? "" : ", showing \(response.offset + 1)–\(response.offset + response.hits.count)"
        return "\(count) \(noun)\(shown) (\(NumberText.fixed(response.tookMs, places: 1)) ms)"
    }

    /// A page asked for past the last one: how many match and which page is the last.
    func pastTheLastPage(_ response: SearchResponse) -> String? {
        let total = response.total
        let count = total.exact ? total.lower : total.estimated
        guard response.hits.isEmpty, count > 0, response.limit > 0, response.offset > 0 else { return nil }
        let about = total.exact ? "" : "about "
        let noun = total.exact && count == 1 ? "document matches" : "documents match"
        let lastPage = (count + response.limit - 1) / response.limit
        return "showing nothing: \(about)\(count) \(noun), the last page is \(about)\(lastPage)"
    }

    func facets(_ facets: [String: [FacetValue]]) -> String {
        facets.keys.sorted().filter { $0 != "month" }.map { name in
            let values = facets[name, default: []].prefix(8).map { "\($0.value) \($0.count)" }.joined(separator: " · ")
            return terminal.bold(SafeText.line(name) + ":") + " " + (values.isEmpty ? "–" : SafeText.line(values))
        }.joined(separator: "\n")
    }

    /// A bar per year, or per month when the matches span three years or less.
    func timeline(_ facets: [String: [FacetValue]]) -> String {
        let years = facets["year", default: []].compactMap { value in Int(value.value).map { ($0, value.count) } }.sorted { $0.0 < $1.0 }
        guard let first = years.first?.0, let last = years.last?.0 else { return "no dated documents match" }
        var rows: [(String, Int)]
        if last - first <= 2 {
            let counts = Dictionary(facets["month", default: []].map { ($0.value, $0.count) }, uniquingKeysWith: +)
            rows = []
            for year in first...last {
                for month in 1...12 {
                    let key = NumberText.zeroPadded(year, width: 4) + NumberText.zeroPadded(month, width: 2)
                    rows.append((NumberText.zeroPadded(year, width: 4) + "-" + NumberText.zeroPadded(month, width: 2), counts[key] ?? 0))
                }
            }
            // Trim empty months at both ends.
            while rows.first?.1 == 0 { rows.removeFirst() }
            while rows.last?.1 == 0 { rows.removeLast() }
        } else {
            let counts = Dictionary(years, uniquingKeysWith: +)
            rows = (first...last).map { (String($0), counts[$0] ?? 0) }
        }
        let peak = max(1, rows.map(\.1).max() ?? 1)
        let room = max(10, (terminal.width > 0 ? terminal.width : 80) - 20)
        return rows.map { label, count in
            let length = Int((Double(count) / Double(peak) * Double(room)).rounded(.up))
            return "\(Terminal.padded(label, to: 8)) \(String(repeating: "█", count: length)) \(count)"
        }.joined(separator: "\n")
    }
}
