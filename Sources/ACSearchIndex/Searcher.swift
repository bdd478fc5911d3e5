import ACSearchAPI
import ACSearchAnalysis
import Foundation
import XapianKit

/// Limits a searcher applies to every query.
public struct SearchLimits: Sendable {
    /// How many terms a wildcard may expand to (the most frequent are kept); less
    /// when the query's wildcards together would pass `maxOrTerms`.
    public var maxWildcardExpansion: UInt32 = 200
    /// A query's budget, checked before it runs (`Searcher+Budget.swift`): wildcards,
    /// posting lists merged by OR-like operators (wildcard expansions included),
    /// terms read with positions (phrases, NEAR), and terms in all.
    public var maxWildcards = 16
    public var maxOrTerms = 256
    public var maxPositionalTerms = 32
    public var maxTerms = 512
    /// Seconds a match may run: past it, the match is stopped and answered with the
    /// best hits it had found, marked partial ("time_budget").
    public var timeLimitSeconds: Double = 2
    /// How many matches are examined for facet counts when counts are not exact.
    public var facetCheckAtLeast = 10_000
    public var snippetLength = 260
    /// Match counts are exact when there are at most this many matches.
    public var exactCountsUpTo = 100
    /// How `source` paths are shown (relative to their root unless configured).
    public var sourcePaths = SourcePaths()

    public init() {}
}

/// Answers searches over an index: one reader, its query parsers, its stemmer.
///
/// Not thread-safe, like the Xapian handles it owns: a daemon gives each worker
/// thread its own Searcher. `reopen()` moves it to the newest committed revision.
public final class Searcher {
    /// The shards that answer, searched as one.
    public private(set) var database: Database
    public let shards: [Shard]
    public let shardSet: ShardSet
    /// Fail (`SearchError.shardsMissing`) rather than answer from some shards when others are down.
    public let requireAllShards: Bool
    public let resources: AnalysisResources
    public let limits: SearchLimits
    let stemmer: IndexStemmer
    private let dateFilter: DateFilter
    private let parser: QueryParser
    private let exactParser: QueryParser

    static let features: QueryParser.Features = [.boolean, .phrase, .loveHate, .wildcard, .pureNot, .autoMultiwordSynonyms]

    public init(shards: [Shard], resources: AnalysisResources, limits: SearchLimits = SearchLimits(),
                companion: String? = nil, requireAllShards: Bool = false) throws {
        self.shards = shards
        self.resources = resources
        self.limits = limits
        self.requireAllShards = requireAllShards
        shardSet = try ShardSet(shards: shards, companion: companion)
        database = shardSet.database
        try Searcher.checkSchema(of: database, at: shards)
        stemmer = try IndexStemmer()
        dateFilter = DateFilter(database: database)
        parser = try Searcher.makeParser(stemmer: stemmer.stemmer, strategy: Schema.queryStrategy, resources: resources,
                                         database: database, dateFilter: dateFilter, limits: limits)
        exactParser = try Searcher.makeParser(stemmer: nil, strategy: .none, resources: resources, database: database,
                                              dateFilter: dateFilter, limits: limits)
    }

    /// Moves to the newest committed revision of every shard; shards that stopped
    /// answering are left out and those that came back are taken in again.
    /// Returns whether anything moved.
    @discardableResult
    public func reopen(retryingNow: Bool = false) throws -> Bool {
        let (moved, changed) = try shardSet.refresh(retryingNow: retryingNow)
        if changed {
            database = shardSet.database
            dateFilter.database = database
            try parser.setDatabase(database)
            try exactParser.setDatabase(database)
        }
        return moved || changed
    }

    /// An index of another schema would be answered wrongly (terms it lacks, or
    /// means otherwise), so it is refused with what to do. An empty index is fine.
    static func checkSchema(of database: Database, at shards: [Shard]) throws {
        let found = try database.metadata(Schema.Metadata.schemaVersion)
        if found == String(Schema.version) { return }
        if found.isEmpty, try database.documentCount == 0 { return }
        let path = shards.map(\.description).joined(separator: ", ")
        throw SearchError.schemaMismatch(path: path, found: found.isEmpty ? "none" : found, expected: Schema.version)
    }

