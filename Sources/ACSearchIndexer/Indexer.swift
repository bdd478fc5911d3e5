import ACSearchAnalysis
import ACSearchIndex
import Dispatch
import Foundation
import XapianKit

public struct IndexerOptions: Sendable {
    /// The index: one folder, or its shards (folders or tcp://host:port of
    /// `xapian-tcpsrv --writable`); documents are routed by a hash of their id.
    public var shards: [String]
    public var databasePath: String { shards[0] }
    public var roots: [String]
    /// Delete the documents of files that have vanished from the roots.
    public var deleteVanished = true
    /// Wait for another indexer's lock instead of failing.
    public var waitForLock = false
    /// Documents per atomic commit.
    public var batchSize = 1000
    /// Threads that read and analyse in front of the writer.
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Writers of an index that does not exist yet: that many partial indexes, written
    /// in parallel and compacted into the index at the end (`PartialIndexes`); 1 writes
    /// it directly. An existing index always has one writer.
    public var writers = min(4, max(1, ProcessInfo.processInfo.activeProcessorCount))
    public var limits = ExtractionLimits()

    public init(databasePath: String, roots: [String] = []) {
        self.init(shards: [databasePath], roots: roots)
    }

    public init(shards: [String], roots: [String] = []) {
        self.shards = shards
        self.roots = roots
    }
}

/// Keeps an index in step with its sources, the way omindex or `notmuch new` do:
/// new and changed files are (re)indexed, unchanged ones skipped by size and time
/// (then content hash), vanished ones deleted, bad ones reported and remembered.
/// Commits are atomic batches that include the files' states, so a run killed at
/// any moment and run again converges to the same index.
public final class Indexer {
    public let options: IndexerOptions
    let resources: AnalysisResources
    let writer: IndexTarget
    /// Called with the ids of the documents each commit added or replaced, once they
    /// are in the index (watches percolate them: WatchDelivery.swift).
    public var onCommit: (([String]) -> Void)?
    private var uncommittedIDs: [String] = []

    public init(options: IndexerOptions, resources: AnalysisResources) throws {
        self.options = options
        self.resources = resources
        if options.writers > 1, options.shards.count == 1, PartialIndexes.canBuild(options.databasePath) {
            do {
                writer = try PartialIndexes(destination: options.databasePath, count: options.writers,
                                            resources: resources, waitForLock: options.waitForLock)
                return
            } catch let error as PartialIndexError where error == .builtMeanwhile {}
        }
        writer = try IndexWriter(shards: options.shards, resources: resources, waitForLock: options.waitForLock)
    }

    // MARK: - Files

    public func indexFiles(progress: (IndexProgress) -> Void = { _ in }) throws -> IndexSummary {
        var summary = IndexSummary()
        do {
            return try indexFiles(into: &summary, progress: progress)
        } catch {
            throw IndexingFailure(committed: summary.committed, commits: summary.commits, underlying: error)
        }
    }

