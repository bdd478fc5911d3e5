import ACSearchAPI
import ACSearchAnalysis
import Foundation
import XapianKit
#if canImport(Glibc)
import Glibc
#endif

/// A watch as the store keeps it: its definition and its unread matches.
public struct WatchState: Codable, Sendable, Equatable {
    public var watch: WatchDefinition
    public var created: String
    /// The `seq` the next match gets.
    public var nextSeq: Int
    public var readThrough: Int
    public var dropped: Int
    /// Unread matches, oldest first; read ones are let go.
    public var matches: [WatchMatch]

    public init(watch: WatchDefinition, created: String) {
        self.watch = watch
        self.created = created
        nextSeq = 1
        readThrough = 0
        dropped = 0
        matches = []
    }

    public var response: WatchResponse {
        WatchResponse(watch: watch, created: created, unread: matches.count, readThrough: readThrough, dropped: dropped)
    }

    enum CodingKeys: String, CodingKey {
        case watch, created, nextSeq = "next_seq", readThrough = "read_through", dropped, matches
    }
}

public struct WatchStoreError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Saved searches and their unread matches, in one JSON file in a folder beside the
/// index (not in it: the daemon reads the index read-only, and the index is rebuilt
/// from its sources while watches are kept). The daemon writes definitions and read
/// marks, the indexer matches; each change is made under an flock on the folder's
/// lock file and lands by rename, so a reader never sees half a file and no change
/// is lost to another process's.
public final class WatchStore: Sendable {
    public let directory: String
    /// Unread matches kept per watch; older ones are dropped (and counted) past it.
    public let maxUnread: Int

    public static let fileName = "watches.json"
    static let lockName = "watches.lock"
    static let formatVersion = 1

    public init(directory: String, maxUnread: Int = 10_000) {
        self.directory = directory
        self.maxUnread = maxUnread
    }

    /// The folder beside an index folder: `/var/lib/acsearch/index` → `/var/lib/acsearch/watches`.
    public static func beside(index path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        return url.deletingLastPathComponent().appendingPathComponent("watches").path
    }

    var file: String { (directory as NSString).appendingPathComponent(WatchStore.fileName) }

    struct Contents: Codable {
        var version: Int
        var watches: [WatchState]
    }

    /// Every watch, by name. No lock: files land whole, by rename.
    public func watches() throws -> [WatchState] {
        guard let data = FileManager.default.contents(atPath: file) else {
            if FileManager.default.fileExists(atPath: file) { throw WatchStoreError("cannot read \(file)") }
            return []
        }
        do {
            let contents = try JSONDecoder().decode(Contents.self, from: data)
            guard contents.version == WatchStore.formatVersion else {
                throw WatchStoreError("\(file) is of format \(contents.version); this acsearch reads \(WatchStore.formatVersion)")
            }
            return contents.watches
        } catch let error as WatchStoreError {
            throw error
        } catch {
            throw WatchStoreError("\(file) is not a watch store (\(error)); move it away to start afresh")
        }
    }

    public func watch(named name: String) throws -> WatchState? {
        try watches().first { $0.watch.name == name }
    }

