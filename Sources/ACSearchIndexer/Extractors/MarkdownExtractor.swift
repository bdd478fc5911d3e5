import Foundation
import ACSearchAnalysis
import Yams

/// Markdown with optional YAML front matter (title, kind, number, date, issuer,
/// province, people, lang, url, and any other field, kept as text).
enum MarkdownExtractor {
    static func record(_ text: String, id: String, source: String) throws(ExtractionError) -> SourceRecord {
        var body = text
        var fields: [String: Any] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---",
           let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) {
            let yaml = lines[1..<end].joined(separator: "\n")
            do {
                guard let parsed = try Yams.load(yaml: yaml) else { throw ExtractionError.invalidFrontMatter("it is empty") }
                guard let dictionary = parsed as? [String: Any] else {
                    throw ExtractionError.invalidFrontMatter("expected fields (name: value), found \(type(of: parsed))")
                }
                fields = dictionary
            } catch let error as ExtractionError {
                throw error
            } catch {
                throw .invalidFrontMatter(String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable")
            }
            body = lines[(end + 1)...].joined(separator: "\n")
        }
        body = stripMarkdown(body)
        guard body.contains(where: { !$0.isWhitespace }) || fields["title"] != nil else { throw .noText }
        return try RecordFields.record(from: fields, defaultID: id, body: body, source: source)
    }

    /// Drops the markup that would otherwise be indexed as words: heading marks,
    /// emphasis, link targets. The words stay.
    static func stripMarkdown(_ text: String) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(line)
            while line.hasPrefix("#") { line.removeFirst() }
            line = line.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
            // [text](url) → text
            while let open = line.range(of: "]("), let close = line[open.upperBound...].firstIndex(of: ")") {
                line.removeSubrange(open.lowerBound...close)
                if let bracket = line[..<open.lowerBound].lastIndex(of: "[") { line.remove(at: bracket) }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
