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
    /// A spelling correction is looked for (unless the request says) when fewer than
    /// this many documents match: with more, the words were found.
    public var spellingBelow = 5
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
    /// Some shards are served by xapian-tcpsrv: they run only Xapian's own match spies.
    var hasRemoteShards: Bool { !shards.allSatisfy { if case .local = $0 { true } else { false } } }
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
        // Not a field of the table: the wildcards QueryText.foldedWildcards writes
        // expand over the folded stems with it.
        try parser.addPrefix(field: QueryText.foldedField, prefix: Schema.Prefix.stemmed)
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
                        switch try readRange(start, end) {
                        case .dates(let range):
                            return .query(try dateFilter.query(from: range.from, to: range.to))
                        case .amounts(let low, let high):
                            guard let slot = field.slot else { return .notMine }
                            return .query(try Query.valueRange(slot: slot, from: Schema.amountValue(low ?? 0),
                                                               to: Schema.amountValue(high ?? Int.max)))
                        }
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
        /// The wildcards cut at their expansion limit, said in words.
        var notes: [String] = []
    }

    /// The Xapian query for a request: the parsed text (with a boost for documents
    /// that have the exact diacritic forms typed) and the terms of the places its
    /// words name, filtered by the request's fields.
    func query(for request: SearchRequest, filters: SearchFilters? = nil) throws -> PreparedQuery {
        let filters = try filters ?? SearchFilters(request, gazetteer: resources.gazetteer)
        let text = QueryText.prepare(request.query)
        if let single = QueryText.amountWithoutRange(text) {
            throw SearchError.querySyntax("\(single): amount: takes a range of sums in đồng, like amount:10tỷ.. (at least), "
                                          + "amount:..5e9 (at most) or amount:1tỷ..50tỷ")
        }
        if let negated = QueryText.negatedOnly(text) {
            return try everythingBut(negated, filters: filters)
        }
        var typed = QueryText.numbersTyped(in: text)
        numberMarking = []
        let phrases = try glossaryPhrases(in: &typed.rest)
        let named = QueryText.placesNamed(in: typed.rest, gazetteer: resources.gazetteer)
        // A place's term, weighted by how often a document names it, stands for the
        // name's words: they would also match every "hai" (two) and "đường" (road).
        let placeTerms = try named.places.map { try Query.term(Schema.term(Schema.Prefix.placeNamed, $0.slug)) }
        var marking = try named.names.flatMap { try parse($0).terms() }
        var main: Query
        var expansion: UInt32 = 0
        if named.rest.trimmingCharacters(in: .whitespaces).isEmpty {
            main = placeTerms.isEmpty ? try Query.matchAll() : try Query.combine(.and, placeTerms)
        } else {
            let parsed = try parse(named.rest)
            expansion = wildcardExpansion
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
        if !typed.numbers.isEmpty || !phrases.isEmpty {
            let numbers = try typed.numbers.map { try numberQuery($0.number, written: $0.written) }
            for phrase in phrases { marking += try phrase.terms() }
            let rest = named.rest.trimmingCharacters(in: .whitespaces).isEmpty && named.places.isEmpty ? [] : [main]
            main = try Query.combine(.and, rest + numbers + phrases)
        }
        // Syllables typed together rank the documents that write them together (a
        // Vietnamese word, "điều tra") above those where they are scattered ("Điều 2 …
        // thanh tra"): one pair term each, no positions read.
        let pairs = QueryText.syllablePairs(in: named.rest)
        if !pairs.isEmpty {
            main = try Query.combine(.andMaybe, [main, Query.combine(.or, pairs.map { try Query.term($0) })])
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
        let wildcards = try wildcardsCut(in: named.rest, expansion: expansion)
        marking += wildcards.expansions + numberMarking
        marking += try markingOfMatches(in: main)
        var seen = Set<String>()
        return PreparedQuery(query: query, marking: marking.filter { seen.insert($0).inserted }, places: named.places,
                             notes: wildcards.notes)
    }

    /// Words snippets mark for what the query's own terms do not show: a field's
    /// words as the body writes them (`person:"Lê Quang Vinh"`'s
    /// `ZXAvinh` is the body's `Zvinh`).
    private func markingOfMatches(in query: Query) throws -> [String] {
        var marking: [String] = []
        for term in try query.terms() {
            // A concept's words are not marked: marked one folded syllable at a time they
            // mark other words ("land allocation" marked "Dũng" for "sử dụng đất") and move
            // the snippet's window off the query's own words (SnippetQualityTests).
            if term.hasPrefix(Schema.Prefix.stemmed),
               let prefix = Schema.textPrefixes.first(where: { !$0.isEmpty && term.dropFirst().hasPrefix($0) }) {
                marking.append(Schema.Prefix.stemmed + term.dropFirst(1 + prefix.count))
            }
        }
        return marking
    }

    /// The expansion each wildcard of the last text parsed was given (less than the
    /// limit when several share `maxOrTerms`).
    private var wildcardExpansion: UInt32 = 0

    /// A note for each wildcard of the text that matches more words than it was
    /// expanded to: Xapian searched its most frequent ones only, so the count is not
    /// of what was typed.
    private func wildcardsCut(in text: String, expansion wildcardExpansion: UInt32) throws
        -> (notes: [String], expansions: [String]) {
        guard text.contains("*"), wildcardExpansion > 0 else { return ([], []) }
        var notes: [String] = []
        var expansions: [String] = []
        for token in text.split(whereSeparator: { $0.isWhitespace || $0 == "(" || $0 == ")" }) where token.hasSuffix("*") {
            // Empty pieces kept: a lone "*" or ":*" is a wildcard of nothing, skipped below.
            let parts = token.dropLast().split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                .map(String.init)
            let (field, word) = parts.count == 2 ? (parts[0], parts[1]) : ("", parts[0])
            let prefix = field == QueryText.foldedField ? Schema.Prefix.stemmed
                : field.isEmpty ? "" : (Fields.all.first { $0.name == field && $0.kind == .freeText }?.prefix ?? "")
            guard !word.isEmpty, field.isEmpty || !prefix.isEmpty else { continue }
            let typed = field == QueryText.foldedField ? word : word.lowercased()
            let matched = try database.terms(prefix: prefix + typed, limit: Int(wildcardExpansion) + 1)
            // Snippets mark the words it matched, as written in the body (the other
            // fields' words are the body's too).
            if prefix.isEmpty || prefix == Schema.Prefix.stemmed {
                expansions += matched.prefix(Int(wildcardExpansion)).map(\.term)
            }
            if matched.count > Int(wildcardExpansion) {
                notes.append("\(field == QueryText.foldedField ? "" : field.isEmpty ? "" : field + ":")\(typed)* matches more than \(wildcardExpansion) words: the \(wildcardExpansion) most frequent were searched, so the count is not exact; type a longer prefix")
            }
        }
        var unique = Set<String>()  // a folded twin (QueryText.foldedWildcards) says what its word says
        return (notes.filter { unique.insert($0).inserted }, expansions)
    }

    /// A query of negations alone: every document but those matching any of them,
    /// filtered by the request's fields.
    private func everythingBut(_ negated: [String], filters: SearchFilters) throws -> PreparedQuery {
        let excluded = try Query.combine(.or, negated.map { try parse($0) })
        var query = try Query.combine(.andNot, [Query.matchAll(), excluded])
        var filterQueries = try filters.terms.map { try Query.term($0) }
        if let dates = filters.dates { filterQueries.append(try dateFilter.query(from: dates.from, to: dates.to)) }
        if !filterQueries.isEmpty { query = try Query.combine(.filter, [query, Query.combine(.and, filterQueries)]) }
        return PreparedQuery(query: query, marking: [], places: [])
    }

    /// The quoted phrases of a plain query that are glossary variants ("steering
    /// committee", "ban chỉ đạo"), taken out of the text: each becomes the phrase OR
    /// its concept, so that a phrase reaches the documents of the other language as
    /// the same words unquoted do (Xapian applies multi-word synonyms only outside quotes).
    private func glossaryPhrases(in text: inout String) throws -> [Query] {
        var found: [Query] = []
        for (range, words) in QueryText.plainPhrases(in: text).reversed() {
            let key = Words.split(words).map { $0.text.lowercased() }.joined(separator: " ")
            let folded = Words.split(words).map(\.key).joined(separator: " ")
            guard let concept = try (database.synonyms(of: key) + database.synonyms(of: folded))
                .first(where: { $0.hasPrefix(Schema.Prefix.concept) }) else { continue }
            found.append(try Query.combine(.or, [parse(String(text[range])), Query.term(concept)]))
            text.replaceSubrange(range, with: " ")
        }
        return found.reversed()
    }

    /// How much more the document a typed number names weighs than the number's
    /// words: its `XN` term alone (rare, so already weighty) weighs about as much as
    /// the three words of a mention, and the document that is the number must rank
    /// above documents that only cite it, however often they do.
    static let ownNumberScale = 4.0

    /// A number typed in a query: the document that has it (ranked first), the
    /// documents citing it in any spelling (`XR`), and the text that writes it as typed.
    /// The parts of the numbers the last query typed, for snippets.
    private var numberMarking: [String] = []

    private func numberQuery(_ number: DocumentNumber, written: String) throws -> Query {
        var alternatives = [try Query.term(Fields.number.term(.number(number))).scaled(by: Searcher.ownNumberScale),
                            try Query.term(Fields.cites.term(.number(number)))]
        let words = try parse(written)
        if !words.isEmpty { alternatives.append(words) }
        // Snippets mark the number's parts however the text writes it ("67-QĐ/TW" for "67QĐ/TW").
        numberMarking += number.canonical.split(whereSeparator: { $0 == "-" || $0 == "/" })
            .map { Schema.Prefix.stemmed + stemmer.stem(String($0).lowercased()) }
        return try Query.combine(.or, alternatives)
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
        wildcardExpansion = limits.maxWildcardExpansion
        let twins = text.components(separatedBy: QueryText.foldedField + ":").count - 1
        return try withinBudget(parseOnce(text), twins: twins) { expansion in
            wildcardExpansion = expansion
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
            var timings = SearchTimings()
            let prepared = try timings.time(.prepare) { try query(for: request, filters: filters) }
            var response = try run(prepared.query, marking: prepared.marking, request: request, timings: &timings)
            response.places = prepared.places.map(\.name)
            if !prepared.notes.isEmpty {
                response.notes = prepared.notes
                let total = response.total
                response.total = .init(lower: total.lower, estimated: total.estimated, upper: total.upper, exact: false)
            }
            if request.spelling ?? (response.total.upper < limits.spellingBelow) {
                response.correctedQuery = try timings.time(.spelling) { try correction(of: request.query) }
            }
            response.timings = timings.byName
            return response
        }
    }

    /// Runs a built query with the request's sort, collapsing, facets and page;
    /// snippets mark its words and `extraWords`.
    func run(_ query: Query, marking extraWords: [String] = [], request: SearchRequest,
             timings: inout SearchTimings) throws -> SearchResponse {
        let started = DispatchTime.now()
        let matchStarted = SearchTimings.now()
        let enquire = try Enquire(database: database)
        try enquire.setQuery(query)
        try enquire.setTimeLimit(seconds: limits.timeLimitSeconds)
        switch request.sort {
        case .relevance: try enquire.setSort(.relevance)
        case .newest: try enquire.setSort(.value(slot: Schema.Slot.date, descending: true))
        case .oldest: try enquire.setSort(.value(slot: Schema.Slot.date, descending: false))
        case .amount: try enquire.setSort(.value(slot: Schema.Slot.amount, descending: true))
        }
        let pageEnd = request.offset + request.limit
        // A deadline, not Xapian's time limit alone (which only gives up exact
        // counts): remote shards cannot run it, and keep Xapian's limit and their timeouts.
        if limits.timeLimitSeconds > 0, !hasRemoteShards {
            try enquire.setDeadline(seconds: limits.timeLimitSeconds, keep: pageEnd,
                                    sortSlot: request.sort.slot, descending: request.sort.descending)
        }
        if request.collapse { try enquire.setCollapseKey(slot: Schema.Slot.story) }
        var facets: [(name: String, facet: Enquire.Facet)] = []
        for name in request.facets {
            guard let (slot, separator) = Fields.facet(named: name) else {
                throw SearchError.badFieldValue(field: "facets", message: "unknown facet \"\(name)\"; facets are \(Fields.facetNames.joined(separator: ", "))")
            }
            facets.append((name, try enquire.addFacet(slot: slot, separator: separator, remote: hasRemoteShards)))
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
            timings.add(.match, SearchTimings.since(matchStarted))
            return try stoppedAnswer(enquire, query: query, marking: extraWords, request: request, started: started,
                                     timings: &timings)
        case .failure(let error): throw error
        }
        let counts = try matches.counts()
        timings.add(.match, SearchTimings.since(matchStarted))
        let snippets = request.snippets && matches.count > 0 ? try Snippets(self, query: query, marking: extraWords, text: request.query, timings: &timings) : nil
        var hits: [Hit] = []
        for index in 0..<matches.count {
            let hit = try matches.hit(at: index)
            hits.append(try self.hit(try matches.document(at: index), rank: hit.rank + 1, percent: hit.percent,
                                     collapsed: hit.collapseCount, snippets: snippets, timings: &timings))
        }
        var facetValues: [String: [FacetValue]] = [:]
        for (name, facet) in facets {
            // The timeline is the year and month counts (the CLI's --timeline asks for them).
            let stage: SearchStage = name == "year" || name == "month" ? .timeline : .facets
            facetValues[name] = try timings.time(stage) {
                try enquire.values(of: facet).map {
                    FacetValue(value: String(decoding: $0.value, as: UTF8.self), count: $0.count)
                }.filter { !$0.value.isEmpty }
            }
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

    /// What makes a page's snippets: the highlighter (a query of the matched words)
    /// and the timings they are added to.
    struct Snippets {
        let highlighter: MatchSet?
        /// The query's phrases, whose words are marked only where the phrase is.
        let phrases: PhraseMarks?

        init(_ searcher: Searcher, query: Query, marking: [String], text: String, timings: inout SearchTimings) throws {
            highlighter = try timings.time(.snippets) { try searcher.highlightMatches(for: query, adding: marking) }
            phrases = PhraseMarks(query: QueryText.prepare(text), stem: searcher.stemmer.stem)
        }
    }

    /// A hit from its stored document: its fields, and a snippet of the body (read as
    /// stored bytes) when `snippets` is given.
    func hit(_ document: Document, rank: Int, percent: Int, collapsed: Int, snippets: Snippets?,
             timings: inout SearchTimings) throws -> Hit {
        let (stored, body) = try timings.time(.hits) { try StoredDocument.summary(try document.data()) }
        var snippet: String? = nil
        if let snippets {
            let started = SearchTimings.now()
            snippet = try self.snippet(body, highlighter: snippets.highlighter, phrases: snippets.phrases)
            timings.add(.snippets, SearchTimings.since(started))
        }
        return Hit(id: stored.id, rank: rank, percent: percent, kind: stored.kind,
                   title: stored.title, date: stored.date, lang: stored.lang,
                   provinces: stored.provinces.map(\.name), number: stored.numberWritten ?? stored.number,
                   issuer: stored.issuer, source: limits.sourcePaths.shown(stored.source, id: stored.id), url: stored.url,
                   snippet: snippet, collapsed: collapsed, amountVnd: try Searcher.amount(of: document))
    }

    /// The largest sum a document names, read from its slot rather than its data:
    /// the summary a hit reads stays as it was laid out before sums were kept.
    static func amount(of document: Document) throws -> Int? {
        let value = try document.value(slot: Schema.Slot.amount)
        guard !value.isEmpty else { return nil }
        let amount = Xapian.sortableUnserialise(value)
        return amount.isFinite && amount >= 0 && amount < 9.2e18 ? Int(amount) : nil
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

    func snippet(_ text: ArraySlice<UInt8>, highlighter: MatchSet?, phrases: PhraseMarks? = nil) throws -> String {
        guard let highlighter else { return SnippetHTML.escape(Searcher.opening(of: text, length: limits.snippetLength)) }
        // Not exhaustive: Xapian stops at the first window it judges good enough instead
        // of scoring every window of the body. No background model: it looks up the
        // frequency of every other word of the text to prefer windows of rare words;
        // windows are chosen by the query's words, as Meilisearch and Typesense crop.
        // Each cut a page's snippets by half or more (docs/benchmark-findings.md).
        let raw = try highlighter.snippet(ofUTF8: SnippetHTML.withoutMarks(text), length: limits.snippetLength, stemmer: stemmer.stemmer,
                                          highlight: (SnippetHTML.markStart, SnippetHTML.markEnd), omit: "…",
                                          exhaustive: false)
        guard let phrases else { return SnippetHTML.render(raw) }
        let marked = phrases.apply(raw)
        if marked.found { return SnippetHTML.render(marked.text) }
        // The first good window held a phrase's words apart. Where the text writes the
        // phrase as typed, the window is looked for from there (scoring every window of
        // the text instead cost ten times a page's snippets, docs/benchmarks.md).
        guard let offset = phrases.occurrence(in: text) else { return SnippetHTML.render(marked.text) }
        var from = max(text.startIndex, offset - 120)
        while from > text.startIndex, from < offset, text[from] & 0xC0 == 0x80 { from -= 1 }  // a character's first byte
        // Enough text for a window after the phrase, no more: Xapian reads all it is given.
        var to = min(text.endIndex, offset + 4 * limits.snippetLength)
        while to < text.endIndex, text[to] & 0xC0 == 0x80 { to += 1 }
        let region = text[from..<to]
        let again = try highlighter.snippet(ofUTF8: SnippetHTML.withoutMarks(region), length: limits.snippetLength,
                                            stemmer: stemmer.stemmer, highlight: (SnippetHTML.markStart, SnippetHTML.markEnd),
                                            omit: "…", exhaustive: false)
        let there = phrases.apply(again)
        guard there.found else { return SnippetHTML.render(marked.text) }
        return SnippetHTML.render(from > text.startIndex && !there.text.hasPrefix("…") ? "…" + there.text : there.text)
    }

    /// The first `length` characters of a text (a snippet when nothing is highlighted).
    static func opening(of text: ArraySlice<UInt8>, length: Int) -> String {
        let string = String(decoding: text, as: UTF8.self)
        return string.count > length ? String(string.prefix(length)) + "…" : string
    }

    /// A correction of the query's words that the index does not have (Xapian's own
    /// parser would also "correct" words it has), or nil.
    /// `completing`: the last word is being typed (`/v1/suggest`), and a word of the
    /// index begins with it ("insp"): it is left as it is, not "corrected" to another
    /// word ("into").
    public func correction(of query: String, completing: Bool = false) throws -> String? {
        var corrected = query
        var changed = false
        let words = QueryText.plainWords(query)
        for (index, (range, word)) in words.enumerated().reversed() {
            let key = Folding.foldKey(word)
            guard key.count >= 3, key.first?.isLetter == true else { continue }
            if try database.termFrequency(Schema.Prefix.stemmed + stemmer.stem(key)) > 0 { continue }
            if completing, index == words.count - 1, range.upperBound == query.endIndex,
               try !database.spellings(prefix: key, limit: 1).isEmpty { continue }
            guard let suggestion = try database.spellingSuggestion(for: key, maxEditDistance: 2),
                  try database.termFrequency(Schema.Prefix.stemmed + stemmer.stem(suggestion)) > 0 else { continue }
            corrected.replaceSubrange(range, with: try withMarks(of: word, on: suggestion))
            changed = true
        }
        return changed ? corrected : nil
    }

    /// The spelling dictionary holds folded words: a suggestion for a word typed with
    /// diacritics ("nhũg" → "nhung") takes the typed letters back where it keeps them
    /// ("nhũng"), when the index has that form; otherwise it stays folded.
    func withMarks(of typed: String, on suggestion: String) throws -> String {
        guard Folding.hasDiacritics(typed) || typed.contains(where: \.isUppercase) else { return suggestion }
        let original = Array(typed)
        let folded = original.map { Folding.foldKey(String($0)) }
        let target = Array(suggestion).map(String.init)
        // The longest common subsequence of the folded letters: each letter the two
        // share is the typed one, with its marks and case.
        var lengths = Array(repeating: Array(repeating: 0, count: target.count + 1), count: original.count + 1)
        for i in stride(from: original.count - 1, through: 0, by: -1) {
            for j in stride(from: target.count - 1, through: 0, by: -1) {
                lengths[i][j] = folded[i] == target[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var result = ""
        var (i, j) = (0, 0)
        while j < target.count {
            if i < original.count, folded[i] == target[j] {
                result.append(original[i])
                i += 1
                j += 1
            } else if i < original.count, lengths[i + 1][j] >= lengths[i][j + 1] {
                i += 1
            } else {
                result += target[j]
                j += 1
            }
        }
        let normalized = TextNormalization.normalize(result)
        return try database.termFrequency(normalized.lowercased()) > 0 ? normalized : suggestion
    }
}

extension SearchRequest.Sort {
    /// The value slot a sort orders by (nil: by relevance), and in which direction:
    /// the newest or the largest sum first.
    var slot: UInt32? {
        switch self {
        case .relevance: nil
        case .newest, .oldest: Schema.Slot.date
        case .amount: Schema.Slot.amount
        }
    }

    var descending: Bool { self == .newest || self == .amount }
}