    private func indexFiles(into summary: inout IndexSummary, progress: (IndexProgress) -> Void) throws -> IndexSummary {
        let started = Date()
        let ledger = Ledger()
        for key in try writer.metadataKeys(prefix: FileState.keyPrefix) {
            if let state = FileState(serialized: try writer.metadata(key)) { ledger.states[state.path] = state }
        }
        ledger.findOwners()
        var knownDevices: [String: UInt64] = [:]
        for root in options.roots.map(SourceWalker.absolute) {
            if let device = UInt64(try writer.metadata(RootState.key(for: root))) { knownDevices[root] = device }
        }
        let walker = SourceWalker(roots: options.roots, knownDevices: knownDevices)
        summary.unread = walker.unread
        summary.ignored = walker.unread.count
        summary.skipped = walker.skipped.map { .init(path: $0.path, reason: $0.reason, remembered: false) }
        summary.unavailable = walker.unavailable.map { folder in
            let absolute = SourceWalker.absolute(folder.path)
            let kept = ledger.states.values.filter { SourceWalker.isInside($0.path, absolute) }.reduce(0) { $0 + $1.ids.count }
            return .init(path: folder.path, reason: folder.reason, keptDocuments: kept)
        }

        // Files that were indexed from these roots and are shown to be gone (or are
        // links that lead outside them), never those under a root or folder that
        // could not be read. First, so that the ids they held are free for another
        // file that has the same id, in this run.
        let seen = Set(walker.files.map(\.path)).union(walker.skipped.map(\.path))
        let outside = Set(walker.linksOutside)
        for state in ledger.states.values.sorted(by: { $0.path < $1.path }) where options.deleteVanished
            && (outside.contains(state.path) || (!seen.contains(state.path) && walker.isGone(state.path, root: state.root))) {
            for id in state.ids where ledger.owners[id] == state.path {
                ledger.owners[id] = nil
                guard try writer.contains(id: id) else { continue }
                try writer.delete(id: id)
                summary.deleted += 1
            }
            ledger.states[state.path] = nil
            try writer.setMetadata("", forKey: FileState.key(for: state.path))
            try writer.setMetadata("", forKey: SkippedState.key(for: state.path))
        }

        var work: [Planned] = []
        for file in walker.files {
            let previous = ledger.states[file.path]
            if let known = SkippedState(serialized: try writer.metadata(SkippedState.key(for: file.path))),
               known.size == file.size, known.modified == file.modified, !isAScanToReadNow(file, skipped: known) {
                summary.skipped.append(.init(path: file.path, reason: known.reason, remembered: true))
                continue
            }
            if let previous, previous.size == file.size, previous.modified == file.modified {
                if ledger.mayTakeALostId(previous) {
                    work.append(Planned(file: file, knownHash: nil))
                    continue
                }
                summary.unchanged += previous.ids.count
                if !previous.path.utf8.elementsEqual(file.path.utf8) {
                    // Renamed to another normalisation of its name: the state follows it.
                    var renamed = previous
                    renamed.path = file.path
                    try store(renamed, ledger: ledger)
                }
                continue
            }
            work.append(Planned(file: file, knownHash: previous?.hash))
        }
        try process(work, ledger: ledger, summary: &summary, started: started, progress: progress)

        // A file whose id another file held until this run (the other deleted or
        // edited) takes it now: read again, though it has not changed.
        let done = Set(work.map(\.file.path))
        let again = walker.files.filter { file in
            !done.contains(file.path) && ledger.states[file.path].map(ledger.mayTakeALostId) == true
        }
        if !again.isEmpty {
            for file in again { summary.unchanged -= ledger.states[file.path]?.ids.count ?? 0 }
            try process(again.map { Planned(file: $0, knownHash: nil) }, ledger: ledger, summary: &summary,
                        started: started, progress: progress)
        }

        for (root, device) in walker.devices where knownDevices[root] != device {
            try writer.setMetadata(String(device), forKey: RootState.key(for: root))
        }
        try finish(&summary)
        summary.conflicts = ledger.conflicts()
        summary.documents = try writer.documentCount
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// A PDF skipped for want of text while OCR was off (or by an indexer without OCR,
    /// which said only "no text found") is read once OCR is on, changed or not.
    private func isAScanToReadNow(_ file: SourceFile, skipped: SkippedState) -> Bool {
        options.limits.ocr != nil && file.format == .pdf
            && [ExtractionError.scanWithoutOCR.description, ExtractionError.noText.description].contains(skipped.reason)
    }

    /// A file to read in this run; `knownHash`: its content when it was last read, if
    /// it may be unchanged but for its time.
    struct Planned {
        let file: SourceFile
        let knownHash: String?
    }

    private func process(_ planned: [Planned], ledger: Ledger, summary: inout IndexSummary, started: Date,
                         progress: (IndexProgress) -> Void) throws {
        let queue = WorkQueue(planned, limits: options.limits)
        try process(total: planned.count, ledger: ledger, summary: &summary, started: started, progress: progress,
                    nextChunk: queue.next)
    }

    // MARK: - Records on a stream

    /// Indexes JSON lines (one record each) read from a file descriptor, such as
    /// standard input; a bad line is reported with its number and the rest indexed.
    public func indexRecords(from descriptor: Int32 = STDIN_FILENO, progress: (IndexProgress) -> Void = { _ in })
        throws -> IndexSummary {
        var summary = IndexSummary()
        do {
            let started = Date()
            let queue = WorkQueue(standardInput: LineReader(descriptor: descriptor, maxLine: options.limits.maxFileSize))
            try process(total: 0, ledger: Ledger(), summary: &summary, started: started, progress: progress,
                        nextChunk: queue.next)
            try finish(&summary)
            summary.documents = try writer.documentCount
            summary.seconds = Date().timeIntervalSince(started)
            return summary
        } catch {
            throw IndexingFailure(committed: summary.committed, commits: summary.commits, underlying: error)
        }
    }

    // MARK: - The pipeline

    /// Records of one stream: a JSON lines file, or standard input (`file` nil).
    final class RecordStream: Sendable {
        let file: SourceFile?
        var source: String { file?.path ?? "stdin" }
        init(file: SourceFile?) { self.file = file }
    }

    enum WorkItem {
        /// A file of one document; `knownHash` as in `Planned`.
        case file(SourceFile, knownHash: String?)
        /// One line's JSON, blanks trimmed (decoded on the worker, not the writer's thread).
        case record(RecordStream, line: Int, json: [UInt8])
        case recordFailed(RecordStream, line: Int, ExtractionError)
        case endOfRecords(RecordStream, hash: String, bytes: Int)
        /// A record file whose content is what it was: only its time changed.
        case touched(SourceFile)
        case unreadable(path: String, reason: String)
    }

    /// What building one work item produced, handed from a worker to the writer.
    enum Outcome {
        case file(SourceFile, hash: String, built: [(line: Int?, document: BuiltDocument)],
                  errors: [(line: Int, error: ExtractionError)], ocr: OCRUsage?)
        case record(RecordStream, line: Int, BuiltDocument)
        case recordFailed(RecordStream, line: Int, ExtractionError)
        case endOfRecords(RecordStream, hash: String, bytes: Int)
        case touched(SourceFile)
        /// `remember`: the file, to skip until it changes; nil for a failure that may pass.
        case skipped(path: String, reason: String, remember: SourceFile?)
    }

    /// Writes the outcomes of work items in order while worker threads build the
    /// chunks after them, several chunks ahead, so that the workers keep busy while the
    /// writer writes and commits. `nextChunk(n)` gives up to n more items; none means
    /// the work is done. `total` is the number of files, or 0 if not known.
    private func process(total: Int, ledger: Ledger, summary: inout IndexSummary, started: Date,
                         progress: (IndexProgress) -> Void, nextChunk: (Int) throws -> [WorkItem]) throws {
        let pool = PipelinePool(resources: resources)
        let chunkSize = max(8, options.workers * 16)
        let ahead = max(2, options.workers * 2)
        var building: [Batch] = []
        var exhausted = false
        func fill() throws {
            while !exhausted, building.count < ahead {
                let chunk = try nextChunk(chunkSize)
                if chunk.isEmpty { exhausted = true } else { building.append(Batch(items: chunk, pool: pool, limits: options.limits)) }
            }
        }
        try fill()
        var done = 0
        var pending = 0
        var written = 0
        while !building.isEmpty {
            let outcomes = building.removeFirst().wait()
            try fill()
            for outcome in outcomes {
                let before = summary.added + summary.replaced + summary.deleted
                if try write(outcome, ledger: ledger, summary: &summary) { done += 1 }
                let changed = summary.added + summary.replaced + summary.deleted - before
                pending += changed
                if case .record = outcome { written += 1 } else if case .file = outcome { written += changed }
                if pending >= options.batchSize {
                    try commit(&summary)
                    pending = 0
                }
                progress(IndexProgress(itemsDone: total > 0 ? done : written, itemsTotal: total, documentsWritten: written,
                                       elapsed: Date().timeIntervalSince(started)))
            }
        }
    }

    /// Writes one outcome; says whether it finished a file.
    private func write(_ outcome: Outcome, ledger: Ledger, summary: inout IndexSummary) throws -> Bool {
        switch outcome {
        case .touched(let file):
            guard var state = ledger.states[file.path] else { return true }
            state.path = file.path
            state.size = file.size
            state.modified = file.modified
            try store(state, ledger: ledger)
            summary.touched += 1
            summary.unchanged += state.ids.count
            return true
        case .skipped(let path, let reason, let remember):
            summary.skipped.append(.init(path: path, reason: reason, remembered: false))
            if let file = remember {
                try writer.setMetadata(SkippedState(size: file.size, modified: file.modified, reason: reason).serialized,
                                       forKey: SkippedState.key(for: path))
            }
            return true
        case .file(let file, let hash, let built, let errors, let ocr):
            if let ocr {
                summary.ocrPages += ocr.recognised
                summary.ocrCachedPages += ocr.cached
            }
            var open = Ledger.OpenFile(file: file)
            for (line, document) in built {
                try claim(document, place: line.map { "\(file.path):\($0)" } ?? file.path, into: &open, ledger: ledger,
                          summary: &summary)
            }
            for (line, error) in errors { open.failed(line: line, error, summary: &summary) }
            try close(open, hash: hash, ledger: ledger, summary: &summary)
            return true
        case .record(let stream, let line, let document):
            guard let file = stream.file else {
                try write(document, summary: &summary)
                return false
            }
            if ledger.open?.file.path != file.path { ledger.open = Ledger.OpenFile(file: file) }
            try claim(document, place: "\(file.path):\(line)", into: &ledger.open!, ledger: ledger, summary: &summary)
            return false
        case .recordFailed(let stream, let line, let error):
            guard let file = stream.file else {
                summary.skipped.append(.init(path: "stdin:\(line)", reason: error.description, remembered: false))
                return false
            }
            if ledger.open?.file.path != file.path { ledger.open = Ledger.OpenFile(file: file) }
            ledger.open!.failed(line: line, error, summary: &summary)
            return false
        case .endOfRecords(let stream, let hash, let bytes):
            guard let file = stream.file else { return false }
            let open = ledger.open?.file.path == file.path ? ledger.open! : Ledger.OpenFile(file: file)
            ledger.open = nil
            if open.places.isEmpty, let first = open.firstFailure {
                // Nothing in it could be read: skipped as a whole, what it gave before kept.
                _ = try write(.skipped(path: file.path, reason: "no valid record (line \(first.line): \(first.error))",
                                   remember: file), ledger: ledger, summary: &summary)
            } else if bytes == 0 {
                _ = try write(.skipped(path: file.path, reason: ExtractionError.empty.description, remember: file),
                          ledger: ledger, summary: &summary)
            } else {
                try close(open, hash: hash, ledger: ledger, summary: &summary)
            }
            return true
        }
    }

    private func write(_ document: BuiltDocument, summary: inout IndexSummary) throws {
        if try writer.contains(id: document.id) { summary.replaced += 1 } else { summary.added += 1 }
        try writer.write(document)
        if onCommit != nil { uncommittedIDs.append(document.id) }
    }

    /// Writes a document of a file unless another file, earlier in path order, has its
    /// id (or a record earlier in the same file has): the first path in sorted order
    /// wins, whatever order the files came in, and the other file remembers the id it
    /// lost, to take it once the winner lets it go.
    private func claim(_ document: BuiltDocument, place: String, into open: inout Ledger.OpenFile, ledger: Ledger,
                       summary: inout IndexSummary) throws {
        let id = document.id, path = open.file.path
        if let earlier = open.places[id] {
            ledger.recordConflicts.append(.init(id: id, kept: earlier, notKept: place))
            return
        }
        open.places[id] = place
        if let owner = ledger.owners[id], owner != path {
            if owner < path {
                open.lost.append(id)
                return
            }
            if var other = ledger.states[owner] {
                other.ids.removeAll { $0 == id }
                other.lost.append(id)
                ledger.states[owner] = other
                try writer.setMetadata(other.serialized, forKey: FileState.key(for: owner))
            }
        }
        try write(document, summary: &summary)
        ledger.owners[id] = path
        open.ids.append(id)
    }

    /// The end of a file: the ids it no longer has are deleted (unless another file
    /// has taken them), and its state is written with its documents.
    private func close(_ open: Ledger.OpenFile, hash: String, ledger: Ledger, summary: inout IndexSummary) throws {
        let file = open.file
        if let previous = ledger.states[file.path] {
            let kept = Set(open.ids)
            for id in previous.ids where !kept.contains(id) && ledger.owners[id] == file.path {
                ledger.owners[id] = nil
                guard try writer.contains(id: id) else { continue }
                try writer.delete(id: id)
                summary.deleted += 1
            }
        }
        let state = FileState(path: file.path, root: file.root, size: file.size, modified: file.modified, hash: hash,
                              ids: open.ids, lost: open.lost)
        try store(state, ledger: ledger)
        try writer.setMetadata("", forKey: SkippedState.key(for: state.path))
    }

    /// Swift's String equality is canonical: a file renamed from NFD to NFC finds its
    /// old state as its own, whose key (the path's bytes) differs and would stay behind.
    private func store(_ state: FileState, ledger: Ledger) throws {
        if let previous = ledger.states[state.path], !previous.path.utf8.elementsEqual(state.path.utf8) {
            try writer.setMetadata("", forKey: FileState.key(for: previous.path))
        }
        ledger.states[state.path] = state
        try writer.setMetadata(state.serialized, forKey: FileState.key(for: state.path))
    }

    /// Every commit is a point the index can be rolled back to at worst: what it
    /// holds is what a failed run reports as kept.
    private func commit(_ summary: inout IndexSummary) throws {
        try writer.commit()
        guard writer.commitsAreInTheIndex else { return }
        summary.commits += 1
        summary.committed = summary.added + summary.replaced
        announceCommit()
    }

    private func announceCommit() {
        guard let onCommit, !uncommittedIDs.isEmpty else { return }
        onCommit(uncommittedIDs)
        uncommittedIDs = []
    }

    /// The last commit of a run, then whatever makes the run's work the index.
    private func finish(_ summary: inout IndexSummary) throws {
        try commit(&summary)
        guard !writer.commitsAreInTheIndex else { return }
        try writer.finish()
        summary.commits += 1
        summary.committed = summary.added + summary.replaced
        announceCommit()
    }
}

/// Which file holds each id, as the writer goes: the files' states as the index has
/// them, and the file being written.
final class Ledger {
    var states: [String: FileState] = [:]
    /// The file whose document has each id.
    var owners: [String: String] = [:]
    var open: OpenFile?
    /// Two records of one file with one id, met in this run.
    var recordConflicts: [IndexSummary.Conflict] = []

