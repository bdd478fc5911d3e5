import ACSearchAPI
import ACSearchAnalysis
import Foundation

/// Maps a dictionary (front matter, a JSON record) to a SourceRecord: the documented
/// fields by name, everything else kept as extra searchable text.
enum RecordFields {
    static func record(from fields: [String: Any], defaultID: String, body fallbackBody: String? = nil,
                       source: String) throws(ExtractionError) -> SourceRecord {
        func text(_ key: String) -> String? {
            guard let value = fields[key] else { return nil }
            let string = flatten(value).trimmingWhitespace
            return string.isEmpty ? nil : string
        }
        func list(_ keys: [String]) -> [String] {
            for key in keys {
                if let array = fields[key] as? [Any] { return array.map(flatten).filter { !$0.isEmpty } }
                if let single = text(key) {
                    return single.split(separator: ";").map { $0.trimmingWhitespace }.filter { !$0.isEmpty }
                }
            }
            return []
        }
        let body = text("body") ?? fallbackBody ?? ""
        let title = text("title")
        guard !body.isEmpty || title != nil else { throw .invalidRecord("it has neither a body nor a title") }
        let id = text("id") ?? defaultID
        guard !id.isEmpty else { throw .invalidRecord("empty id") }
        // A time after the day (2022-06-02T10:00:00+07:00) is dropped: the day is as written.
        var date = text("date")
        if let written = date, written.count > 10, ["T", " "].contains(written[written.index(written.startIndex, offsetBy: 10)]) {
            date = String(written.prefix(10))
        }
        if let date, CalendarDate(parsing: date) == nil {
            throw .invalidRecord("date \"\(date)\" is not a date like 2022-06-02 (no such day, or not a date)")
        }
        let known: Set<String> = ["id", "kind", "title", "body", "date", "number", "issuer", "province", "provinces",
                                  "people", "person", "lang", "language", "url"]
        var extra: [String: String] = [:]
        for (key, value) in fields where !known.contains(key) {
            let string = flatten(value)
            if !string.isEmpty { extra[key] = string }
        }
        return SourceRecord(id: id, kind: text("kind"), title: title, body: body, date: date,
                            number: text("number"), issuer: text("issuer"), provinces: list(["province", "provinces"]),
                            people: list(["people", "person"]), lang: text("lang") ?? text("language"), url: text("url"),
                            source: source, extra: extra)
    }

    static func flatten(_ value: Any) -> String {
        switch value {
        case let string as String: return string
        case let array as [Any]: return array.map(flatten).joined(separator: "; ")
        case let dictionary as [String: Any]:
            return dictionary.sorted { $0.key < $1.key }.map { "\($0.key): \(flatten($0.value))" }.joined(separator: "; ")
        case let date as Date:
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate]
            return formatter.string(from: date)
        case is NSNull: return ""
        default: return "\(value)"
        }
    }
}
