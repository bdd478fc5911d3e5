import ACSearchAPI
import ACSearchAnalysis
import Foundation
import XapianKit
#if canImport(Glibc)
import Glibc
#endif

/// A watch as the store keeps it: its definition and where its reader is. Its
/// matches are in a log of their own (`WatchStore.unread`).
public struct WatchState: Codable, Sendable, Equatable {
    public var watch: WatchDefinition
    public var created: String
    /// The `seq` the next match gets.
    public var nextSeq: Int
    public var readThrough: Int
    public var dropped: Int

    public init(watch: WatchDefinition, created: String) {
        self.watch = watch
        self.created = created
        nextSeq = 1
        readThrough = 0
        dropped = 0
    }

    public func response(unread: Int) -> WatchResponse {
        WatchResponse(watch: watch, created: created, unread: unread, readThrough: readThrough, dropped: dropped)
    }

    enum CodingKeys: String, CodingKey {
        case watch, created, nextSeq = "next_seq", readThrough = "read_through", dropped
    }
}

public struct WatchStoreError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Saved searches and their matches, in a folder beside the index (not in it: the
/// daemon reads the index read-only, and the index is rebuilt from its sources while
/// watches are kept): the definitions and read marks in `watches.json`, each watch's
/// matches appended to `NAME.matches.jsonl`, so that a commit's matches cost what they
/// are, not what is waiting unread. The daemon writes definitions and read marks, the
/// indexer matches; each change is made under an flock on the folder's lock file, and
/// the definitions land by rename, so a reader never sees half of them.
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

    /// A watch's match log (names are checked to be plain file names: WatchDefinition.check).
    func log(_ name: String) -> String { (directory as NSString).appendingPathComponent(name + ".matches.jsonl") }

    struct Contents: Codable {
        var version: Int
        var watches: [WatchState]
    }

    /// Every watch, by name. No lock: the file lands whole, by rename.
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

    /// A watch's unread matches, oldest first; a document matched again before it was
    /// read is listed once, at its latest match. A line cut short by a crash is skipped.
    public func unread(_ state: WatchState) throws -> [WatchMatch] {
        let all = try logged(state.watch.name).filter { $0.seq > state.readThrough }
        var latest: [String: Int] = [:]
        for match in all { latest[match.id] = match.seq }
        return all.filter { latest[$0.id] == $0.seq }
    }

    /// A watch as the API shows it, with its unread count.
    public func response(_ state: WatchState) throws -> WatchResponse {
        state.response(unread: try unread(state).count)
    }

    private func logged(_ name: String) throws -> [WatchMatch] {
        guard let data = FileManager.default.contents(atPath: log(name)) else { return [] }
        let decoder = JSONDecoder()
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(WatchMatch.self, from: Data($0)) }
    }

    /// Changes the definitions under the lock; written only if `body` changed them.
    @discardableResult
    public func update<T>(_ body: (inout [WatchState]) throws -> T) throws -> T {
        try locked {
            var watches = try self.watches()
            let before = watches
            let result = try body(&watches)
            if watches != before { try write(watches) }
            // A removed watch's log goes with it; a watch read through its end, its read lines.
            for state in before where !watches.contains(where: { $0.watch.name == state.watch.name }) {
                try? FileManager.default.removeItem(atPath: log(state.watch.name))
            }
            for state in watches {
                if let old = before.first(where: { $0.watch.name == state.watch.name }), old.readThrough < state.readThrough {
                    try compact(state)
                }
            }
            return result
        }
    }

    private func locked<T>(_ body: () throws -> T) throws -> T {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o750])
        let lockPath = (directory as NSString).appendingPathComponent(WatchStore.lockName)
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard lock >= 0 else { throw WatchStoreError("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else { throw WatchStoreError("cannot lock \(lockPath): \(String(cString: strerror(errno)))") }
        }
        return try body()
    }

    private func write(_ watches: [WatchState]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try replace(file, with: try encoder.encode(Contents(version: WatchStore.formatVersion, watches: watches)))
    }

    /// Writes a file whole: on disk before it replaces the old one, so a crash leaves one or the other.
    private func replace(_ path: String, with data: Data) throws {
        let temporary = path + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o640]) else {
            throw WatchStoreError("cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        let descriptor = open(temporary, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        guard rename(temporary, path) == 0 else {
            throw WatchStoreError("cannot replace \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Keeps only a watch's unread lines (after it was read, or when too many wait).
    private func compact(_ state: WatchState) throws {
        let unread = try logged(state.watch.name).filter { $0.seq > state.readThrough }
        if unread.isEmpty {
            try? FileManager.default.removeItem(atPath: log(state.watch.name))
        } else {
            try replace(log(state.watch.name), with: try WatchStore.lines(unread))
        }
    }

    static func lines(_ matches: [WatchMatch]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for match in matches {
            data.append(try encoder.encode(match))
            data.append(0x0A)
        }
        return data
    }

    /// Records what a commit's documents matched: each watch's matches get the next
    /// seqs and are appended to its log. Returns the new matches by watch name
    /// (watches removed meanwhile are skipped).
    public func record(_ found: [String: [WatchMatch.Found]], at time: String) throws -> [String: [WatchMatch]] {
        guard found.values.contains(where: { !$0.isEmpty }) else { return [:] }
        return try locked {
            var watches = try self.watches()
            var added: [String: [WatchMatch]] = [:]
            for index in watches.indices {
                guard let documents = found[watches[index].watch.name], !documents.isEmpty else { continue }
                var matches: [WatchMatch] = []
                for document in documents {
                    matches.append(WatchMatch(seq: watches[index].nextSeq, id: document.id, title: document.title,
                                              kind: document.kind, date: document.date, matchedAt: time))
                    watches[index].nextSeq += 1
                }
                added[watches[index].watch.name] = matches
            }
            // The seqs are taken before the lines are written: a crash between leaves a
            // gap in them, never a seq given twice.
            try write(watches)
            for (index, state) in watches.enumerated() {
                guard let matches = added[state.watch.name] else { continue }
                try append(matches, to: log(state.watch.name))
                // Past the limit, the oldest unread are let go (by compaction, at twice the
                // limit, so that a busy watch is not rewritten at every commit).
                guard state.nextSeq - 1 - state.readThrough > 2 * maxUnread else { continue }
                let unread = try logged(state.watch.name).filter { $0.seq > state.readThrough }
                guard unread.count > maxUnread else { continue }
                let excess = unread.count - maxUnread
                watches[index].dropped += excess
                watches[index].readThrough = unread[excess - 1].seq
                try write(watches)
                try compact(watches[index])
            }
            return added
        }
    }

    private func append(_ matches: [WatchMatch], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw WatchStoreError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var data = try WatchStore.lines(matches)
        // After a line a crash cut short, on a line of its own.
        var info = stat()
        var last: UInt8 = 0x0A
        if fstat(descriptor, &info) == 0, info.st_size > 0 {
            let reader = open(path, O_RDONLY | O_CLOEXEC)
            if reader >= 0 {
                _ = pread(reader, &last, 1, off_t(info.st_size - 1))
                close(reader)
            }
        }
        if last != 0x0A { data.insert(0x0A, at: data.startIndex) }
        let written = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count else { throw WatchStoreError("cannot write \(path): \(String(cString: strerror(errno)))") }
        fsync(descriptor)
    }
}

extension WatchMatch {
    /// A document a watch matched, before the store numbers it.
    public struct Found: Sendable, Equatable {
        public let id: String
        public let title: String
        public let kind: String
        public let date: String?

        public init(id: String, title: String, kind: String, date: String?) {
            self.id = id
            self.title = title
            self.kind = kind
            self.date = date
        }
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
        let filters = try filters(for: ids, in: searcher.database)
        for state in watches {
            do {
                found[state.watch.name] = try matches(of: state.watch, among: filters, searcher: searcher)
            } catch {
                outcome.failures[state.watch.name] = "\(error)"
            }
        }
        let formatter = ISO8601DateFormatter()
        outcome.matches = try store.record(found, at: formatter.string(from: now))
        return outcome
    }

    /// The new documents, a chunk of ids at a time, as filters; made once per commit.
    /// One local database: by their document numbers, found once per commit, as a set
    /// the match walks without opening a posting list per document and per watch (as
    /// an OR of their id terms does, which shards still use: a set's document numbers
    /// would be wrong in each shard).
    func filters(for ids: [String], in database: Database) throws -> [(ids: ArraySlice<String>, query: Query)] {
        let oneDatabase = shards.count == 1 && { if case .local = shards[0] { true } else { false } }()
        return try stride(from: 0, to: ids.count, by: WatchPercolator.chunk).map { start in
            ids[start..<min(ids.count, start + WatchPercolator.chunk)]
        }.map { slice in
            if oneDatabase {
                let numbers = try slice.compactMap { try database.documentID(withTerm: Schema.term(Schema.Prefix.id, $0)) }
                return (slice, try Query.documents(numbers))
            }
            return (slice, try Query.combine(.or, slice.map { try Query.term(Schema.term(Schema.Prefix.id, $0)) }))
        }
    }

    func matches(of watch: WatchDefinition, among filters: [(ids: ArraySlice<String>, query: Query)],
                 searcher: Searcher) throws -> [WatchMatch.Found] {
        let prepared = try searcher.query(for: watch.request)
        var found: [WatchMatch.Found] = []
        for (slice, newDocuments) in filters {
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
