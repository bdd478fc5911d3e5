import ACSearchAnalysis
import Foundation

/// The file formats the indexer reads, by extension.
public enum FileFormat: String, CaseIterable, Sendable {
    case text, markdown, html, json, jsonLines, pdf, docx

    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        case "html", "htm", "xhtml": self = .html
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonLines
        case "pdf": self = .pdf
        case "docx": self = .docx
        default: return nil
        }
    }
}

/// Limits that keep one hostile file from hurting the run.
public struct ExtractionLimits: Sendable {
    /// Larger files are skipped.
    public var maxFileSize = 20 * 1_048_576
    /// Seconds pdftotext may run on one file.
    public var filterTimeoutSeconds = 30
    /// Address space pdftotext may use, in MiB.
    public var filterMemoryMiB = 512
    /// Most bytes a DOCX may expand to, and the highest compression ratio accepted.
    public var maxExpandedSize = 64 * 1_048_576
    public var maxCompressionRatio = 200
    public init() {}
}

/// What a file holds: its records, and the records that failed (a JSON lines file
/// with one bad line among good ones).
public struct ExtractedFile {
    public var records: [SourceRecord]
    public var recordErrors: [(line: Int, error: ExtractionError)]
}

/// Reads one file into records, by format.
public enum Extraction {
    /// `id` names the records that carry no id of their own (the path relative to the root).
    public static func extract(_ path: String, format: FileFormat, id: String, limits: ExtractionLimits)
        throws(ExtractionError) -> ExtractedFile {
        switch format {
        case .pdf:
            let text = try PDFExtractor.text(of: path, limits: limits)
            return ExtractedFile(records: [SourceRecord(id: id, body: text, source: path)], recordErrors: [])
        case .docx:
            let document = try DOCXExtractor.extract(path, limits: limits)
            return ExtractedFile(records: [SourceRecord(id: id, title: document.title, body: document.text,
                                                        date: document.date, source: path)], recordErrors: [])
        default:
            break
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw .unreadable(error.localizedDescription)
        }
        if data.count > limits.maxFileSize { throw .tooLarge(bytes: data.count, limit: limits.maxFileSize) }
        let text = try TextDecoding.decode(data)
        switch format {
        case .text:
            guard text.contains(where: { !$0.isWhitespace }) else { throw .noText }
            return ExtractedFile(records: [SourceRecord(id: id, body: text, source: path)], recordErrors: [])
        case .markdown:
            return ExtractedFile(records: [try MarkdownExtractor.record(text, id: id, source: path)], recordErrors: [])
        case .html:
            return ExtractedFile(records: [try HTMLExtractor.record(text, id: id, source: path)], recordErrors: [])
        case .json:
            return ExtractedFile(records: [try JSONRecords.record(text, id: id, source: path)], recordErrors: [])
        case .jsonLines:
            return JSONRecords.lines(text, idPrefix: id, source: path)
        case .pdf, .docx:
            fatalError("handled above")
        }
    }
}