    /// Changes the watches under the lock; written only if `body` changed them.
    @discardableResult
    public func update<T>(_ body: (inout [WatchState]) throws -> T) throws -> T {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o750])
        let lockPath = (directory as NSString).appendingPathComponent(WatchStore.lockName)
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard lock >= 0 else { throw WatchStoreError("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else { throw WatchStoreError("cannot lock \(lockPath): \(String(cString: strerror(errno)))") }
        }
        var watches = try self.watches()
        let before = watches
        let result = try body(&watches)
        if watches != before { try write(watches) }
        return result
    }

    private func write(_ watches: [WatchState]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Contents(version: WatchStore.formatVersion, watches: watches))
        let temporary = file + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o640]) else {
            throw WatchStoreError("cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        // On disk before it replaces the old file: a crash leaves one or the other.
        let descriptor = open(temporary, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        guard rename(temporary, file) == 0 else {
            throw WatchStoreError("cannot replace \(file): \(String(cString: strerror(errno)))")
        }
    }

    /// Records what a commit's documents matched: each watch's matches get the next
    /// seqs; a document already waiting unread in a watch is not listed twice.
    /// Returns the new matches by watch name (watches removed meanwhile are skipped).
    public func record(_ found: [String: [WatchMatch.Found]], at time: String) throws -> [String: [WatchMatch]] {
        guard found.values.contains(where: { !$0.isEmpty }) else { return [:] }
        return try update { watches in
            var added: [String: [WatchMatch]] = [:]
            for index in watches.indices {
                guard let documents = found[watches[index].watch.name], !documents.isEmpty else { continue }
                var state = watches[index]
                var waiting = Set(state.matches.map(\.id))
                for document in documents where waiting.insert(document.id).inserted {
                    let match = WatchMatch(seq: state.nextSeq, id: document.id, title: document.title, kind: document.kind,
                                           date: document.date, matchedAt: time)
                    state.nextSeq += 1
                    state.matches.append(match)
                    added[state.watch.name, default: []].append(match)
                }
                if state.matches.count > maxUnread {
                    let excess = state.matches.count - maxUnread
                    state.matches.removeFirst(excess)
                    state.dropped += excess
                }
                watches[index] = state
            }
            return added
        }
    }
}

extension WatchMatch {
    /// A document a watch matched, before the store numbers it.
    public struct Found: Sendable, Equatable {
        public let id: String
        public let title: String
        public let kind: String
        public let date: String?
    }
}

/// Runs every watch over the documents a commit added or replaced, and only those:
/// each watch's query (parsed as `/v1/search` parses it) filtered by the documents'
/// id terms, so the cost is that of the new documents, not of the index.
public final class WatchPercolator {
    public let store: WatchStore
    let shards: [Shard]
    let resources: AnalysisResources
    /// Ids per query: an OR of a few thousand id terms stays cheap.
    static let chunk = 1_000

    public init(store: WatchStore, shards: [Shard], resources: AnalysisResources) {
        self.store = store
        self.shards = shards
        self.resources = resources
    }

    /// One watch's outcome: its new matches, or why it could not be run.
    public struct Outcome {
        public var matches: [String: [WatchMatch]] = [:]
        /// Watches whose query failed (an index of another vocabulary, a bad filter): name → reason.
        public var failures: [String: String] = [:]
        /// How many watches were run.
        public var watches = 0
    }

    /// Percolates `ids` (documents now committed) through every watch and records the matches.
    public func percolate(ids: [String], now: Date = Date()) throws -> Outcome {
        var outcome = Outcome()
        let watches = try store.watches()
        guard !watches.isEmpty, !ids.isEmpty else { return outcome }
        outcome.watches = watches.count
        let searcher = try Searcher(shards: shards, resources: resources)
        var found: [String: [WatchMatch.Found]] = [:]
        for state in watches {
            do {
                found[state.watch.name] = try matches(of: state.watch, among: ids, searcher: searcher)
            } catch {
                outcome.failures[state.watch.name] = "\(error)"
            }
        }
        let formatter = ISO8601DateFormatter()
        outcome.matches = try store.record(found, at: formatter.string(from: now))
        return outcome
    }

    func matches(of watch: WatchDefinition, among ids: [String], searcher: Searcher) throws -> [WatchMatch.Found] {
        let prepared = try searcher.query(for: watch.request)
        var found: [WatchMatch.Found] = []
        var start = 0
        while start < ids.count {
            let slice = ids[start..<min(ids.count, start + WatchPercolator.chunk)]
            start += WatchPercolator.chunk
            let newDocuments = try Query.combine(.or, slice.map { try Query.term(Schema.term(Schema.Prefix.id, $0)) })
            let enquire = try Enquire(database: searcher.database)
            try enquire.setQuery(try Query.combine(.filter, [prepared.query, newDocuments]))
            let set = try enquire.matches(first: 0, maxItems: slice.count, checkAtLeast: 0)
            var byID: [String: WatchMatch.Found] = [:]
            for index in 0..<set.count {
                let (summary, _) = try StoredDocument.summary(try set.document(at: index).data())
                byID[summary.id] = WatchMatch.Found(id: summary.id, title: summary.title, kind: summary.kind, date: summary.date)
            }
            // In the commit's order, not by relevance: a feed reads in the order documents came.
            found += slice.compactMap { byID[$0] }
        }
        return found
    }
}

extension Searcher {
    /// Fails as the search would (a syntax error, an unknown filter value, a query past
    /// the budget) if the watch's search cannot run.
    public func check(watch: WatchDefinition) throws {
        _ = try query(for: watch.request)
    }
}
