internal import CXapian

/// A Xapian query tree. Immutable once built.
public final class Query: CustomStringConvertible {
    public enum Operator: Sendable {
        case and, or, andNot, xor, andMaybe, filter, near, phrase, eliteSet, synonym, max

        var c: cx_query_op {
            switch self {
            case .and: return CX_QUERY_AND
            case .or: return CX_QUERY_OR
            case .andNot: return CX_QUERY_AND_NOT
            case .xor: return CX_QUERY_XOR
            case .andMaybe: return CX_QUERY_AND_MAYBE
            case .filter: return CX_QUERY_FILTER
            case .near: return CX_QUERY_NEAR
            case .phrase: return CX_QUERY_PHRASE
            case .eliteSet: return CX_QUERY_ELITE_SET
            case .synonym: return CX_QUERY_SYNONYM
            case .max: return CX_QUERY_MAX
            }
        }
    }

    let handle: OpaquePointer

    init(handle: OpaquePointer) { self.handle = handle }

    deinit { cx_query_destroy(handle) }

    public static func term(_ term: String, wqf: UInt32 = 1) throws(XapianError) -> Query {
        var out: OpaquePointer? = nil
        try term.withBytes { bytes, length throws(XapianError) in
            try call("build term query") { cx_query_new_term(bytes, length, wqf, &out, $0) }
        }
        return Query(handle: out!)
    }

    /// The documents with these ids, weightless: a filter that opens no posting list.
    /// Ids of one database only: on shards combined they would name other documents.
    public static func documents(_ ids: [UInt32]) throws(XapianError) -> Query {
        var out: OpaquePointer? = nil
        try ids.withUnsafeBufferPointer { buffer throws(XapianError) in
            try call("build document set query") { cx_query_new_documents(buffer.baseAddress, buffer.count, &out, $0) }
        }
        return Query(handle: out!)
    }

    /// Combines subqueries; `window` is for NEAR and PHRASE (0: the number of subqueries).
    public static func combine(_ op: Operator, _ subqueries: [Query], window: UInt32 = 0) throws(XapianError) -> Query {
        var out: OpaquePointer? = nil
        let handles: [OpaquePointer?] = subqueries.map { $0.handle }
        defer { withExtendedLifetime(subqueries) {} }
        try handles.withBuffer { buffer throws(XapianError) in
            try call("combine queries") {
                cx_query_new_combined(op.c, buffer.baseAddress, buffer.count, window, &out, $0)
            }
        }
        return Query(handle: out!)
    }

    /// Documents whose value in slot lies in [low, high], compared bytewise.
    public static func valueRange(slot: UInt32, from low: String, to high: String) throws(XapianError) -> Query {
        var out: OpaquePointer? = nil
        try low.withBytes { lowBytes, lowLength throws(XapianError) in
            try high.withBytes { highBytes, highLength throws(XapianError) in
                try call("build range query") {
                    cx_query_new_value_range(slot, lowBytes, lowLength, highBytes, highLength, &out, $0)
                }
            }
        }
        return Query(handle: out!)
    }

    /// The same over bytes, for values that are not text (`Xapian.sortableSerialise`).
    public static func valueRange(slot: UInt32, from low: [UInt8], to high: [UInt8]) throws(XapianError) -> Query {
        var out: OpaquePointer? = nil
        try low.withBytes { lowBytes, lowLength throws(XapianError) in
            try high.withBytes { highBytes, highLength throws(XapianError) in
                try call("build range query") {
                    cx_query_new_value_range(slot, lowBytes, lowLength, highBytes, highLength, &out, $0)
                }
            }
        }
        return Query(handle: out!)
    }

    public func scaled(by factor: Double) throws(XapianError) -> Query {
        var out: OpaquePointer? = nil
        try call("scale query") { cx_query_new_scaled(handle, factor, &out, $0) }
        return Query(handle: out!)
    }

    /// This query with each synonym pair of a term and a term starting with `prefix`
    /// (as the query parser expands `Zinspect` into `Zinspect SYNONYM XCinspection`)
    /// replaced by the prefixed term: where its documents include the other's, the
    /// same documents match without Xapian merging two lists. Phrases, NEAR and
    /// scaled subqueries are kept whole.
    public func preferringSynonyms(withPrefix prefix: String) throws(XapianError) -> Query {
        var out: OpaquePointer? = nil
        try prefix.withBytes { bytes, length throws(XapianError) in
            try call("rewrite query") { cx_query_prefer_prefixed_synonyms(handle, bytes, length, &out, $0) }
        }
        return Query(handle: out!)
    }

    public static func matchAll() throws(XapianError) -> Query {
        var out: OpaquePointer? = nil
        try call("build match-all query") { cx_query_new_match_all(&out, $0) }
        return Query(handle: out!)
    }

    public static func matchNothing() throws(XapianError) -> Query {
        var out: OpaquePointer? = nil
        try call("build empty query") { cx_query_new_match_nothing(&out, $0) }
        return Query(handle: out!)
    }

    public var isEmpty: Bool { cx_query_is_empty(handle) != 0 }

    /// Xapian's description, e.g. `Query((Zhai@1 AND Zduong@2))`.
    public var description: String {
        (try? takeString("describe query") { cx_query_describe(handle, $0, $1, $2) }) ?? "Query(?)"
    }

    /// Whether a phrase or a NEAR is anywhere in the query: it reads positions.
    public func needsPositions() throws(XapianError) -> Bool {
        var found: Int32 = 0
        try call("inspect query") { cx_query_has_positional(handle, &found, $0) }
        return found != 0
    }

    /// What the query will cost to run, counted on its tree: term leaves, those
    /// merged under an OR-like operator, those read with positions, and wildcards.
    public struct Cost: Sendable, Equatable {
        public let terms: Int
        public let orTerms: Int
        public let positionalTerms: Int
        public let wildcards: Int
    }

    public func cost() throws(XapianError) -> Cost {
        var out = cx_query_cost()
        try call("measure query") { cx_query_measure(handle, &out, $0) }
        return Cost(terms: Int(out.terms), orTerms: Int(out.or_terms), positionalTerms: Int(out.positional_terms),
                    wildcards: Int(out.wildcards))
    }

    /// The distinct terms the query contains.
    public func terms() throws(XapianError) -> [String] {
        try visitTerms { context throws(XapianError) in
            try call("list query terms") { cx_query_visit_terms(handle, collectTerm, context, $0) }
        }.map(\.term)
    }
}
