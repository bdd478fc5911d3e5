internal import CXapian

/// Where a shard of an index lives.
public enum Shard: Sendable, Hashable, CustomStringConvertible {
    case local(path: String)
    /// A database served by `xapian-tcpsrv`; timeouts in milliseconds (0: none).
    case remote(host: String, port: UInt16, timeoutMilliseconds: UInt32 = 10_000,
                connectTimeoutMilliseconds: UInt32 = 2_000)

    public var description: String {
        switch self {
        case .local(let path): return path
        case .remote(let host, let port, _, _): return "tcp://\(host):\(port)"
        }
    }
}

/// Read-only access to an index: one local database, or several shards (local or
/// remote) searched as one with a single ranking.
///
/// Not thread-safe, and deliberately not `Sendable`: each thread that searches opens
/// its own `Database` (opening is cheap; Xapian shares the OS page cache), or a pool
/// lends one reader to one task at a time. A reader sees the revision it opened
/// until `reopen()`; when the writer has moved on far enough, calls fail with
/// `.modified`: reopen and retry.
public final class Database {
    let handle: OpaquePointer
    /// Keeps a writer alive when this is a view of it.
    private let owner: AnyObject?

    /// Opens a local database read-only.
    public convenience init(path: String) throws(XapianError) {
        try self.init(shards: [.local(path: path)])
    }

    /// Opens and combines shards. Fails if any shard cannot be opened.
    public init(shards: [Shard]) throws(XapianError) {
        try checkShim()
        var out: OpaquePointer? = nil
        if shards.count == 1, case .local(let path) = shards[0] {
            try call("open database \(path)") { cx_database_open(path, &out, $0) }
            handle = out!
        } else {
            try call("create database") { cx_database_new(&out, $0) }
            handle = out!
            for shard in shards {
                do {
                    try Database.add(shard, to: handle)
                } catch {
                    cx_database_destroy(handle)
                    throw error
                }
            }
        }
        owner = nil
    }

    init(handle: OpaquePointer, owner: AnyObject?) {
        self.handle = handle
        self.owner = owner
    }

    /// Searches already-open databases as one (each keeps its own connection).
    public init(combining parts: [Database]) throws(XapianError) {
        try checkShim()
        var out: OpaquePointer? = nil
        try call("create database") { cx_database_new(&out, $0) }
        let combined = out!
        for part in parts {
            do {
                try call("combine databases") { cx_database_add_database(combined, part.handle, $0) }
            } catch {
                cx_database_destroy(combined)
                throw error
            }
        }
        handle = combined
        owner = parts as AnyObject
    }

    deinit { cx_database_destroy(handle) }

    private static func add(_ shard: Shard, to handle: OpaquePointer) throws(XapianError) {
        switch shard {
        case .local(let path):
            try call("open shard \(path)") { cx_database_add_local(handle, path, $0) }
        case .remote(let host, let port, let timeout, let connectTimeout):
            try call("connect to shard \(shard)") {
                cx_database_add_remote(handle, host, UInt32(port), timeout, connectTimeout, $0)
            }
        }
    }

    /// Moves to the newest committed revision; returns whether anything changed.
    @discardableResult
    public func reopen() throws(XapianError) -> Bool {
        var changed: Int32 = 0
        try call("reopen database") { cx_database_reopen(handle, &changed, $0) }
        return changed != 0
    }

    public func close() throws(XapianError) {
        try call("close database") { cx_database_close(handle, $0) }
    }

    /// Writes these databases merged into one new, compact database at `path` (which
    /// must not exist yet): `xapian-compact`, in process.
    public func compact(to path: String) throws(XapianError) {
        try call("compact into \(path)") { cx_database_compact(handle, path, $0) }
    }

    public var documentCount: Int {
        get throws(XapianError) {
            var count: UInt32 = 0
            try call("count documents") { cx_database_doc_count(handle, &count, $0) }
            return Int(count)
        }
    }

    /// The committed revision of a single local database.
    public var revision: UInt64 {
        get throws(XapianError) {
            var revision: UInt64 = 0
            try call("read revision") { cx_database_revision(handle, &revision, $0) }
            return revision
        }
    }

    /// How many documents contain term.
    public func termFrequency(_ term: String) throws(XapianError) -> Int {
        var frequency: UInt32 = 0
        try term.withBytes { bytes, length throws(XapianError) in
            try call("read term frequency") { cx_database_term_freq(handle, bytes, length, &frequency, $0) }
        }
        return Int(frequency)
    }

