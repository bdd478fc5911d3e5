import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Spreadsheets (lists of inspections, asset declarations, budget tables): every sheet's
/// rows as lines, a row's non-empty cells joined by " | ", sheets one after another, under
/// the archive limits of a DOCX. Formulas are not read, only the values they last gave;
/// a date is the number the sheet stores (days since 1899), as styles are not read.
enum SpreadsheetText {
    static let cellSeparator = " | "

    /// Joins one row's cells: empty cells are dropped, so a sparse row stays short.
    static func line(_ cells: [String]) -> String? {
        let kept = cells.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        return kept.isEmpty ? nil : kept.joined(separator: cellSeparator)
    }
}

/// Office Open XML workbooks: `xl/sharedStrings.xml` (the text of cells of type "s"), then
/// `xl/worksheets/sheet*.xml` in their number's order, with inline strings, numbers, booleans
/// and formulas' cached values; title and date from `docProps/core.xml`.
enum XLSXExtractor {
    static func extract(_ path: String, limits: ExtractionLimits) throws(ExtractionError) -> DOCXExtractor.Result {
        let archive = try DOCXExtractor.openArchive(path, limits: limits)
        var shared: [String] = []
        if let entry = archive["xl/sharedStrings.xml"] {
            shared = SharedStrings.strings(try DOCXExtractor.read(entry, from: archive, limit: limits.maxExpandedSize))
        }
        let sheets = archive.filter { sheetNumber($0.path) != nil }.sorted { sheetNumber($0.path)! < sheetNumber($1.path)! }
        guard !sheets.isEmpty else { throw .invalidDocument("no xl/worksheets/sheet*.xml in the archive") }
        var lines: [String] = []
        for sheet in sheets {
            lines += WorksheetRows.lines(try DOCXExtractor.read(sheet, from: archive, limit: limits.maxExpandedSize),
                                         shared: shared)
        }
        let text = lines.joined(separator: "\n")
        guard text.contains(where: { !$0.isWhitespace }) else { throw .noText }
        return DOCXExtractor.Result(text: text, properties: "docProps/core.xml", of: archive)
    }

    /// 3 for "xl/worksheets/sheet3.xml"; nil for anything else (its _rels, charts).
    static func sheetNumber(_ path: String) -> Int? {
        let prefix = "xl/worksheets/sheet", suffix = ".xml"
        guard path.hasPrefix(prefix), path.hasSuffix(suffix) else { return nil }
        return Int(path.dropFirst(prefix.count).dropLast(suffix.count))
    }
}

/// The strings of `<si>` items, in order: their `<t>` text, rich runs joined, phonetic
/// guides (`<rPh>`, for East Asian readings) left out.
final class SharedStrings: NSObject, XMLParserDelegate {
    private var strings: [String] = []
    private var current: String?
    private var inText = false
    private var phonetic = 0

    static func strings(_ data: Data) -> [String] {
        let delegate = SharedStrings()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        _ = parser.parse()
        return delegate.strings
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "si": current = ""
        case "rPh": phonetic += 1
        case "t": inText = phonetic == 0
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "si":
            strings.append(current ?? "")
            current = nil
        case "rPh": phonetic -= 1
        case "t": inText = false
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText, current != nil { current! += string }
    }
}

/// A worksheet's `<row>`s as lines. A cell `<c>` is its `<v>` read by its type `t`: "s" an
/// index into the shared strings, "b" a boolean, "e" an error (left out), "str" and numbers
/// as written; "inlineStr" the text of its `<is>`. A formula's `<f>` is left out.
final class WorksheetRows: NSObject, XMLParserDelegate {
    private let shared: [String]
    private var lines: [String] = []
    private var row: [String] = []
    private var type: String?
    private var value = ""
    private var inValue = false
    private var inInline = false
    private var inText = false

    private init(shared: [String]) {
        self.shared = shared
    }