    /// Refuses to answer from part of the index when configured so.
    func checkShards() throws {
        if requireAllShards && !shardSet.missing.isEmpty {
            throw SearchError.shardsMissing(shardSet.missing)
        }
    }

    /// Runs body; when a shard fails during it, leaves that shard out and runs it
    /// once more on the others. The answer says which shards are missing.
    func onAnsweringShards<T>(_ body: () throws -> T) throws -> T {
        try checkShards()
        do {
            return try body()
        } catch {
            guard shards.count > 1, let failure = error as? XapianError, [.network, .timeout, .closed].contains(failure.code)
            else { throw error }
            try reopen(retryingNow: false)
            try checkShards()
            return try body()
        }
    }

    // MARK: - Query parsing

    static func makeParser(stemmer: Stemmer?, strategy: StemmingStrategy, resources: AnalysisResources,
                           database: Database, dateFilter: DateFilter, limits: SearchLimits) throws -> QueryParser {
        let parser = try QueryParser()
        if let stemmer { try parser.setStemmer(stemmer) }
        try parser.setStemmingStrategy(strategy)
        try parser.setDatabase(database)
        try parser.setDefaultOperator(.and)
        try parser.setStopWords(resources.stopWords)
        try parser.setMaxExpansion(limits.maxWildcardExpansion, keepMostFrequent: true)
        let gazetteer = resources.gazetteer
        for field in Fields.all where field.inQuery {
            switch field.kind {
            case .freeText:
                try parser.addPrefix(field: field.name, prefix: field.prefix)
            case .boolean:
                guard let read = field.read else { continue }
                try parser.addBooleanField(field: field.name) { value in
                    do throws(SearchError) {
                        return .term(field.term(try read(value, gazetteer)))
                    } catch {
                        return .invalid(error.message + field.queryHint)
                    }
                }
            case .range:
                guard let readRange = field.readRange else { continue }
                try parser.addRangeField(field: field.name + ":") { start, end in
                    do {
                        let range = try readRange(start, end)
                        return .query(try dateFilter.query(from: range.from, to: range.to))
                    } catch let error as SearchError {
                        return .invalid(error.message)
                    } catch {
                        return .invalid("\(field.name):\(start)..\(end): \(error)")
                    }
                }
            }
        }
        return parser
    }

    /// A request as Xapian will run it.
    struct PreparedQuery {
        let query: Query
        /// Terms snippets mark besides the query's: the words of the places' names,
        /// and the words as typed with their diacritics.
        let marking: [String]
        /// Places the query's words name; only documents naming them match.
        let places: [Gazetteer.Province]
    }

