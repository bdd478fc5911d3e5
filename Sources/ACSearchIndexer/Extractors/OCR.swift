import Foundation

/// How scanned PDFs are read when OCR is on (`acsearch-index --ocr`, `ACSEARCH_OCR=1`).
/// Off by default, as in Recoll: a page costs seconds where pdftotext costs milliseconds.
public struct OCRSettings: Sendable, Equatable {
    /// Tesseract's languages, together: Vietnamese documents quote English names and
    /// numbers, English ones Vietnamese names.
    public var languages = "vie+eng"
    /// Pages are rasterised at this resolution: tesseract reads body text best at 300 dpi.
    public var dpi = 300
    /// Pages read from one file, the first ones: a 300-page scanned annex would hold a
    /// worker for a quarter of an hour. The field `ocr` says when a file had more.
    public var maxPages = 20
    /// Seconds tesseract may spend on one page (rasterising one is held to the filters'
    /// `filterTimeoutSeconds`).
    public var pageTimeoutSeconds = 60
    /// Raster pages are cropped to this many pixels a side (A2's long side at 300 dpi):
    /// a page of 200 by 200 inches must not make an image of gigabytes.
    public var maxPagePixels = 7016
    /// Where recognised pages are kept by the PDF's SHA-256, so that a rerun, a renamed
    /// file or a rebuilt index does not recognise them again. Part of the indexer's
    /// state beside the index, never in it: the index is rebuilt from its sources.
    public var cacheDirectory: String

    public init(cacheDirectory: String) {
        self.cacheDirectory = cacheDirectory
    }

    /// The default cache: the folder `ocr-cache` beside the index folder (as the watch
    /// store is), `/var/lib/acsearch/ocr-cache` for the service.
    public static func cache(besideIndex path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().appendingPathComponent("ocr-cache").path
    }
}

/// What OCR did for one file: pages recognised by tesseract, pages taken from the cache.
struct OCRUsage: Sendable, Equatable {
    var recognised = 0
    var cached = 0
    /// The PDF's pages, of which the first `OCRSettings.maxPages` are read.
    var pages = 0
}

/// Scanned PDFs through tesseract: each page rasterised by poppler's `pdftoppm` (gray,
/// at `dpi`), then recognised, each step an `ExternalFilter` under its time and memory
/// limits; each page's text cached under the PDF's content hash.
enum OCR {
    /// The stored field that says a document's text was recognised, and how.
    static let field = "ocr"