    static func lines(_ data: Data, shared: [String]) -> [String] {
        let delegate = WorksheetRows(shared: shared)
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        _ = parser.parse()
        return delegate.lines
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "row": row = []
        case "c":
            type = attributes["t"]
            value = ""
        case "v": inValue = true
        case "is": inInline = true
        case "t": inText = inInline
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v": inValue = false
        case "is": inInline = false
        case "t": inText = false
        case "c": row.append(cellText())
        case "row":
            if let line = SpreadsheetText.line(row) { lines.append(line) }
            row = []
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue || inText { value += string }
    }

    private func cellText() -> String {
        switch type {
        case "s":
            // An index out of range (a damaged file) is an empty cell, not a crash.
            guard let index = Int(value.trimmingCharacters(in: .whitespaces)), shared.indices.contains(index) else { return "" }
            return shared[index]
        case "b": return value == "1" ? "TRUE" : value == "0" ? "FALSE" : value
        case "e": return ""
        default: return value
        }
    }
}

/// OpenDocument spreadsheets: the `<table:table-row>`s of `content.xml`'s tables, a cell's
/// `<text:p>` paragraphs joined by spaces; title and date from `meta.xml`.
enum ODSExtractor {
    static func extract(_ path: String, limits: ExtractionLimits) throws(ExtractionError) -> DOCXExtractor.Result {
        let archive = try DOCXExtractor.openArchive(path, limits: limits)
        guard let content = archive["content.xml"] else { throw .invalidDocument("no content.xml in the archive") }
        let text = OpenDocumentRows.lines(try DOCXExtractor.read(content, from: archive, limit: limits.maxExpandedSize))
            .joined(separator: "\n")
        guard text.contains(where: { !$0.isWhitespace }) else { throw .noText }
        return DOCXExtractor.Result(text: text, properties: "meta.xml", of: archive)
    }
}

/// Rows of OpenDocument tables. `table:number-columns-repeated` and
/// `table:number-rows-repeated` say a cell or row stands for that many: a spreadsheet
/// application writes them for the empty rest of a sheet (1,048,576 rows), and a hostile
/// file may write them for text, so a repeated cell or row is taken at most
/// `maxRepeats` times.
final class OpenDocumentRows: NSObject, XMLParserDelegate {
    static let maxRepeats = 100
    private var lines: [String] = []
    private var row: [String] = []
    private var rowRepeats = 1
    private var cell: String?
    private var cellRepeats = 1
    private var paragraphs = 0
    private var inParagraph = 0
    private var annotation = 0
    private var spreadsheet = 0

    static func lines(_ data: Data) -> [String] {
        let delegate = OpenDocumentRows()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        _ = parser.parse()
        return delegate.lines
    }

    private static func repeats(_ attribute: String?) -> Int {
        min(max(Int(attribute ?? "1") ?? 1, 1), maxRepeats)
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "office:spreadsheet" { spreadsheet += 1 }
        // Comments on cells are not the table's text.
        if name == "office:annotation" { annotation += 1 }
        guard spreadsheet > 0, annotation == 0 else { return }
        switch name {
        case "table:table-row":
            row = []
            rowRepeats = Self.repeats(attributes["table:number-rows-repeated"])
        case "table:table-cell", "table:covered-table-cell":
            cell = ""
            paragraphs = 0
            cellRepeats = Self.repeats(attributes["table:number-columns-repeated"])
        case "text:p", "text:h":
            if cell != nil, paragraphs > 0 { cell! += " " }
            paragraphs += 1
            inParagraph += 1
        case "text:s": if inParagraph > 0 { cell? += " " }
        case "text:tab", "text:line-break": if inParagraph > 0 { cell? += " " }
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "office:annotation" {
            annotation -= 1
            return
        }
        if name == "office:spreadsheet" { spreadsheet -= 1 }
        guard spreadsheet > 0, annotation == 0 else { return }
        switch name {
        case "text:p", "text:h": inParagraph -= 1
        case "table:table-cell", "table:covered-table-cell":
            if let cell { row += Array(repeating: cell, count: cell.isEmpty ? 1 : cellRepeats) }
            cell = nil
        case "table:table-row":
            if let line = SpreadsheetText.line(row) { lines += Array(repeating: line, count: rowRepeats) }
            row = []
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if spreadsheet > 0, annotation == 0, inParagraph > 0 { cell? += string }
    }
}