    /// A file being written: what it has claimed so far.
    struct OpenFile {
        let file: SourceFile
        var ids: [String] = []
        var lost: [String] = []
        /// Where each id was met in this file (path:line).
        var places: [String: String] = [:]
        var failures = 0
        var firstFailure: (line: Int, error: ExtractionError)?
        /// Bad lines reported one by one, per file; past this, counted.
        static let reportedFailures = 100

        init(file: SourceFile) { self.file = file }

        mutating func failed(line: Int, _ error: ExtractionError, summary: inout IndexSummary) {
            if firstFailure == nil { firstFailure = (line, error) }
            failures += 1
            if failures <= OpenFile.reportedFailures {
                summary.skipped.append(.init(path: "\(file.path):\(line)", reason: error.description, remembered: false))
            } else if failures == OpenFile.reportedFailures + 1 {
                summary.skipped.append(.init(path: "\(file.path):\(line)", reason: "\(error.description) (and every bad "
                    + "line after it; only the first \(OpenFile.reportedFailures) are listed)", remembered: false))
            }
        }
    }

    func findOwners() {
        // An id claimed by two states (an index written before conflicts were kept
        // apart) goes to the first path, as it would now.
        for state in states.values.sorted(by: { $0.path > $1.path }) {
            for id in state.ids { owners[id] = state.path }
        }
    }

