internal import CXapian

/// Parses Xapian's query language (AND, OR, NOT, "phrases", NEAR, prefixes, ranges).
public final class QueryParser {
    /// Features of the query language (Xapian's QueryParser::feature_flag).
    public struct Features: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let boolean = Features(rawValue: Int32(CX_QP_BOOLEAN))
        public static let phrase = Features(rawValue: Int32(CX_QP_PHRASE))
        public static let loveHate = Features(rawValue: Int32(CX_QP_LOVEHATE))
        public static let booleanAnyCase = Features(rawValue: Int32(CX_QP_BOOLEAN_ANY_CASE))
        public static let wildcard = Features(rawValue: Int32(CX_QP_WILDCARD))
        public static let pureNot = Features(rawValue: Int32(CX_QP_PURE_NOT))
        public static let partial = Features(rawValue: Int32(CX_QP_PARTIAL))
        public static let spellingCorrection = Features(rawValue: Int32(CX_QP_SPELLING_CORRECTION))
        public static let synonym = Features(rawValue: Int32(CX_QP_SYNONYM))
        public static let autoSynonyms = Features(rawValue: Int32(CX_QP_AUTO_SYNONYMS))
        public static let autoMultiwordSynonyms = Features(rawValue: Int32(CX_QP_AUTO_MULTIWORD_SYNONYMS))
        public static let `default`: Features = [.boolean, .phrase, .loveHate]
    }

    /// What a boolean field's value becomes.
    public enum FieldValue: Sendable {
        /// Filter on this term.
        case term(String)
        /// The value is valid but nothing can match it.
        case nothing
        /// The value is wrong; the query is rejected with this message.
        case invalid(String)
    }

    let handle: OpaquePointer
    private var retained: [AnyObject] = []

    public init() throws(XapianError) {
        var out: OpaquePointer? = nil
        try call("create query parser") { cx_queryparser_new(&out, $0) }
        handle = out!
    }

    deinit { cx_queryparser_destroy(handle) }

    public func setStemmer(_ stemmer: Stemmer) throws(XapianError) {
        try call("set stemmer") { cx_queryparser_set_stemmer(handle, stemmer.handle, $0) }
    }

    public func setStemmingStrategy(_ strategy: StemmingStrategy) throws(XapianError) {
        try call("set stemming strategy") { cx_queryparser_set_stemming_strategy(handle, strategy.c, $0) }
    }

    /// Needed for wildcards, spelling correction and synonyms.
    public func setDatabase(_ database: Database) throws(XapianError) {
        try call("set query parser database") { cx_queryparser_set_database(handle, database.handle, $0) }
        retained.removeAll { $0 is Database }
        retained.append(database)
    }

    /// Words dropped from a query, unless the query has nothing else.
    public func setStopWords(_ words: [String]) throws(XapianError) {
        // All words NUL-terminated in one buffer, lent for the duration of the call.
        var flat: [CChar] = []
        var offsets: [Int] = []
        for word in words {
            offsets.append(flat.count)
            flat.append(contentsOf: word.utf8CString)
        }
        try flat.withBuffer { buffer throws(XapianError) in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { buffer.baseAddress! + $0 }
            try pointers.withBuffer { list throws(XapianError) in
                try call("set stop words") { cx_queryparser_set_stopwords(handle, list.baseAddress, list.count, $0) }
            }
        }
    }

    public func setDefaultOperator(_ op: Query.Operator) throws(XapianError) {
        try call("set default operator") { cx_queryparser_set_default_op(handle, op.c, $0) }
    }

    /// `field:words` searches words with the term prefix (probabilistic, weighted).
    public func addPrefix(field: String, prefix: String) throws(XapianError) {
        try call("add prefix \(field)") { cx_queryparser_add_prefix(handle, field, prefix, $0) }
    }

    /// `field:value` filters on the term prefix+value. `exclusive`: repeated values are ORed.
    public func addBooleanPrefix(field: String, prefix: String, exclusive: Bool = true) throws(XapianError) {
        try call("add boolean prefix \(field)") {
            cx_queryparser_add_boolean_prefix(handle, field, prefix, exclusive ? 1 : 0, $0)
        }
    }

    /// `field:value` filters on the term that `transform(value)` names.
    public func addBooleanField(field: String, exclusive: Bool = true,
                                _ transform: @escaping (String) -> FieldValue) throws(XapianError) {
        try CallbackBox.register(transform) { context throws(XapianError) in
            try call("add boolean field \(field)") {
                cx_queryparser_add_boolean_field(handle, field, runFieldFunction, context, releaseCallbackContext,
                                                 exclusive ? 1 : 0, $0)
            }
        }
    }

    /// What a range field makes of a range's two ends.
    public enum RangeValue {
        /// Filter on this query.
        case query(Query)
        /// Not this field's: the parser tries its other range fields.
        case notMine
        /// The range is wrong; the query is rejected with this message.
        case invalid(String)
    }

    /// `field:start..end`, filtered on the query `build` makes of the two ends (an
    /// open end is empty). The field is stripped from both ends.
    public func addRangeField(field: String, _ build: @escaping (String, String) -> RangeValue) throws(XapianError) {
        try CallbackBox.register(build) { context throws(XapianError) in
            try call("add range field \(field)") {
                cx_queryparser_add_range_field(handle, field, runRangeFunction, context, releaseCallbackContext, $0)
            }
        }
    }

    /// Limits how many terms a wildcard or partial word may expand to (0: no limit).
    /// Past it the query fails with `.wildcard`, or keeps the most frequent terms.
    public func setMaxExpansion(_ max: UInt32, keepMostFrequent: Bool = false) throws(XapianError) {
        try call("set max expansion") { cx_queryparser_set_max_expansion(handle, max, keepMostFrequent ? 1 : 0, $0) }
    }

    public func parse(_ text: String, features: Features = .default) throws(XapianError) -> Query {
        var out: OpaquePointer? = nil
        try text.withBytes { bytes, length throws(XapianError) in
            try call("parse query") { cx_queryparser_parse(handle, bytes, length, features.rawValue, &out, $0) }
        }
        return Query(handle: out!)
    }

    /// After parsing with `.spellingCorrection`: the corrected query, or nil.
    public func correctedQuery() throws(XapianError) -> String? {
        let corrected = try takeString("read corrected query") { cx_queryparser_corrected_query(handle, $0, $1, $2) }
        return corrected.isEmpty ? nil : corrected
    }
}

private let runFieldFunction: cx_field_function = { context, value, length, sink in
    let transform = CallbackBox<(String) -> QueryParser.FieldValue>.function(context)
    switch transform(bytesString(value, length)) {
    case .term(let term):
        term.withBytes { cx_sink_set(sink, $0, $1) }
        return 0
    case .nothing:
        cx_sink_set(sink, nil, 0)
        return 0
    case .invalid(let message):
        message.withBytes { cx_sink_set(sink, $0, $1) }
        return 1
    }
}

private let runRangeFunction: cx_range_function = { context, start, startLength, end, endLength, query, error in
    let build = CallbackBox<(String, String) -> QueryParser.RangeValue>.function(context)
    switch build(bytesString(start, startLength), bytesString(end, endLength)) {
    case .query(let built):
        cx_query_sink_set(query, built.handle)
        return 0
    case .notMine:
        return 0
    case .invalid(let message):
        message.withBytes { cx_sink_set(error, $0, $1) }
        return 1
    }
}