    /// The Xapian query for a request: the parsed text (with a boost for documents
    /// that have the exact diacritic forms typed) and the terms of the places its
    /// words name, filtered by the request's fields.
    func query(for request: SearchRequest, filters: SearchFilters? = nil) throws -> PreparedQuery {
        let filters = try filters ?? SearchFilters(request, gazetteer: resources.gazetteer)
        let text = QueryText.prepare(request.query)
        let named = QueryText.placesNamed(in: text, gazetteer: resources.gazetteer)
        // A place's term, weighted by how often a document names it, stands for the
        // name's words: they would also match every "hai" (two) and "đường" (road).
        let placeTerms = try named.places.map { try Query.term(Schema.term(Schema.Prefix.placeNamed, $0.slug)) }
        var marking = try named.names.flatMap { try parse($0).terms() }
        var main: Query
        if named.rest.trimmingCharacters(in: .whitespaces).isEmpty {
            main = placeTerms.isEmpty ? try Query.matchAll() : try Query.combine(.and, placeTerms)
        } else {
            let parsed = try parse(named.rest)
            // A glossary word is expanded into its stem SYNONYM its concept; every document
            // with the stem has the concept (the analyser counts a variant's words inside a
            // longer one too), so the concept alone matches the same documents without
            // Xapian merging two long lists (docs/benchmark-findings.md).
            // Snippets still mark the stem.
            marking += try parsed.terms()
            main = try parsed.preferringSynonyms(withPrefix: Schema.Prefix.concept)
            if !placeTerms.isEmpty {
                main = try Query.combine(.and, (main.isEmpty ? [] : [main]) + placeTerms)
            } else if main.isEmpty {
                main = try Query.matchAll()
            }
        }
        // The exact forms of every word typed, the names' too: "Hải Dương" ranks the
        // documents spelled so first.
        if Folding.hasDiacritics(text) {
            let exactForms = try exactTerms(of: text)
            marking += exactForms
            // Not beside a phrase: the exact terms carry no positions, and an AND of
            // them beside a phrase of common words made Xapian check far more
            // positions (docs/benchmark-findings.md).
            if !exactForms.isEmpty, try !main.needsPositions() {
                main = try Query.combine(.andMaybe, [main, Query.combine(.and, exactForms.map { try Query.term($0) })])
            }
        }
        var filterQueries = try filters.terms.map { try Query.term($0) }
        if let dates = filters.dates { filterQueries.append(try dateFilter.query(from: dates.from, to: dates.to)) }
        let query = filterQueries.isEmpty ? main : try Query.combine(.filter, [main, Query.combine(.and, filterQueries)])
        var seen = Set<String>()
        return PreparedQuery(query: query, marking: marking.filter { seen.insert($0).inserted }, places: named.places)
    }

    /// The words as typed (exact terms): documents that have them all rank higher.
    /// Exact terms carry no positions (only the folded stems do, which phrases are
    /// asked of), so the boost is the words, not the typed structure.
    private func exactTerms(of text: String) throws -> [String] {
        guard let parsed = try? exactParser.parse(text, features: Searcher.features) else { return [] }
        // Words of free-text fields only: filters (kind:, province:…) rank nothing.
        return try parsed.terms().filter { term in
            Schema.textPrefixes.contains(String(term.prefix { $0.isASCII && $0.isUppercase }))
        }
    }

    /// The parsed text, within the query budget (`withinBudget`).
    private func parse(_ text: String) throws -> Query {
        try withinBudget(parseOnce(text)) { expansion in
            try parser.setMaxExpansion(expansion, keepMostFrequent: true)
            defer { try? parser.setMaxExpansion(limits.maxWildcardExpansion, keepMostFrequent: true) }
            return try parseOnce(text)
        }
    }

    private func parseOnce(_ text: String) throws -> Query {
        let result: Result<Query, XapianError> = Result { () throws(XapianError) -> Query in
            try parser.parse(text, features: Searcher.features)
        }
        switch result {
        case .success(let query):
            return query
        case .failure(let error):
            guard error.code == .querySyntax || error.code == .wildcard else { throw error }
            throw SearchError.querySyntax(Searcher.explain(error.message))
        }
    }

    /// Xapian's parser messages are terse ("Syntax: <expression> AND <expression>"):
    /// say what to do as well.
    static func explain(_ message: String) -> String {
        let text = message.replacingOccurrences(of: "QueryParserError: ", with: "")
        if text.hasPrefix("Syntax:") {
            return "cannot parse the query: \(text) (check for a dangling AND/OR/NOT, an unclosed bracket or quote)"
        }
        return text
    }

    // MARK: - Searching

    /// Searches, the request's filters checked here (the daemon checks them before
    /// a request reaches a reader, and passes them on).
    public func search(_ request: SearchRequest) throws -> SearchResponse {
        try search(request, filters: SearchFilters(request, gazetteer: resources.gazetteer))
    }

