import Foundation
import ACSearchAnalysis
// libyaml, as Yams builds it: its event parser is a loop with its own stacks, so it
// can measure a front matter that Yams' recursive tree building could not survive.
import CYaml
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
            try FrontMatterLimits.check(yaml)
            do {
                // Dates stay text, read by RecordFields: Yams' timestamps would take
                // 2022-02-30 for 2022-03-02.
                guard let parsed = try Yams.load(yaml: yaml, Resolver.default.removing(.timestamp)) else { throw ExtractionError.invalidFrontMatter("it is empty") }
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

/// Bounds on a front matter, checked on libyaml's events before Yams builds anything:
/// Yams builds its tree recursively (a 10 KB front matter nested thousands deep
/// overflowed the stack and killed the indexer on every run), and copies an alias's
/// value wherever it is used (a 428-byte "billion laughs" reached gigabytes). Front
/// matter is a handful of fields: these bounds are far above any real one.
enum FrontMatterLimits {
    static let maxBytes = 64 * 1024
    static let maxDepth = 32
    static let maxAliases = 16

    static func check(_ yaml: String) throws(ExtractionError) {
        let bytes = Array(yaml.utf8)
        if bytes.count > maxBytes {
            throw .invalidFrontMatter("it is \(bytes.count / 1024) KiB; front matter is limited to \(maxBytes / 1024) KiB")
        }
        if bytes.isEmpty { return }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw .invalidFrontMatter("cannot start the YAML parser") }
        defer { yaml_parser_delete(&parser) }
        var refusal: String?
        bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var depth = 0, aliases = 0
            while refusal == nil {
                var event = yaml_event_t()
                // A syntax error ends the scan here; Yams then reports it in its words.
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
                    depth += 1
                    if depth > maxDepth { refusal = "nested more than \(maxDepth) levels deep" }
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    depth -= 1
                case YAML_ALIAS_EVENT:
                    aliases += 1
                    if aliases > maxAliases { refusal = "more than \(maxAliases) aliases (*name): refused, as an alias bomb would be" }
                case YAML_STREAM_END_EVENT:
                    return
                default:
                    break
                }
            }
        }
        if let refusal { throw .invalidFrontMatter(refusal) }
    }
}
