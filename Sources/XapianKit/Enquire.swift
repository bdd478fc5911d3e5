internal import CXapian

/// Runs queries against a database. Holds its database alive.
public final class Enquire {
    public enum Sort: Sendable {
        case relevance
        /// By the bytes of a value slot, optionally breaking ties by relevance; documents
        /// without a value come last in either order.
        case value(slot: UInt32, descending: Bool, thenRelevance: Bool = true)
    }

    /// Identifies a facet added with `addFacet(slot:)`.
    public struct Facet: Sendable, Hashable {
        let index: Int
        public let slot: UInt32
    }

    let handle: OpaquePointer
    public let database: Database

    public init(database: Database) throws(XapianError) {
        var out: OpaquePointer? = nil
        try call("create enquire") { cx_enquire_new(database.handle, &out, $0) }
        handle = out!
        self.database = database
    }

    deinit { cx_enquire_destroy(handle) }

    public func setQuery(_ query: Query) throws(XapianError) {
        try call("set query") { cx_enquire_set_query(handle, query.handle, $0) }
    }

    public func setSort(_ sort: Sort) throws(XapianError) {
        switch sort {
        case .relevance:
            try call("sort by relevance") { cx_enquire_set_sort_by_relevance(handle, $0) }
        case .value(let slot, let descending, let thenRelevance):
            try call("sort by value \(slot)") {
                cx_enquire_set_sort_by_value(handle, slot, descending ? 1 : 0, thenRelevance ? 1 : 0, $0)
            }
        }
    }

    /// Keeps at most `max` hits per value of slot (e.g. one per story).
    public func setCollapseKey(slot: UInt32, max: UInt32 = 1) throws(XapianError) {
        try call("set collapse key") { cx_enquire_set_collapse_key(handle, slot, max, $0) }
    }

    /// Stops matching after this many seconds; counts are then estimates.
    public func setTimeLimit(seconds: Double) throws(XapianError) {
        try call("set time limit") { cx_enquire_set_time_limit(handle, seconds, $0) }
    }

    /// Stops each following match once it has run `seconds` (0: none): `matches`
    /// then throws `.timeBudget`, and `stoppedMatches()` lists the best `keep`
    /// documents it had found, by relevance or by the value in `sortSlot`. Checked as
    /// matches are found; local databases only (remote shards cannot run it).
    public func setDeadline(seconds: Double, keep: Int, sortSlot: UInt32? = nil, descending: Bool = false)
        throws(XapianError) {
        try call("set deadline") {
            cx_enquire_set_deadline(handle, seconds, UInt32(clamping: keep), sortSlot.map { Int64($0) } ?? -1,
                                    descending ? 1 : 0, $0)
        }
    }

    /// The document ids a match stopped at its deadline had kept, best first, and
    /// how many matches it had found.
    public func stoppedMatches() throws(XapianError) -> (best: [UInt32], seen: Int) {
        let collector = Collector<UInt32>()
        defer { withExtendedLifetime(collector) {} }
        var seen: UInt32 = 0
        try call("read a stopped match") {
            cx_enquire_visit_stopped(handle, collectDocumentID, Unmanaged.passUnretained(collector).toOpaque(), &seen, $0)
        }
        return (collector.items, Int(seen))
    }

    /// Counts the values of slot over all matches examined (exact with checkAtLeast).
    /// With a separator, the slot holds several values joined by it, each counted (a
    /// document counts once for each of its values). `remote`: the database has remote
    /// shards, which count only with Xapian's own spy; local databases count every
    /// facet in one pass of the shim's own.
    public func addFacet(slot: UInt32, separator: UInt8? = nil, remote: Bool = false) throws(XapianError) -> Facet {
        var index = 0
        try call("add facet") {
            cx_enquire_add_facet(handle, slot, separator.map(Int32.init) ?? -1, remote ? 1 : 0, &index, $0)
        }
        return Facet(index: index, slot: slot)
    }

    /// The facet's values from the last `matches` call, most frequent first (ties by
    /// value), at most `limit` (0: all).
    public func values(of facet: Facet, limit: Int = 0) throws(XapianError) -> [(value: [UInt8], count: Int)] {
        let collector = Collector<(value: [UInt8], count: Int)>()
        defer { withExtendedLifetime(collector) {} }
        try call("read facet") {
            cx_enquire_visit_facet(handle, facet.index, limit, collectValue, Unmanaged.passUnretained(collector).toOpaque(), $0)
        }
        return collector.items
    }

    /// Runs the query: hits first..<first+maxItems. `checkAtLeast` makes the counts
    /// (and facet counts) exact up to that many matches.
    public func matches(first: Int = 0, maxItems: Int, checkAtLeast: Int = 0) throws(XapianError) -> MatchSet {
        var out: OpaquePointer? = nil
        try call("run query") {
            cx_enquire_get_mset(handle, UInt32(clamping: first), UInt32(clamping: maxItems),
                                UInt32(clamping: checkAtLeast), &out, $0)
        }
        return MatchSet(handle: out!, enquire: self)
    }

    /// "More like this": the terms that best characterise the given documents.
    public func expandTerms(relevant: [UInt32], maxTerms: Int, prefix: String = "")
        throws(XapianError) -> [(term: String, weight: Double)] {
        let collector = Collector<(term: String, weight: Double)>()
        defer { withExtendedLifetime(collector) {} }
        try relevant.withBuffer { ids throws(XapianError) in
            try call("expand query") {
                cx_enquire_visit_expand_terms(handle, ids.baseAddress, ids.count, UInt32(clamping: maxTerms), prefix,
                                              collectWeightedTerm, Unmanaged.passUnretained(collector).toOpaque(), $0)
            }
        }
        return collector.items
    }
}

private let collectValue: cx_value_visitor = { context, value, length, count in
    let collector = Unmanaged<Collector<(value: [UInt8], count: Int)>>.fromOpaque(context!).takeUnretainedValue()
    return collector.add((bytesArray(value, length), Int(count)))
}

private let collectWeightedTerm: cx_weighted_term_visitor = { context, term, length, weight in
    let collector = Unmanaged<Collector<(term: String, weight: Double)>>.fromOpaque(context!).takeUnretainedValue()
    return collector.add((bytesString(term, length), weight))
}

private let collectDocumentID: cx_position_visitor = { context, id in
    Unmanaged<Collector<UInt32>>.fromOpaque(context!).takeUnretainedValue().add(id)
}
