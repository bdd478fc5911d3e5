internal import CXapian

/// The single writer of a database.
///
/// Only one may be open per database at a time, across processes: a second one
/// fails with `.locked`, or waits when opened with `waitForLock`. The lock is
/// released when the writer is released or its process dies, even by kill -9.
/// Each `commit()` is atomic: readers see the previous revision or the new one.
public final class WritableDatabase {
    let handle: OpaquePointer
    public let path: String

    public init(path: String, create: Bool = true, waitForLock: Bool = false) throws(XapianError) {
        try checkShim()
        var flags: Int32 = 0
        if create { flags |= Int32(CX_WRITABLE_CREATE) }
        if waitForLock { flags |= Int32(CX_WRITABLE_WAIT_FOR_LOCK) }
        var out: OpaquePointer? = nil
        try call("open \(path) for writing") { cx_writable_database_open(path, flags, &out, $0) }
        handle = out!
        self.path = path
    }

    /// A database served by `xapian-tcpsrv --writable`.
    public init(remoteHost host: String, port: UInt16, timeoutMilliseconds: UInt32 = 0,
                connectTimeoutMilliseconds: UInt32 = 2_000) throws(XapianError) {
        try checkShim()
        var out: OpaquePointer? = nil
        try call("connect to tcp://\(host):\(port) for writing") {
            cx_writable_database_open_remote(host, UInt32(port), timeoutMilliseconds, connectTimeoutMilliseconds,
                                             &out, $0)
        }
        handle = out!
        path = "tcp://\(host):\(port)"
    }

    deinit { cx_writable_database_destroy(handle) }

    /// A read-only view of this writer's state, pending changes included.
    public func reader() throws(XapianError) -> Database {
        var out: OpaquePointer? = nil
        try call("read \(path)") { cx_writable_database_reader(handle, &out, $0) }
        return Database(handle: out!, owner: self)
    }

    /// Replaces the document(s) holding uniqueTerm with document, or adds it.
    @discardableResult
    public func replace(uniqueTerm: String, with document: Document) throws(XapianError) -> UInt32 {
        var id: UInt32 = 0
        try uniqueTerm.withBytes { bytes, length throws(XapianError) in
            try call("write document \(uniqueTerm.prefix(80))") {
                cx_writable_database_replace(handle, bytes, length, document.handle, &id, $0)
            }
        }
        return id
    }

    /// Deletes the document(s) holding uniqueTerm; no error when there are none.
    public func delete(uniqueTerm: String) throws(XapianError) {
        try uniqueTerm.withBytes { bytes, length throws(XapianError) in
            try call("delete document \(uniqueTerm.prefix(80))") {
                cx_writable_database_delete(handle, bytes, length, $0)
            }
        }
    }

    public func commit() throws(XapianError) {
        try call("commit \(path)") { cx_writable_database_commit(handle, $0) }
    }

    /// Runs body in a transaction: all of its changes are kept, or none.
    public func transaction<R>(flushed: Bool = true, _ body: () throws -> R) throws -> R {
        try call("begin transaction") { cx_writable_database_begin_transaction(handle, flushed ? 1 : 0, $0) }
        let result: R
        do {
            result = try body()
        } catch {
            try? call("cancel transaction") { cx_writable_database_cancel_transaction(handle, $0) }
            throw error
        }
        try call("commit transaction") { cx_writable_database_commit_transaction(handle, $0) }
        return result
    }

    public func setMetadata(_ value: String, forKey key: String) throws(XapianError) {
        try key.withBytes { keyBytes, keyLength throws(XapianError) in
            try value.withBytes { valueBytes, valueLength throws(XapianError) in
                try call("set metadata \(key)") {
                    cx_writable_database_set_metadata(handle, keyBytes, keyLength, valueBytes, valueLength, $0)
                }
            }
        }
    }

    public func addSpelling(_ word: String, frequency: UInt32 = 1) throws(XapianError) {
        try word.withBytes { bytes, length throws(XapianError) in
            try call("add spelling") { cx_writable_database_add_spelling(handle, bytes, length, frequency, $0) }
        }
    }

    public func addSynonym(_ synonym: String, for term: String) throws(XapianError) {
        try term.withBytes { termBytes, termLength throws(XapianError) in
            try synonym.withBytes { synonymBytes, synonymLength throws(XapianError) in
                try call("add synonym") {
                    cx_writable_database_add_synonym(handle, termBytes, termLength, synonymBytes, synonymLength, $0)
                }
            }
        }
    }

    public func clearSynonyms(for term: String) throws(XapianError) {
        try term.withBytes { bytes, length throws(XapianError) in
            try call("clear synonyms") { cx_writable_database_clear_synonyms(handle, bytes, length, $0) }
        }
    }

    /// Commits pending changes and releases the lock; later calls fail with `.closed`.
    public func close() throws(XapianError) {
        try call("close \(path)") { cx_writable_database_close(handle, $0) }
    }
}
