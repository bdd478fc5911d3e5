internal import CXapian

/// How a TermGenerator or QueryParser uses its stemmer (Xapian's stem_strategy).
public enum StemmingStrategy: Sendable {
    case none, some, all, allZ, someFullPositions

    var c: cx_stem_strategy {
        switch self {
        case .none: return CX_STEM_NONE
        case .some: return CX_STEM_SOME
        case .all: return CX_STEM_ALL
        case .allZ: return CX_STEM_ALL_Z
        case .someFullPositions: return CX_STEM_SOME_FULL_POS
        }
    }
}

/// Turns text into terms of a document.
public final class TermGenerator {
    let handle: OpaquePointer
    // Objects the C++ side refers to: kept alive as long as this generator.
    private var retained: [AnyObject] = []

    public init() throws(XapianError) {
        var out: OpaquePointer? = nil
        try call("create term generator") { cx_termgen_new(&out, $0) }
        handle = out!
    }

    deinit { cx_termgen_destroy(handle) }

    public func setStemmer(_ stemmer: Stemmer) throws(XapianError) {
        try call("set stemmer") { cx_termgen_set_stemmer(handle, stemmer.handle, $0) }
    }

    public func setStemmingStrategy(_ strategy: StemmingStrategy) throws(XapianError) {
        try call("set stemming strategy") { cx_termgen_set_stemming_strategy(handle, strategy.c, $0) }
    }

    /// Feeds every word indexed from now on to the database's spelling dictionary.
    public func enableSpelling(database: WritableDatabase) throws(XapianError) {
        try call("set term generator database") { cx_termgen_set_database(handle, database.handle, $0) }
        try call("enable spelling") { cx_termgen_set_flags(handle, Int32(CX_TERMGEN_SPELLING), $0) }
        retained.append(database)
    }

    /// Where the terms go; resets the term position.
    public func setDocument(_ document: Document) throws(XapianError) {
        try call("set document") { cx_termgen_set_document(handle, document.handle, $0) }
        retained.removeAll { $0 is Document }
        retained.append(document)
    }

    public func indexText(_ text: String, wdfIncrement: UInt32 = 1, prefix: String = "") throws(XapianError) {
        try text.withBytes { bytes, length throws(XapianError) in
            try prefix.withBytes { prefixBytes, prefixLength throws(XapianError) in
                try call("index text") {
                    cx_termgen_index_text(handle, bytes, length, wdfIncrement, prefixBytes, prefixLength, $0)
                }
            }
        }
    }

    /// Leaves a gap so that phrases cannot match across two fields.
    public func increaseTermPosition(by delta: UInt32 = 100) throws(XapianError) {
        try call("increase term position") { cx_termgen_increase_termpos(handle, delta, $0) }
    }
}
