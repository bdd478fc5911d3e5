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
        var states: [String: FileState] = [:]
        for key in try writer.metadataKeys(prefix: FileState.keyPrefix) {
            if let state = FileState(serialized: try writer.metadata(key)) { states[state.path] = state }
        }
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
            let kept = states.values.filter { SourceWalker.isInside($0.path, absolute) }.reduce(0) { $0 + $1.ids.count }
            return .init(path: folder.path, reason: folder.reason, keptDocuments: kept)
        }
        var work: [WorkItem] = []
        for file in walker.files {
            let previous = states[file.path]
            let skippedKey = SkippedState.key(for: file.path)
            if let known = SkippedState(serialized: try writer.metadata(skippedKey)),
               known.size == file.size, known.modified == file.modified {
                summary.skipped.append(.init(path: file.path, reason: known.reason, remembered: true))
                continue
            }
            if let previous, previous.size == file.size, previous.modified == file.modified {
                summary.unchanged += previous.ids.count
                continue
            }
            work.append(.file(file, previous: previous))
        }

        var pending = 0
        var queued = work[...]
        try process(total: work.count, summary: &summary, pending: &pending, started: started, progress: progress) { count in
            defer { queued = queued.dropFirst(count) }
            return Array(queued.prefix(count))
        }

        // Files that were indexed from these roots and are shown to be gone (or are
        // links that lead outside them), never those under a root or folder that
        // could not be read.
        let seen = Set(walker.files.map(\.path)).union(walker.skipped.map(\.path))
        let outside = Set(walker.linksOutside)
        for state in states.values.sorted(by: { $0.path < $1.path })
        where outside.contains(state.path) || (!seen.contains(state.path) && walker.isGone(state.path, root: state.root)) {
            guard options.deleteVanished else { continue }
            for id in state.ids {
                guard try writer.contains(id: id) else { continue }
                try writer.delete(id: id)
                summary.deleted += 1
                pending += 1
            }
            try writer.setMetadata("", forKey: FileState.key(for: state.path))
            try writer.setMetadata("", forKey: SkippedState.key(for: state.path))
        }
        for (root, device) in walker.devices where knownDevices[root] != device {
            try writer.setMetadata(String(device), forKey: RootState.key(for: root))
        }
        try finish(&summary)
        summary.documents = try writer.documentCount
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    // MARK: - Records on a stream

    /// Indexes JSON lines (one record each) read from a file handle, such as
    /// standard input; a bad line is reported with its number and the rest indexed.
    public func indexRecords(from handle: FileHandle, progress: (IndexProgress) -> Void = { _ in }) throws -> IndexSummary {
        var summary = IndexSummary()
        do {
            return try indexRecords(from: handle, into: &summary, progress: progress)
        } catch {
            throw IndexingFailure(committed: summary.committed, commits: summary.commits, underlying: error)
        }
    }

    private func indexRecords(from handle: FileHandle, into summary: inout IndexSummary,
                              progress: (IndexProgress) -> Void) throws -> IndexSummary {
        let started = Date()
        var pending = 0
        var lines = LineReader(handle)
        try process(total: 0, summary: &summary, pending: &pending, started: started, progress: progress) { count in
            var chunk: [WorkItem] = []
            while chunk.count < count, let (number, line) = try lines.next() {
                let text = String(decoding: line, as: UTF8.self).trimmingWhitespace
                if !text.isEmpty { chunk.append(.line(number, text)) }
            }
            return chunk
        }
        try finish(&summary)
        summary.documents = try writer.documentCount
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    // MARK: - The pipeline

    enum WorkItem {
        case file(SourceFile, previous: FileState?)
        case line(Int, String)
    }

    /// What building one work item produced, handed from a worker to the writer.
    enum Outcome {
        case documents(built: [BuiltDocument], errors: [(line: Int, error: ExtractionError)], state: FileState?,
                       previous: FileState?)
        case touched(FileState)
        case skipped(path: String, reason: String, size: Int, modified: Int64)
    }

    /// Writes the outcomes of work items in order while worker threads build the
    /// chunks after them, several chunks ahead, so that the workers keep busy while the
    /// writer writes and commits. `nextChunk(n)` gives up to n more items; none means
    /// the work is done. `total` is the number of items, or 0 if not known.
    private func process(total: Int, summary: inout IndexSummary, pending: inout Int, started: Date,
                         progress: (IndexProgress) -> Void, nextChunk: (Int) throws -> [WorkItem]) throws {
        let pool = PipelinePool(resources: resources, count: options.workers)
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
        var written = 0
        while !building.isEmpty {
            let outcomes = building.removeFirst().wait()
            try fill()
            for outcome in outcomes {
                try write(outcome, summary: &summary, pending: &pending, written: &written)
                done += 1
                progress(IndexProgress(itemsDone: done, itemsTotal: total, documentsWritten: written,
                                       elapsed: Date().timeIntervalSince(started)))
            }
        }
    }

    private func write(_ outcome: Outcome, summary: inout IndexSummary, pending: inout Int, written: inout Int) throws {
        switch outcome {
        case .touched(let state):
            try writer.setMetadata(state.serialized, forKey: FileState.key(for: state.path))
            summary.touched += 1
            summary.unchanged += state.ids.count
        case .skipped(let path, let reason, let size, let modified):
            summary.skipped.append(.init(path: path, reason: reason, remembered: false))
            if size >= 0 {
                try writer.setMetadata(SkippedState(size: size, modified: modified, reason: reason).serialized,
                                       forKey: SkippedState.key(for: path))
            }
        case .documents(let built, let errors, let state, let previous):
            for document in built {
                if try writer.contains(id: document.id) { summary.replaced += 1 } else { summary.added += 1 }
                try writer.write(document)
                if onCommit != nil { uncommittedIDs.append(document.id) }
                pending += 1
                written += 1
            }
            let source = state?.path ?? "stdin"
            for (line, error) in errors {
                summary.skipped.append(.init(path: "\(source):\(line)", reason: error.description, remembered: false))
            }
            if let state {
                for id in previous?.ids ?? [] where !state.ids.contains(id) {
                    guard try writer.contains(id: id) else { continue }
                    try writer.delete(id: id)
                    summary.deleted += 1
                    pending += 1
                }
                try writer.setMetadata(state.serialized, forKey: FileState.key(for: state.path))
                try writer.setMetadata("", forKey: SkippedState.key(for: state.path))
            }
        }
        if pending >= options.batchSize {
            try commit(&summary)
            pending = 0
        }
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
