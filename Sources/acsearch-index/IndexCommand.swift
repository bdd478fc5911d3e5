import ACSearchAnalysis
import ACSearchIndex
import ACSearchIndexer
import ArgumentParser
import Foundation

@main
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acsearch-index",
        abstract: "Index directives, inspection conclusions and press items for acsearch.",
        discussion: """
        Reads folders and files (.txt .md .html .json .jsonl .pdf .doc .docx .odt .rtf .xlsx \
        .ods), or JSON lines on standard input with PATH "-"; text that is not UTF-8 is \
        converted from TCVN3, VNI, VISCII, Windows-1258 or Windows-1252 when it is one of them (docs/formats.md). It keeps \
        the index at --db in step with them: new and changed files are indexed, unchanged ones \
        skipped, vanished ones deleted. Bad files are reported and skipped; the rest is indexed. \
        Safe to interrupt at any time: run it again and it converges.

        EXIT STATUS
          0   done (files that could not be read are reported, and do not fail the run)
          1   the run could not do its job (the index could not be opened or written); what
              its commits wrote before the failure is kept, and the message says how much
          64  usage error, or an unsafe --db ('', /, a folder holding other files, a folder
              being indexed), refused before anything is written
          66  a root, or a folder under one, could not be read (missing, unreadable, or an
              empty mount point): its documents are kept, the rest was indexed
          75  another indexer is writing this index (use --wait to wait for it)

        Symbolic links are followed only to files and folders inside the paths given; a
        link that leads elsewhere is reported and not read.

        One id in two files (or two records) is a conflict, reported with both places: \
        the first path in sorted order (the first line) keeps the id, and the other file \
        takes it when the first is deleted or no longer has it. Records on standard input \
        replace a document of the same id, as a rerun does.

        A .jsonl file, and a .json file holding an array, is read record by record, \
        whatever its size: --max-file-size applies to each record (reported as path:N, \
        the Nth line or element).

        A PDF without a text layer (a scan) is reported unless OCR is on (--ocr, or \
        ACSEARCH_OCR=1 in the environment, as /etc/acsearch/index.env sets it for the \
        service): then its first 20 pages are rasterised at 300 dpi (pdftoppm) and read by \
        tesseract in Vietnamese and English, each page within 60 s, and the text of each page \
        is kept in the OCR cache by the PDF's SHA-256, so a rerun, a renamed file or a rebuilt \
        index reads it from there. Such documents carry the field ocr (acsearch show); the \
        --json summary counts ocr_pages and ocr_cached_pages. Tesseract or its vie and eng \
        models missing is reported for each scan, which is tried again on the next run.

        Manuals: man acsearch-index; the fields documents are searched by: man 7 acsearch.
        """)

    @Option(name: .long, help: ArgumentHelp("The index folder (created if missing). Repeat it to split the index into shards (folders, or tcp://host:port of xapian-tcpsrv --writable): each document goes to the shard its id hashes to.", valueName: "dir"))
    var db: [String]

    @Argument(help: ArgumentHelp("Folders and files to index, or - for JSON lines on standard input.", valueName: "path"))
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("Where the analysis data (gazetteer, glossary) lives.", valueName: "dir"))
    var data: String?

    @Flag(name: .long, help: "Wait for another indexer to finish instead of exiting with 75.")
    var wait = false

    @Flag(name: .long, help: "Keep the documents of files that vanished from the folders.")
    var noDelete = false

    @Flag(name: .long, help: "Print the summary as JSON on standard output (with its schema_version).")
    var json = false

    @Option(name: .long, help: "Documents per atomic commit.")
    var batchSize = 1000

    @Option(name: .long, help: "Threads reading and analysing documents (default: one per core).")
    var workers: Int?

    @Option(name: .long, help: """
        Writers of an index that does not exist yet: partial indexes written in parallel, \
        then compacted into it (default: one per core, at most 4; 1 writes it directly).
        """)
    var writers: Int?

    @Option(name: .long, help: ArgumentHelp("Skip files larger than this (for JSON lines and arrays, records larger than this).", valueName: "MiB"))
    var maxFileSize = 20

    @Option(name: .long, help: ArgumentHelp("The watch store: saved searches run over each commit's new documents "
                                            + "(default: the folder watches beside the first --db).", valueName: "dir"))
    var watches: String?

    @Option(name: .long, help: ArgumentHelp("A program run for each watch with new matches: NAME as its argument, "
                                            + "the matches as JSON lines on its standard input "
                                            + "(default: $ACSEARCH_WATCH_HOOK).", valueName: "path"))
    var watchHook: String?

    @Option(name: .long, help: ArgumentHelp("Seconds a watch hook may run before it is stopped.", valueName: "seconds"))
    var watchHookTimeout: Double = 30

    @Flag(name: .long, help: """
        Read PDFs without a text layer (scans) by OCR: tesseract, Vietnamese and English, at \
        most the first 20 pages of a file, each page's text cached (default: on if \
        $ACSEARCH_OCR is 1; off, as a page costs seconds).
        """)
    var ocr = false

    @Option(name: .long, help: ArgumentHelp("Where OCR keeps the text of each page it recognised, by the PDF's SHA-256 "
                                            + "(default: the folder ocr-cache beside the first --db).", valueName: "dir"))
    var ocrCache: String?

    /// `ACSEARCH_OCR` in the environment (the service's /etc/acsearch/index.env): the
    /// one key that turns OCR on, as --ocr does.
    static func ocrFromEnvironment() throws -> Bool {
        switch ProcessInfo.processInfo.environment["ACSEARCH_OCR"]?.lowercased() {
        case nil, "", "0", "no", "false", "off": return false
        case "1", "yes", "true", "on": return true
        case let value?: throw ValidationError("ACSEARCH_OCR is \"\(value)\"; use 1 (OCR on) or 0 (off)")
        }
    }

    /// The OCR cache: --ocr-cache, else beside the first local --db; nil when every
    /// shard is remote and none was given.
    var ocrCacheDirectory: String? {
        ocrCache ?? db.first(where: { !$0.hasPrefix("tcp://") }).map(OCRSettings.cache(besideIndex:))
    }

    func validate() throws {
        if db.isEmpty { throw ValidationError("--db is required") }
        if paths.contains("-") && paths.count > 1 { throw ValidationError("\"-\" (standard input) cannot be mixed with paths") }
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
        if let writers, writers < 1 { throw ValidationError("--writers must be at least 1") }
        if maxFileSize < 1 { throw ValidationError("--max-file-size must be at least 1 MiB") }
        if !(watchHookTimeout > 0) || !watchHookTimeout.isFinite {
            throw ValidationError("--watch-hook-timeout must be a number of seconds above 0")
        }
        if try ocr || Self.ocrFromEnvironment() {
            guard let cache = ocrCacheDirectory else {
                throw ValidationError("--ocr with remote shards only needs --ocr-cache DIR (a folder of this machine)")
            }
            // The index folder holds the index alone (IndexLocation): a cache inside it would make it refused.
            let absolute = URL(fileURLWithPath: cache).standardizedFileURL.path
            for shard in db where !shard.hasPrefix("tcp://") {
                let folder = URL(fileURLWithPath: shard).standardizedFileURL.path
                if absolute == folder || absolute.hasPrefix(folder + "/") {
                    throw ValidationError("--ocr-cache must not be inside the index folder \(shard)")
                }
            }
        }
        for shard in db {
            if let refusal = IndexLocation.refusal(of: shard, roots: paths == ["-"] ? [] : paths) {
                throw ValidationError(refusal)
            }
        }
    }

    func run() throws {
        let resources: AnalysisResources
        do {
            resources = try AnalysisResources.locate(explicit: data)
        } catch {
            fail("acsearch-index: \(error)", code: .failure)
        }
        var options = IndexerOptions(shards: db, roots: paths == ["-"] ? [] : paths)
        options.deleteVanished = !noDelete
        options.waitForLock = wait
        options.batchSize = batchSize
        if let workers { options.workers = workers }
        if let writers { options.writers = writers }
        options.limits.maxFileSize = maxFileSize * 1_048_576
        if (try? ocr || Self.ocrFromEnvironment()) == true, let cache = ocrCacheDirectory {
            options.limits.ocr = OCRSettings(cacheDirectory: cache)
        }

        let progress = ProgressLine(enabled: isatty(STDERR_FILENO) == 1 && !json)
        let summary: IndexSummary
        // Hooks still running are waited for before the process ends, however it ends.
        let delivery = watchDelivery(resources: resources)
        defer { delivery?.waitForHooks() }
        do {
            let indexer = try Indexer(options: options, resources: resources)
            indexer.onCommit = delivery.map { delivery in { delivery.committed($0) } }
            if paths == ["-"] {
                summary = try indexer.indexRecords(progress: progress.update)
            } else {
                summary = try indexer.indexFiles(progress: progress.update)
            }
        } catch IndexError.locked(let path) {
            progress.clear()
            delivery?.waitForHooks()
            fail("acsearch-index: another indexer is writing \(path); not indexing now (use --wait to wait)",
                 code: ExitCode(75))
        } catch {
            progress.clear()
            delivery?.waitForHooks()
            fail("acsearch-index: \(readableDescription(of: error))", code: .failure)
        }
        progress.clear()
        for skip in summary.skipped {
            standardError("skipped \(skip.path): \(skip.reason)\(skip.remembered ? " (unchanged since it was skipped)" : "")")
        }
        for conflict in summary.conflicts {
            standardError("conflict: id \"\(conflict.id)\" is in \(conflict.kept) and in \(conflict.notKept); the document of "
                          + "\(conflict.kept) is kept (the first in path and line order)")
        }
        for path in summary.unread {
            standardError("not read \(path): not a format acsearch-index reads")
        }
        for folder in summary.unavailable {
            standardError("unavailable \(folder.path): \(folder.reason); its \(folder.keptDocuments) documents in the "
                          + "index are kept, not deleted")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let data = try encoder.encode(summary)
            print(String(decoding: data, as: UTF8.self))
        } else {
            standardError("acsearch-index: " + summary.line)
        }
        if !summary.unavailable.isEmpty {
            delivery?.waitForHooks()
            fail("acsearch-index: \(summary.unavailable.count) of the paths could not be read; mount or fix them and run again",
                 code: ExitCode(66))
        }
    }

    /// Watches are run when the store holds any: a local index has one beside it by
    /// default; an index of remote shards only when --watches names it.
    func watchDelivery(resources: AnalysisResources) -> WatchDelivery? {
        let hook = watchHook ?? ProcessInfo.processInfo.environment["ACSEARCH_WATCH_HOOK"].flatMap { $0.isEmpty ? nil : $0 }
        guard let directory = watches ?? db.first(where: { !$0.hasPrefix("tcp://") }).map(WatchStore.beside(index:)) else {
            return nil
        }
        let store = WatchStore(directory: directory)
        if WatchDelivery.buildsANewIndex(db) {
            if let count = try? store.watches().count, count > 0 {
                standardError("acsearch-index: the index is built anew, so its documents are not reported to the \(count) "
                              + "watches in \(directory) as new; they are from the next run on")
            }
            return nil
        }
        return WatchDelivery(store: store, shards: db, resources: resources, hook: hook,
                             hookTimeout: watchHookTimeout) { standardError("acsearch-index: \($0)") }
    }

    func fail(_ message: String, code: ExitCode) -> Never {
        standardError(message)
        Foundation.exit(code.rawValue)
    }
}

func standardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// A progress line on a terminal, redrawn at most five times a second.
final class ProgressLine: @unchecked Sendable {
    // @unchecked: updated from the indexing thread only.
    private let enabled: Bool
    private var last = Date.distantPast
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ progress: IndexProgress) {
        guard enabled, Date().timeIntervalSince(last) > 0.2 || progress.itemsDone == progress.itemsTotal else { return }
        last = Date()
        let rate = progress.elapsed > 0 ? Double(progress.documentsWritten) / progress.elapsed : 0
        let left = rate > 0 && progress.itemsTotal > 0
            ? String(format: ", about %.0f s left", Double(progress.itemsTotal - progress.itemsDone) / max(rate, 0.001))
            : ""
        let total = progress.itemsTotal > 0 ? "/\(progress.itemsTotal)" : ""
        FileHandle.standardError.write(Data(String(format: "\r\u{1B}[Kindexing: %d%@ items, %d documents, %.0f documents/s%@",
                                                   progress.itemsDone, total, progress.documentsWritten, rate, left).utf8))
        shown = true
    }

    func clear() {
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shown = false
    }
}