    /// The lowest and highest value documents have in slot; empty strings when none has one.
    public func valueBounds(slot: UInt32) throws(XapianError) -> (lower: String, upper: String) {
        let lower = try takeString("read the lowest value in slot \(slot)") { cx_database_value_bound(handle, slot, 0, $0, $1, $2) }
        let upper = try takeString("read the highest value in slot \(slot)") { cx_database_value_bound(handle, slot, 1, $0, $1, $2) }
        return (lower, upper)
    }

    /// A metadata value; empty when unset.
    public func metadata(_ key: String) throws(XapianError) -> String {
        try key.withBytes { bytes, length throws(XapianError) in
            try takeString("read metadata \(key)") { cx_database_get_metadata(handle, bytes, length, $0, $1, $2) }
        }
    }

    public func metadataKeys(prefix: String = "") throws(XapianError) -> [String] {
        try prefix.withBytes { bytes, length throws(XapianError) in
            try visitTerms { context throws(XapianError) in
                try call("list metadata keys") {
                    cx_database_visit_metadata_keys(handle, bytes, length, collectTerm, context, $0)
                }
            }
        }.map(\.term)
    }

    /// Terms starting with prefix, in byte order, with how many documents hold each.
    public func terms(prefix: String, limit: Int = .max) throws(XapianError) -> [(term: String, frequency: Int)] {
        try prefix.withBytes { bytes, length throws(XapianError) in
            try visitTerms(limit: limit) { context throws(XapianError) in
                try call("list terms \(prefix)") {
                    cx_database_visit_terms(handle, bytes, length, collectTerm, context, $0)
                }
            }
        }.map { (term: $0.term, frequency: Int($0.count)) }
    }

    /// The id of the (first) document holding term: the unique-id pattern.
    public func documentID(withTerm term: String) throws(XapianError) -> UInt32? {
        var id: UInt32 = 0
        try term.withBytes { bytes, length throws(XapianError) in
            try call("find document") { cx_database_find_term(handle, bytes, length, &id, $0) }
        }
        return id == 0 ? nil : id
    }

    public func document(id: UInt32) throws(XapianError) -> Document {
        var out: OpaquePointer? = nil
        try call("read document \(id)") { cx_database_get_document(handle, id, &out, $0) }
        return Document(handle: out!, owner: self)
    }

    /// A correction for word from the spelling dictionary, or nil.
    public func spellingSuggestion(for word: String, maxEditDistance: UInt32 = 2) throws(XapianError) -> String? {
        let suggestion = try word.withBytes { bytes, length throws(XapianError) in
            try takeString("suggest spelling") {
                cx_database_spelling_suggestion(handle, bytes, length, maxEditDistance, $0, $1, $2)
            }
        }
        return suggestion.isEmpty ? nil : suggestion
    }

    /// Words of the spelling dictionary starting with prefix, with their frequency.
    public func spellings(prefix: String, limit: Int = .max) throws(XapianError) -> [(word: String, frequency: Int)] {
        try prefix.withBytes { bytes, length throws(XapianError) in
            try visitTerms(limit: limit) { context throws(XapianError) in
                try call("list spellings") {
                    cx_database_visit_spellings(handle, bytes, length, collectTerm, context, $0)
                }
            }
        }.map { (word: $0.term, frequency: Int($0.count)) }
    }

    public func synonyms(of term: String) throws(XapianError) -> [String] {
        try term.withBytes { bytes, length throws(XapianError) in
            try visitTerms { context throws(XapianError) in
                try call("list synonyms") {
                    cx_database_visit_synonyms(handle, bytes, length, collectTerm, context, $0)
                }
            }
        }.map(\.term)
    }
}

extension Database {
    /// Runs body, and when the reader's revision has gone (`.modified`) reopens and
    /// runs it again, at most `attempts` times in all. `reopen()` itself can fail
    /// with `.modified` too; that counts as an attempt.
    public func retryingIfModified<R>(attempts: Int = 3, _ body: (Database) throws -> R) throws -> R {
        var remaining = attempts
        while true {
            remaining -= 1
            do {
                return try body(self)
            } catch {
                guard remaining > 0, (error as? XapianError)?.code == .modified else { throw error }
            }
            try reopenRetryingIfModified()
        }
    }

    /// `reopen()` can itself meet a revision that vanished while it ran: try once more.
    private func reopenRetryingIfModified() throws(XapianError) {
        do {
            try reopen()
        } catch where error.code == .modified {
            try reopen()
        }
    }
}