    /// Whether a file lost an id to another that no longer has it.
    func mayTakeALostId(_ state: FileState) -> Bool {
        state.lost.contains { owners[$0] == nil }
    }

    /// The conflicts in force: every id a file has lost to another, and those met
    /// inside files in this run.
    func conflicts() -> [IndexSummary.Conflict] {
        var found = recordConflicts
        for state in states.values {
            for id in state.lost {
                if let owner = owners[id] { found.append(.init(id: id, kept: owner, notKept: state.path)) }
            }
        }
        return found.sorted { ($0.id, $0.notKept) < ($1.id, $1.notKept) }
    }
}

/// Hands out the work of a run in chunks: files of one document as one item each, a
/// JSON lines file (or standard input) record by record, read as the chunks are
/// asked for, so that memory holds the chunks in flight and never a whole file.
final class WorkQueue {
    private var planned: ArraySlice<Indexer.Planned>
    private var stream: (Indexer.RecordStream, LineReader)?
    private let limits: ExtractionLimits

    init(_ planned: [Indexer.Planned], limits: ExtractionLimits) {
        self.planned = planned[...]
        self.limits = limits
    }

    init(standardInput reader: LineReader) {
        planned = []
        limits = ExtractionLimits()
        stream = (Indexer.RecordStream(file: nil), reader)
    }

