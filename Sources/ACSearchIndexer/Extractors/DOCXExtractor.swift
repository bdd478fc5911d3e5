import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Word documents: the text of `word/document.xml`, the title and creation date of
/// `docProps/core.xml`. Archives that would expand beyond the limits, or compress
/// more than any real document does, are refused before anything is expanded, and
/// expansion stops at the limit whatever the headers claimed.
enum DOCXExtractor {
    struct Result {
        var text: String
        var title: String?
        /// When the file was made (`dcterms:created`, `meta:creation-date`), often
        /// from a template years before: the text's own date wins over it in analysis.
        var created: String?
        /// The legacy encoding of runs whose font named one (.VnTime, VNI-Times), converted.
        var fontEncoding: LegacyEncoding? = nil

        /// The text, with the title and creation date of the archive's properties entry
        /// (`docProps/core.xml` of Office files, `meta.xml` of OpenDocument ones), when
        /// it has one that reads.
        init(text: String, properties entry: String, of archive: Archive) {
            self.text = text
            if let meta = archive[entry], let properties = try? DOCXExtractor.read(meta, from: archive, limit: 1_048_576) {
                let fields = CoreProperties.fields(properties)
                title = fields["title"].flatMap { $0.isEmpty ? nil : $0 }
                created = fields["created"].map { String($0.prefix(10)) }
            }
        }
    }

    static func extract(_ path: String, limits: ExtractionLimits) throws(ExtractionError) -> Result {
        let archive = try openArchive(path, limits: limits)
        guard let body = archive["word/document.xml"] else { throw .invalidDocument("no word/document.xml in the archive") }
        let xml = try read(body, from: archive, limit: limits.maxExpandedSize)
        let (text, fontEncoding) = WordText.read(xml)
        guard text.contains(where: { !$0.isWhitespace }) else { throw .noText }
        var result = Result(text: text, properties: "docProps/core.xml", of: archive)
        result.fontEncoding = fontEncoding
        return result
    }

    /// Opens a ZIP archive (DOCX, ODT) after checking its size, entry count, expanded
    /// size and compression ratios against the limits.
    static func openArchive(_ path: String, limits: ExtractionLimits) throws(ExtractionError) -> Archive {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > limits.maxFileSize { throw .tooLarge(bytes: size, limit: limits.maxFileSize) }
        if size == 0 { throw .empty }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .invalidDocument("not a ZIP archive (\(error))")
        }
        var total: UInt64 = 0
        var entries = 0
        for entry in archive {
            entries += 1
            total += entry.uncompressedSize
            if entries > 10_000 { throw .zipBomb("more than 10,000 entries") }
            if total > UInt64(limits.maxExpandedSize) {
                throw .zipBomb("it expands to more than \(limits.maxExpandedSize / 1_048_576) MiB")
            }
            if entry.compressedSize > 0, entry.uncompressedSize / entry.compressedSize > UInt64(limits.maxCompressionRatio) {
                throw .zipBomb("\(entry.path) is compressed \(entry.uncompressedSize / entry.compressedSize):1")
            }
        }
        return archive
    }

    static func read(_ entry: Entry, from archive: Archive, limit: Int) throws(ExtractionError) -> Data {
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if data.count > limit { throw ExtractionError.zipBomb("\(entry.path) expands past the limit") }
            }
        } catch let error as ExtractionError {
            throw error
        } catch {
            throw .invalidDocument("cannot expand \(entry.path): \(error)")
        }
        return data
    }
}

/// Collects the text of <w:t> runs, a line per <w:p> paragraph.
final class WordText: NSObject, XMLParserDelegate {
    private var output = ""
    private var inText = false
    /// Where the current run (`w:r`) began in `output`, and its font when it names one.
    private var runStart: String.Index? = nil
    private var runFont: String? = nil
    /// The encoding of the first run converted because of its font.
    private var converted: LegacyEncoding? = nil

    /// The text, and the legacy encoding of the runs its fonts said were in one.
    static func read(_ data: Data) -> (text: String, fontEncoding: LegacyEncoding?) {
        let delegate = WordText()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        _ = parser.parse()
        return (delegate.output, delegate.converted)
    }

