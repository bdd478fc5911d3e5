internal import CXapian

/// A Xapian document: one being built for the index, or one read back from it.
public final class Document {
    let handle: OpaquePointer
    /// Keeps the database a stored document came from alive while it is read.
    private let owner: AnyObject?

    public init() throws(XapianError) {
        var out: OpaquePointer? = nil
        try call("create document") { cx_document_new(&out, $0) }
        handle = out!
        owner = nil
    }

    init(handle: OpaquePointer, owner: AnyObject?) {
        self.handle = handle
        self.owner = owner
    }

    deinit { cx_document_destroy(handle) }

    /// The database's id for a stored document; 0 for one not yet added.
    public var id: UInt32 { cx_document_id(handle) }

    public func data() throws(XapianError) -> [UInt8] {
        try takeBytes("read document data") { cx_document_get_data(handle, $0, $1, $2) }
    }

    public func setData(_ data: [UInt8]) throws(XapianError) {
        try data.withBytes { bytes, length throws(XapianError) in
            try call("set document data") { cx_document_set_data(handle, bytes, length, $0) }
        }
    }

    /// A filter or identifier term: no positions, no weight.
    public func addBooleanTerm(_ term: String) throws(XapianError) {
        try term.withBytes { bytes, length throws(XapianError) in
            try call("add term \(term.prefix(64))") { cx_document_add_boolean_term(handle, bytes, length, $0) }
        }
    }

    public func addTerm(_ term: String, wdf: UInt32 = 1) throws(XapianError) {
        try term.withBytes { bytes, length throws(XapianError) in
            try call("add term \(term.prefix(64))") { cx_document_add_term(handle, bytes, length, wdf, $0) }
        }
    }

    /// One occurrence of term at a position (phrases need positions).
    public func addPosting(_ term: String, position: UInt32, wdf: UInt32 = 1) throws(XapianError) {
        try term.withBytes { bytes, length throws(XapianError) in
            try call("add posting \(term.prefix(64))") {
                cx_document_add_posting(handle, bytes, length, position, wdf, $0)
            }
        }
    }

    /// Forgets the positions of every term that does not start with prefix; their
    /// wdf stays. Positions are most of what a writer stores, so terms that no
    /// phrase is asked of should not carry them.
    public func dropPositions(exceptPrefix prefix: String) throws(XapianError) {
        try prefix.withBytes { bytes, length throws(XapianError) in
            try call("drop positions") { cx_document_drop_positions(handle, bytes, length, $0) }
        }
    }

    /// The positions of term in this document.
    public func positions(of term: String) throws(XapianError) -> [UInt32] {
        let collector = Collector<UInt32>()
        defer { withExtendedLifetime(collector) {} }
        try term.withBytes { bytes, length throws(XapianError) in
            try call("list positions") {
                cx_document_visit_positions(handle, bytes, length, collectPosition,
                                            Unmanaged.passUnretained(collector).toOpaque(), $0)
            }
        }
        return collector.items
    }

    public func setValue(_ value: [UInt8], slot: UInt32) throws(XapianError) {
        try value.withBytes { bytes, length throws(XapianError) in
            try call("set value \(slot)") { cx_document_add_value(handle, slot, bytes, length, $0) }
        }
    }

    public func setValue(_ value: String, slot: UInt32) throws(XapianError) {
        try setValue(Array(value.utf8), slot: slot)
    }

    /// The value in slot: empty when unset.
    public func value(slot: UInt32) throws(XapianError) -> [UInt8] {
        try takeBytes("read value \(slot)") { cx_document_get_value(handle, slot, $0, $1, $2) }
    }

    /// The document's terms that start with prefix, with their within-document frequency.
    public func terms(prefix: String = "") throws(XapianError) -> [(term: String, wdf: UInt32)] {
        try prefix.withBytes { bytes, length throws(XapianError) in
            try visitTerms { context throws(XapianError) in
                try call("list document terms") {
                    cx_document_visit_terms(handle, bytes, length, collectTerm, context, $0)
                }
            }
        }.map { (term: $0.term, wdf: $0.count) }
    }

    /// The document's terms whose bytes `include` accepts, with their wdf. The bytes
    /// are looked at before a String is made, which is most of the cost of a term
    /// list: a cheap test that leaves out most terms makes it cheap.
    public func terms(where include: (UnsafeRawBufferPointer) -> Bool) throws(XapianError)
        -> [(term: String, wdf: UInt32)] {
        try withoutActuallyEscaping(include) { include throws(XapianError) in
            let filter = TermFilter(include)
            try withExtendedLifetime(filter) { () throws(XapianError) in
                try call("list document terms") {
                    cx_document_visit_terms(handle, "", 0, filterTerm, Unmanaged.passUnretained(filter).toOpaque(), $0)
                }
            }
            return filter.items
        }
    }
}

/// What `Document.terms(where:)` gathers: the terms its test accepts.
private final class TermFilter {
    let include: (UnsafeRawBufferPointer) -> Bool
    var items: [(term: String, wdf: UInt32)] = []
    init(_ include: @escaping (UnsafeRawBufferPointer) -> Bool) { self.include = include }
}

private let filterTerm: cx_term_visitor = { context, term, length, wdf in
    let filter = Unmanaged<TermFilter>.fromOpaque(context!).takeUnretainedValue()
    if filter.include(UnsafeRawBufferPointer(start: term, count: length)) {
        filter.items.append((bytesString(term, length), wdf))
    }
    return 0
}

private let collectPosition: cx_position_visitor = { context, position in
    Unmanaged<Collector<UInt32>>.fromOpaque(context!).takeUnretainedValue().add(position)
}
