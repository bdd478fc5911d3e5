import ACSearchAnalysis
import Foundation

/// `.json` files (one record) and JSON lines (one record per line), with the
/// documented field set; the same reader serves records pushed on standard input.
public enum JSONRecords {
    public static func record(_ text: String, id: String, source: String) throws(ExtractionError) -> SourceRecord {
        try record(json: Data(text.utf8), id: id, source: source)
    }

    static func record(json: Data, id: String, source: String) throws(ExtractionError) -> SourceRecord {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
        } catch {
            throw .invalidJSON(describe(error))
        }
        guard let fields = object as? [String: Any] else { throw .invalidJSON("expected an object {...}") }
        return try RecordFields.record(from: fields, defaultID: id, source: source)
    }

    /// Every line a record; a bad line is reported with its number, the others kept.
    /// For JSON lines in UTF-16 or UTF-32, decoded whole; UTF-8 ones are read as a
    /// stream (`LineReader`). The text's line breaks are LF (`TextDecoding`).
    static func lines(_ text: String, idPrefix: String, source: String) -> ExtractedFile {
        var file = ExtractedFile(records: [])
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            do {
                file.records.append((index + 1, try record(trimmed, id: "\(idPrefix)#\(index + 1)", source: source)))
            } catch {
                file.recordErrors.append((index + 1, error))
            }
        }
        return file
    }

    static func describe(_ error: Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}