    /// The encoding a font draws: TCVN3's fonts are named `.Vn…` (.VnTime, .VnArial,
    /// .VnTimeH), VNI's `VNI-…` (VNI-Times, VNI-Helve). Such a run's characters are the
    /// Windows-1252 ones the font draws Vietnamese over, whatever their number: the
    /// font says so, where the text alone needs two syllables to tell.
    static func legacyEncoding(ofFont name: String) -> LegacyEncoding? {
        if name.hasPrefix(".Vn") || name.hasPrefix(".vn") { return .tcvn3 }
        if name.uppercased().hasPrefix("VNI-") || name.uppercased().hasPrefix("VNI ") { return .vni }
        return nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "w:r":
            runStart = output.endIndex
            runFont = nil
        case "w:rFonts" where runStart != nil:
            runFont = attributes["w:ascii"] ?? attributes["w:hAnsi"] ?? attributes["w:cs"]
        case "w:t": inText = true
        case "w:tab": output += "\t"
        case "w:br": output += "\n"
        // A soft hyphen is ư in TCVN3: kept for `LegacyEncoding.convertingLegacyRuns`.
        case "w:softHyphen": output += "\u{AD}"
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "w:t" { inText = false }
        if name == "w:p" { output += "\n" }
        if name == "w:r" {
            defer { runStart = nil; runFont = nil }
            guard let start = runStart, let font = runFont, let encoding = WordText.legacyEncoding(ofFont: font),
                  start < output.endIndex, let bytes = Windows1252.bytes(output[start...]) else { return }
            output.replaceSubrange(start..., with: encoding.decode(bytes[...]))
            converted = converted ?? encoding
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { output += string }
    }
}

/// Reads dc:title and dcterms:created from docProps/core.xml.
final class CoreProperties: NSObject, XMLParserDelegate {
    private var fields: [String: String] = [:]
    private var current: String? = nil

    static func fields(_ data: Data) -> [String: String] {
        let delegate = CoreProperties()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        _ = parser.parse()
        return delegate.fields
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "dc:title": current = "title"
        case "dcterms:created", "meta:creation-date": current = "created"
        default: current = nil
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        current = nil
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current { fields[current, default: ""] += string }
    }
}

/// OpenDocument text: the paragraphs and headings of `content.xml`, the title and
/// creation date of `meta.xml`, under the same archive limits as a DOCX.
enum ODTExtractor {
    static func extract(_ path: String, limits: ExtractionLimits) throws(ExtractionError) -> DOCXExtractor.Result {
        let archive = try DOCXExtractor.openArchive(path, limits: limits)
        guard let content = archive["content.xml"] else { throw .invalidDocument("no content.xml in the archive") }
        let text = OpenDocumentText.paragraphs(try DOCXExtractor.read(content, from: archive, limit: limits.maxExpandedSize))
        guard text.contains(where: { !$0.isWhitespace }) else { throw .noText }
        return DOCXExtractor.Result(text: text, properties: "meta.xml", of: archive)
    }
}

/// Collects the text under <office:text>, a line per <text:p> or <text:h>;
/// <text:s> is spaces, <text:tab> a tab, <text:line-break> a line break.
final class OpenDocumentText: NSObject, XMLParserDelegate {
    private var output = ""
    private var depth = 0  // inside office:text (not styles or annotations' metadata)

    static func paragraphs(_ data: Data) -> String {
        let delegate = OpenDocumentText()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        _ = parser.parse()
        return delegate.output
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "office:text" { depth += 1 }
        guard depth > 0 else { return }
        switch name {
        case "text:s": output += String(repeating: " ", count: min(Int(attributes["text:c"] ?? "1") ?? 1, 100))
        case "text:tab": output += "\t"
        case "text:line-break": output += "\n"
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "office:text" { depth -= 1 }
        if depth > 0, name == "text:p" || name == "text:h" { output += "\n" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if depth > 0 { output += string }
    }
}