    static func text(of path: String, settings: OCRSettings,
                     limits: ExtractionLimits) throws(ExtractionError) -> (text: String, usage: OCRUsage) {
        var usage = OCRUsage(pages: try pageCount(path, limits: limits))
        let wanted = min(usage.pages, settings.maxPages)
        guard wanted > 0 else { throw .noText }
        // The settings that change what tesseract makes of a page are part of the key.
        let folder = URL(fileURLWithPath: settings.cacheDirectory)
            .appendingPathComponent(try contentHash(path, limits: limits))
            .appendingPathComponent("\(settings.languages)-\(settings.dpi)dpi")
        var pages: [String] = []
        var scratch: URL?
        defer { if let scratch { try? FileManager.default.removeItem(at: scratch) } }
        for page in 1...wanted {
            let cached = folder.appendingPathComponent("page-\(page).txt")
            if let text = try? String(contentsOf: cached, encoding: .utf8) {
                pages.append(text)
                usage.cached += 1
                continue
            }
            if scratch == nil {
                // Checked once a file needs tesseract, so that cached files need neither it nor a writable cache.
                try Tesseract.check(settings.languages, limits: limits)
                do {
                    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                } catch {
                    throw .ocrUnavailable("cannot write the OCR cache \(settings.cacheDirectory): "
                                          + readableDescription(of: error))
                }
                let made = FileManager.default.temporaryDirectory.appendingPathComponent("acsearch-ocr-" + UUID().uuidString)
                do {
                    try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true)
                } catch {
                    throw .ocrUnavailable("cannot make a temporary folder: \(readableDescription(of: error))")
                }
                scratch = made
            }
            let text = try recognise(page: page, of: path, in: scratch!, settings: settings, limits: limits)
            do {
                // Atomically: a run killed while writing leaves no half page to be taken for a whole one.
                try Data(text.utf8).write(to: cached, options: .atomic)
            } catch {
                throw .ocrUnavailable("cannot write the OCR cache \(settings.cacheDirectory): \(readableDescription(of: error))")
            }
            pages.append(text)
            usage.recognised += 1
        }
        let text = pages.joined(separator: "\n")
        guard text.contains(where: { !$0.isWhitespace }) else { throw .noTextRecognised(pages: wanted) }
        return (text, usage)
    }

    /// What the field `ocr` says of a file.
    static func fieldValue(_ usage: OCRUsage, settings: OCRSettings) -> String {
        let read = min(usage.pages, settings.maxPages)
        let pages = read < usage.pages ? "the first \(read) of \(usage.pages) pages"
                                       : "\(read) page\(read == 1 ? "" : "s")"
        return "text recognised by tesseract (\(settings.languages), \(settings.dpi) dpi) from \(pages)"
    }

    /// The file's SHA-256 in hex, by coreutils' `sha256sum`: the cache's key, so that a
    /// renamed or copied file is not read again. Foundation on Linux has no hash, and a
    /// crypto package would compile BoringSSL into the indexer for one cache key.
    static func contentHash(_ path: String, limits: ExtractionLimits) throws(ExtractionError) -> String {
        let printed = String(decoding: try ExternalFilter.run("sha256sum", ["--", path], on: path, package: "coreutils",
                                                              limits: limits), as: UTF8.self)
        let hex = printed.prefix(while: { $0.isHexDigit })
        guard hex.count == 64 else { throw .filterFailed("sha256sum printed no hash") }
        return String(hex)
    }

    /// The page count, from `pdfinfo`'s "Pages:" line.
    static func pageCount(_ path: String, limits: ExtractionLimits) throws(ExtractionError) -> Int {
        let info = String(decoding: try ExternalFilter.run("pdfinfo", [path], on: path, package: "poppler-utils",
                                                           limits: limits), as: UTF8.self)
        for line in info.split(separator: "\n") where line.hasPrefix("Pages:") {
            if let count = Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) { return count }
        }
        throw .invalidDocument("pdfinfo gives no page count")
    }

    private static func recognise(page: Int, of path: String, in scratch: URL, settings: OCRSettings,
                                  limits: ExtractionLimits) throws(ExtractionError) -> String {
        let image = scratch.appendingPathComponent("page")
        // PGM, not PNG: tesseract reads it as fast, and nothing is spent compressing it.
        _ = try ExternalFilter.run("pdftoppm", ["-r", String(settings.dpi), "-gray", "-f", String(page), "-l", String(page),
                                                "-singlefile", "-x", "0", "-y", "0",
                                                "-W", String(settings.maxPagePixels), "-H", String(settings.maxPagePixels),
                                                path, image.path],
                                   on: path, package: "poppler-utils", limits: limits)
        let pgm = image.appendingPathExtension("pgm")
        defer { try? FileManager.default.removeItem(at: pgm) }
        let text: Data
        do {
            // One thread: the indexer already reads a file per core, and tesseract's
            // OpenMP threads fighting them made a page take seven times as long.
            text = try ExternalFilter.run("tesseract", [pgm.path, "stdout", "-l", settings.languages,
                                                        "--dpi", String(settings.dpi), "-c", "page_separator="],
                                          on: nil, package: "tesseract-ocr", limits: limits,
                                          timeoutSeconds: settings.pageTimeoutSeconds,
                                          environment: ["OMP_THREAD_LIMIT": "1"])
        } catch .filterFailed(let why) where why.hasSuffix(" s") {
            throw .filterFailed("\(why) on page \(page)")
        }
        return TextDecoding.unifyingLineBreaks(String(decoding: text, as: UTF8.self))
    }
}

/// Whether tesseract and its models for the languages asked for are installed: asked
/// once a run (`tesseract --list-langs`), and the answer kept for every file.
enum Tesseract {
    private final class Answer: @unchecked Sendable {
        // @unchecked: `checked` is only touched under `lock`.
        let lock = NSLock()
        var checked: [String: ExtractionError?] = [:]
    }
    private static let answer = Answer()

    static func check(_ languages: String, limits: ExtractionLimits) throws(ExtractionError) {
        let known: ExtractionError?? = answer.lock.withLock { answer.checked[languages] }
        let result: ExtractionError?
        if let known {
            result = known
        } else {
            result = problem(languages, limits: limits)
            answer.lock.withLock { answer.checked[languages] = result }
        }
        if let result { throw result }
    }

    private static func problem(_ languages: String, limits: ExtractionLimits) -> ExtractionError? {
        let listed: Data
        do {
            listed = try ExternalFilter.run("tesseract", ["--list-langs"], on: nil, package: "tesseract-ocr", limits: limits)
        } catch {
            return .ocrUnavailable(error.description)
        }
        // The first line names the folder; the others are the models, one a line.
        let installed = Set(String(decoding: listed, as: UTF8.self).split(separator: "\n").dropFirst()
            .map { $0.trimmingCharacters(in: .whitespaces) })
        let missing = languages.split(separator: "+").map(String.init).filter { !installed.contains($0) }
        guard missing.isEmpty else {
            return .ocrUnavailable("tesseract has no model for \(missing.joined(separator: ", ")) (install "
                                   + missing.map { "tesseract-ocr-\($0)" }.joined(separator: " ") + ")")
        }
        return nil
    }
}