    /// Bytes of input one chunk may take, beyond its first item: with the chunks in
    /// flight, what bounds the indexer's memory when files are large (a chunk of 32
    /// text files of 20 MiB would hold 640 MiB before analysis).
    static let chunkBytes = 16 << 20
    private var chunkBytes = 0

    func next(_ count: Int) throws -> [Indexer.WorkItem] {
        var chunk: [Indexer.WorkItem] = []
        chunkBytes = 0
        while chunk.count < count, chunkBytes < WorkQueue.chunkBytes {
            if let (records, reader) = stream {
                try read(from: records, reader, into: &chunk, count: count)
                continue
            }
            guard let next = planned.popFirst() else { break }
            let file = next.file
            do throws(ExtractionError) {
                // Record files are streams; UTF-16 and UTF-32 ones are decoded whole,
                // under the size limit, as files of one document are.
                let head = file.format == .jsonLines || file.format == .json ? try WorkQueue.head(of: file.path) : []
                let framing: LineReader.Framing
                if file.format == .jsonLines, !TextDecoding.hasWideBOM(head) {
                    framing = .lines
                } else if file.format == .json, WorkQueue.startsAnArray(head) {
                    framing = .jsonArray
                } else {
                    chunk.append(.file(file, knownHash: next.knownHash))
                    chunkBytes += file.size
                    continue
                }
                if let known = next.knownHash, try WorkQueue.hash(of: file.path) == known {
                    chunk.append(.touched(file))
                    continue
                }
                stream = (Indexer.RecordStream(file: file),
                          try LineReader(path: file.path, maxLine: limits.maxFileSize, framing: framing))
            } catch {
                chunk.append(.unreadable(path: file.path, reason: "cannot read the file: \(error)"))
            }
        }
        return chunk
    }

