import ACSearchAnalysis
import Foundation

/// The file formats the indexer reads, by extension.
public enum FileFormat: String, CaseIterable, Sendable {
    case text, markdown, html, json, jsonLines, pdf, docx, doc, odt, rtf, xlsx, ods

    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        case "html", "htm", "xhtml": self = .html
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonLines
        case "pdf": self = .pdf
        case "docx": self = .docx
        case "doc": self = .doc
        case "odt": self = .odt
        case "rtf": self = .rtf
        case "xlsx": self = .xlsx
        case "ods": self = .ods
        default: return nil
        }
    }
}

/// Limits that keep one hostile file from hurting the run.
public struct ExtractionLimits: Sendable {
    /// Larger files are skipped.
    public var maxFileSize = 20 * 1_048_576
    /// Seconds an external filter (pdftotext, catdoc, unrtf, pdftoppm) may run on one file.
    public var filterTimeoutSeconds = 30
    /// Address space an external filter may use, in MiB.
    public var filterMemoryMiB = 512
    /// Most bytes a DOCX or ODT may expand to, and the highest compression ratio accepted.
    public var maxExpandedSize = 64 * 1_048_576
    public var maxCompressionRatio = 200
    /// OCR of PDFs without a text layer, and what it may cost; nil (the default): such
    /// a PDF is reported as a scan, with how to turn OCR on.
    public var ocr: OCRSettings? = nil
    public init() {}
}

/// What a file of one document (or a JSON lines file that is not UTF-8) holds: its
/// records, each with its line when it has one, and the lines that failed.
struct ExtractedFile {
    var records: [(line: Int?, record: SourceRecord)]
    var recordErrors: [(line: Int, error: ExtractionError)] = []
    /// What OCR did, for a scanned PDF read with it.
    var ocr: OCRUsage? = nil
}

/// Reads one file into records from its bytes, read once by the caller; PDF, DOC,
/// RTF, DOCX, ODT, XLSX and ODS are opened by their own readers (pdftotext, catdoc,
/// unrtf, the ZIP reader) from the path.
/// The caller has checked the size limit.
enum Extraction {
    /// `file.id` names the records that carry no id of their own (the path relative to the root).
    static func extract(_ file: SourceFile, data: Data, limits: ExtractionLimits) throws(ExtractionError) -> ExtractedFile {
        let path = file.path, id = file.id
        func one(_ record: SourceRecord) -> ExtractedFile { ExtractedFile(records: [(nil, record)]) }
        switch file.format {
        case .pdf:
            let layer: String
            do {
                layer = try PDFExtractor.text(of: path, limits: limits)
            } catch .noText {
                // No text layer: a scan, read by OCR when it is on.
                guard let settings = limits.ocr else { throw .scanWithoutOCR }
                let (text, usage) = try OCR.text(of: path, settings: settings, limits: limits)
                var record = SourceRecord(id: id, body: text, source: path)
                record.extra[OCR.field] = OCR.fieldValue(usage, settings: settings)
                return ExtractedFile(records: [(nil, record)], ocr: usage)
            }
            let (text, converted) = LegacyEncoding.convertingLegacyRuns(layer)
            return one(noting(converted, SourceRecord(id: id, body: text, source: path)))
        case .docx, .odt, .xlsx, .ods:
            let document: DOCXExtractor.Result
            switch file.format {
            case .docx: document = try DOCXExtractor.extract(path, limits: limits)
            case .odt: document = try ODTExtractor.extract(path, limits: limits)
            case .xlsx: document = try XLSXExtractor.extract(path, limits: limits)
            default: document = try ODSExtractor.extract(path, limits: limits)
            }
            let (text, converted) = LegacyEncoding.convertingLegacyRuns(document.text)
            return one(noting(document.fontEncoding ?? converted,
                              SourceRecord(id: id, title: document.title, body: text, metadataDate: document.created, source: path)))
        case .doc:
            let (text, converted) = LegacyEncoding.convertingLegacyRuns(try DOCExtractor.text(of: path, limits: limits))
            return one(noting(converted, SourceRecord(id: id, body: text, source: path)))
        case .rtf:
            var record = try RTFExtractor.record(of: path, id: id, limits: limits)
            let converted: LegacyEncoding?
            (record.body, converted) = LegacyEncoding.convertingLegacyRuns(record.body)
            return one(noting(converted, record))
        case .text:
            let (text, converted) = try TextDecoding.decodeReporting(data)
            guard text.contains(where: { !$0.isWhitespace }) else { throw .noText }
            return one(noting(converted, SourceRecord(id: id, body: text, source: path)))
        case .markdown:
            let (text, converted) = try TextDecoding.decodeReporting(data)
            return one(noting(converted, try MarkdownExtractor.record(text, id: id, source: path)))
        case .html:
            let (text, converted) = try TextDecoding.decodeReporting(data)
            return one(noting(converted, try HTMLExtractor.record(text, id: id, source: path)))
        case .json:
            return one(try JSONRecords.record(try TextDecoding.decode(data), id: id, source: path))
        case .jsonLines:
            return JSONRecords.lines(try TextDecoding.decode(data), idPrefix: id, source: path)
        }
    }

    /// The stored field that says a document's text was converted, and from what.
    static let encodingField = "encoding"

    static func noting(_ converted: LegacyEncoding?, _ record: SourceRecord) -> SourceRecord {
        guard let converted else { return record }
        var record = record
        record.extra[encodingField] = converted.fieldValue
        return record
    }
}