    public func search(_ request: SearchRequest, filters: SearchFilters) throws -> SearchResponse {
        try onAnsweringShards {
            let prepared = try query(for: request, filters: filters)
            var response = try run(prepared.query, marking: prepared.marking, request: request)
            response.places = prepared.places.map(\.name)
            response.correctedQuery = try correction(of: request.query)
            return response
        }
    }

    /// Runs a built query with the request's sort, collapsing, facets and page;
    /// snippets mark its words and `extraWords`.
    func run(_ query: Query, marking extraWords: [String] = [], request: SearchRequest) throws -> SearchResponse {
        let started = DispatchTime.now()
        let enquire = try Enquire(database: database)
        try enquire.setQuery(query)
        try enquire.setTimeLimit(seconds: limits.timeLimitSeconds)
        switch request.sort {
        case .relevance: try enquire.setSort(.relevance)
        case .newest: try enquire.setSort(.value(slot: Schema.Slot.date, descending: true))
        case .oldest: try enquire.setSort(.value(slot: Schema.Slot.date, descending: false))
        }
        let pageEnd = request.offset + request.limit
        // A deadline, not Xapian's time limit alone (which only gives up exact
        // counts): remote shards cannot run it, and keep Xapian's limit and their timeouts.
        if limits.timeLimitSeconds > 0, shards.allSatisfy({ if case .local = $0 { true } else { false } }) {
            try enquire.setDeadline(seconds: limits.timeLimitSeconds, keep: pageEnd,
                                    sortSlot: request.sort == .relevance ? nil : Schema.Slot.date,
                                    descending: request.sort == .newest)
        }
        if request.collapse { try enquire.setCollapseKey(slot: Schema.Slot.story) }
        var facets: [(name: String, facet: Enquire.Facet)] = []
        for name in request.facets {
            guard let (slot, separator) = Fields.facet(named: name) else {
                throw SearchError.badFieldValue(field: "facets", message: "unknown facet \"\(name)\"; facets are \(Fields.facetNames.joined(separator: ", "))")
            }
            facets.append((name, try enquire.addFacet(slot: slot, separator: separator)))
        }
        // Counts are exact whenever fewer than this many match: cheap, and what people expect.
        var checkAtLeast = max(pageEnd, limits.exactCountsUpTo)
        if !facets.isEmpty { checkAtLeast = max(checkAtLeast, limits.facetCheckAtLeast) }
        if request.exact { checkAtLeast = max(checkAtLeast, try database.documentCount) }
        let matches: MatchSet
        switch Result(catching: { () throws(XapianError) -> MatchSet in
            try enquire.matches(first: request.offset, maxItems: request.limit, checkAtLeast: checkAtLeast)
        }) {
        case .success(let found): matches = found
        case .failure(let error) where error.code == .timeBudget:
            return try stoppedAnswer(enquire, query: query, marking: extraWords, request: request, started: started)
        case .failure(let error): throw error
        }
        let counts = try matches.counts()
        let highlighter = try highlightMatches(for: query, adding: extraWords)
        var hits: [Hit] = []
        for index in 0..<matches.count {
            let hit = try matches.hit(at: index)
            hits.append(try self.hit(try matches.document(at: index), rank: hit.rank + 1, percent: hit.percent,
                                     collapsed: hit.collapseCount, highlighter: highlighter))
        }
        var facetValues: [String: [FacetValue]] = [:]
        for (name, facet) in facets {
            facetValues[name] = try enquire.values(of: facet).map {
                FacetValue(value: String(decoding: $0.value, as: UTF8.self), count: $0.count)
            }.filter { !$0.value.isEmpty }
        }
        let took = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
        let missing = shardSet.missing
        return SearchResponse(query: request.query, correctedQuery: nil,
                              total: .init(lower: counts.lower, estimated: counts.estimated, upper: counts.upper),
                              offset: request.offset, limit: request.limit, tookMs: took, hits: hits, facets: facetValues,
                              partial: !missing.isEmpty,
                              partialReason: missing.isEmpty ? nil : SearchResponse.partialForMissingShards,
                              missingShards: missing)
    }