    private func read(from records: Indexer.RecordStream, _ reader: LineReader, into chunk: inout [Indexer.WorkItem],
                      count: Int) throws {
        var reader = reader
        defer { if stream != nil { stream = (records, reader) } }
        while chunk.count < count, chunkBytes < WorkQueue.chunkBytes {
            let line: LineReader.Line?
            do {
                line = try reader.next()
            } catch {
                // A read error mid-file: what was read is indexed, and the file is not
                // closed, so that its state (and the ids past this point) stay as they
                // were until a run reads it whole.
                reader.close()
                chunk.append(.unreadable(path: records.source, reason: "cannot read the file: \(error)"))
                stream = nil
                return
            }
            switch line {
            case .text(let number, var bytes)?:
                if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
                let record = WorkQueue.trimmed(bytes)
                if !record.isEmpty {
                    chunk.append(.record(records, line: number, json: Array(record)))
                    chunkBytes += record.count
                }
            case .tooLong(let number, let bytes)?:
                chunk.append(.recordFailed(records, line: number, .tooLarge(bytes: bytes, limit: reader.maxLine)))
            case nil:
                reader.close()
                chunk.append(.endOfRecords(records, hash: reader.hashHex, bytes: reader.bytesRead))
                stream = nil
                return
            }
        }
    }

    /// Without the ASCII blanks around it (JSON's whitespace).
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        func blank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }
        // Over the buffer's memory: a line may be megabytes of blanks.
        let (first, end) = bytes.withUnsafeBufferPointer { buffer -> (Int, Int) in
            var first = 0, end = buffer.count
            while first < end, blank(buffer[first]) { first += 1 }
            while end > first, blank(buffer[end - 1]) { end -= 1 }
            return (first, end)
        }
        return bytes[(bytes.startIndex + first)..<(bytes.startIndex + end)]
    }

    /// The first bytes of a file: enough for a BOM, and for the "[" of a JSON array
    /// after blanks.
    static func head(of path: String) throws(ExtractionError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable("cannot open it") }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: 64 << 10)) ?? Data())
    }

    /// Whether JSON (UTF-8, perhaps after a BOM) begins with an array: its elements
    /// are records, read one by one.
    static func startsAnArray(_ head: [UInt8]) -> Bool {
        let text = head.starts(with: [0xEF, 0xBB, 0xBF]) ? head.dropFirst(3) : head[...]
        return text.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "[")
    }

    /// The content hash of a file, read in blocks (the hash `LineReader` keeps).
    static func hash(of path: String) throws(ExtractionError) -> String {
        var reader = try LineReader(path: path, maxLine: 0)
        defer { reader.close() }
        try reader.drain()
        return reader.hashHex
    }
}
