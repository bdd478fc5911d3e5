internal import CXapian

/// The result of a query: a page of hits and bounds on how many matched.
public final class MatchSet {
    public struct Counts: Sendable, Equatable {
        public let lower: Int
        public let estimated: Int
        public let upper: Int
        public var isExact: Bool { lower == upper }
    }

    public struct Hit: Sendable {
        public let documentID: UInt32
        /// 0-based position in the whole ranking.
        public let rank: Int
        public let percent: Int
        public let weight: Double
        /// With a collapse key: how many other matches this hit stands for (a lower bound).
        public let collapseCount: Int
    }

    let handle: OpaquePointer
    private let enquire: Enquire

    init(handle: OpaquePointer, enquire: Enquire) {
        self.handle = handle
        self.enquire = enquire
    }

    deinit { cx_mset_destroy(handle) }

    public var count: Int { cx_mset_size(handle) }

    public func counts() throws(XapianError) -> Counts {
        var counts = cx_match_counts()
        try call("read match counts") { cx_mset_counts(handle, &counts, $0) }
        return Counts(lower: Int(counts.lower), estimated: Int(counts.estimated), upper: Int(counts.upper))
    }

    public func hit(at index: Int) throws(XapianError) -> Hit {
        var item = cx_mset_item()
        try call("read hit \(index)") { cx_mset_item_at(handle, index, &item, $0) }
        return Hit(documentID: item.docid, rank: Int(item.rank), percent: Int(item.percent), weight: item.weight,
                   collapseCount: Int(item.collapse_count))
    }

    public func hits() throws(XapianError) -> [Hit] {
        var hits: [Hit] = []
        hits.reserveCapacity(count)
        for index in 0..<count { hits.append(try hit(at: index)) }
        return hits
    }

    public func document(at index: Int) throws(XapianError) -> Document {
        var out: OpaquePointer? = nil
        try call("read hit document \(index)") { cx_mset_document(handle, index, &out, $0) }
        return Document(handle: out!, owner: enquire.database)
    }

    public func collapseKey(at index: Int) throws(XapianError) -> [UInt8] {
        try takeBytes("read collapse key") { cx_mset_collapse_key(handle, index, $0, $1, $2) }
    }

    /// An extract of text around the query's matches, at most `length` bytes, with
    /// matched words wrapped in the highlight markers. Pass the stemmer used at
    /// indexing so that stemmed and folded matches are marked too. `exhaustive`
    /// scores every window instead of stopping at a good one; `backgroundModel` also
    /// prefers windows of rarer words, at a term-frequency lookup per distinct word.
    public func snippet(of text: String, length: Int = 300, stemmer: Stemmer?,
                        highlight: (start: String, end: String) = ("<b>", "</b>"), omit: String = "…",
                        exhaustive: Bool = true, backgroundModel: Bool = false) throws(XapianError) -> String {
        try text.withBytes { bytes, textLength throws(XapianError) in
            try snippet(bytes, textLength, length: length, stemmer: stemmer, highlight: highlight, omit: omit,
                        exhaustive: exhaustive, backgroundModel: backgroundModel)
        }
    }

    /// The same, from text given as UTF-8 bytes (as stored, without making a String).
    public func snippet(ofUTF8 text: ArraySlice<UInt8>, length: Int = 300, stemmer: Stemmer?,
                        highlight: (start: String, end: String) = ("<b>", "</b>"), omit: String = "…",
                        exhaustive: Bool = true, backgroundModel: Bool = false) throws(XapianError) -> String {
        let result: Result<String, XapianError> = text.withUnsafeBufferPointer { buffer in
            let chars = UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self)
            return Result { () throws(XapianError) -> String in
                try snippet(chars, buffer.count, length: length, stemmer: stemmer, highlight: highlight, omit: omit,
                            exhaustive: exhaustive, backgroundModel: backgroundModel)
            }
        }
        return try result.get()
    }

    private func snippet(_ bytes: UnsafePointer<CChar>?, _ textLength: Int, length: Int, stemmer: Stemmer?,
                         highlight: (start: String, end: String), omit: String,
                         exhaustive: Bool, backgroundModel: Bool) throws(XapianError) -> String {
        defer { withExtendedLifetime(stemmer) {} }
        return try takeString("make snippet") {
            cx_mset_snippet(handle, bytes, textLength, length, stemmer?.handle, exhaustive ? 1 : 0, backgroundModel ? 1 : 0,
                            highlight.start, highlight.end, omit, $0, $1, $2)
        }
    }
}