    /// A hit from its stored document: its fields, and a snippet of the body (read as
    /// stored bytes).
    func hit(_ document: Document, rank: Int, percent: Int, collapsed: Int, highlighter: MatchSet?) throws -> Hit {
        let (stored, body) = try StoredDocument.summary(try document.data())
        return Hit(id: stored.id, rank: rank, percent: percent, kind: stored.kind,
                   title: stored.title, date: stored.date, lang: stored.lang,
                   provinces: stored.provinces.map(\.name), number: stored.numberWritten ?? stored.number,
                   issuer: stored.issuer, source: limits.sourcePaths.shown(stored.source, id: stored.id), url: stored.url,
                   snippet: try snippet(body, highlighter: highlighter), collapsed: collapsed)
    }

    /// Xapian highlights a phrase only by comparing raw words with its terms, so a
    /// phrase of folded terms would never be marked: snippets come from a query of
    /// the same terms, loose.
    func highlightMatches(for query: Query, adding extraWords: [String]) throws -> MatchSet? {
        let queryTerms = try query.terms()
        let terms = (queryTerms + extraWords.filter { !queryTerms.contains($0) }).filter { term in
            guard let first = term.unicodeScalars.first else { return false }
            if term.hasPrefix(Schema.Prefix.stemmed) {
                let second = term.unicodeScalars.dropFirst().first
                return second.map { !($0.properties.isUppercase) } ?? false
            }
            return !first.properties.isUppercase
        }
        guard !terms.isEmpty else { return nil }
        let enquire = try Enquire(database: database)
        try enquire.setQuery(Query.combine(.or, terms.map { try Query.term($0) }))
        return try enquire.matches(maxItems: 0)
    }

    func snippet(_ text: ArraySlice<UInt8>, highlighter: MatchSet?) throws -> String {
        guard let highlighter else { return SnippetHTML.escape(Searcher.opening(of: text, length: limits.snippetLength)) }
        // Not exhaustive: Xapian stops at the first window it judges good enough instead
        // of scoring every window of the body. No background model: it looks up the
        // frequency of every other word of the text to prefer windows of rare words;
        // windows are chosen by the query's words, as Meilisearch and Typesense crop.
        // Each cut a page's snippets by half or more (docs/benchmark-findings.md).
        let raw = try highlighter.snippet(ofUTF8: SnippetHTML.withoutMarks(text), length: limits.snippetLength, stemmer: stemmer.stemmer,
                                          highlight: (SnippetHTML.markStart, SnippetHTML.markEnd), omit: "…",
                                          exhaustive: false)
        return SnippetHTML.render(raw)
    }

    /// The first `length` characters of a text (a snippet when nothing is highlighted).
    static func opening(of text: ArraySlice<UInt8>, length: Int) -> String {
        let string = String(decoding: text, as: UTF8.self)
        return string.count > length ? String(string.prefix(length)) + "…" : string
    }

    /// A correction of the query's words that the index does not have (Xapian's own
    /// parser would also "correct" words it has), or nil.
    public func correction(of query: String) throws -> String? {
        var corrected = query
        var changed = false
        for (range, word) in QueryText.plainWords(query).reversed() {
            let key = Folding.foldKey(word)
            guard key.count >= 3, key.first?.isLetter == true else { continue }
            if try database.termFrequency(Schema.Prefix.stemmed + stemmer.stem(key)) > 0 { continue }
            guard let suggestion = try database.spellingSuggestion(for: key, maxEditDistance: 2),
                  try database.termFrequency(Schema.Prefix.stemmed + stemmer.stem(suggestion)) > 0 else { continue }
            corrected.replaceSubrange(range, with: suggestion)
            changed = true
        }
        return changed ? corrected : nil
    }
}
