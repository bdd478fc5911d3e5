import ACSearchAPI
import ACSearchAnalysis
import Foundation
import XapianKit

extension Searcher {
    /// The stored document with this id, with what it cites and what cites it.
    public func document(id: String) throws -> DocumentResponse {
        guard let docid = try database.documentID(withTerm: Schema.term(Schema.Prefix.id, id)) else {
            throw SearchError.documentNotFound(id: id)
        }
        let stored = try StoredDocument.decode(try database.document(id: docid).data())
        let citedBy = try stored.number.map { try references(Schema.term(Schema.Prefix.cites, DocumentNumber.key(ofCanonical: $0)), limit: 100) } ?? []
        var citesDocuments: [DocumentResponse.Reference] = []
        for number in stored.cites {
            citesDocuments += try references(Schema.term(Schema.Prefix.number, DocumentNumber.key(ofCanonical: number)), limit: 1)
        }
        return DocumentResponse(
            id: stored.id, kind: stored.kind, title: stored.title, body: stored.body, date: stored.date,
            lang: stored.lang, number: stored.numberWritten ?? stored.number, cites: stored.cites,
            citesWritten: stored.citesWritten, citedBy: citedBy, citesDocuments: citesDocuments,
            provinces: stored.provinces.map { province in
                var named = province
                named.nowName = province.now.flatMap { resources.gazetteer.province(slug: $0)?.name }
                return named
            },
            issuer: stored.issuer, people: stored.people.map { .init(name: $0.name, position: $0.position) },
            url: stored.url, source: limits.sourcePaths.shown(stored.source, id: stored.id), fields: stored.fields)
    }

    /// Documents like this one: its most telling terms (relevance feedback), the
    /// document itself excluded, under the request's filters.
    public func similar(id: String, request: SearchRequest) throws -> SearchResponse {
        try similar(id: id, request: request, filters: SearchFilters(request, gazetteer: resources.gazetteer))
    }

    public func similar(id: String, request: SearchRequest, filters: SearchFilters) throws -> SearchResponse {
        let uniqueTerm = Schema.term(Schema.Prefix.id, id)
        guard let docid = try database.documentID(withTerm: uniqueTerm) else {
            throw SearchError.documentNotFound(id: id)
        }
        let expansion = try Enquire(database: database)
        let terms = try expansion.expandTerms(relevant: [docid], maxTerms: 60, prefix: Schema.Prefix.stemmed)
            .map(\.term)
            .filter { $0.unicodeScalars.dropFirst().first.map { !$0.properties.isUppercase } ?? false }
            .prefix(30)
        var likeThis = request
        likeThis.query = ""
        let base = try Query.combine(.andNot, [
            terms.isEmpty ? Query.matchNothing() : Query.combine(.or, terms.map { try Query.term($0) }),
            Query.term(uniqueTerm),
        ])
        return try search(likeThis, filters: filters, replacingTextWith: base, label: "similar:\(id)")
    }

    /// The document with this number, if indexed, and every document citing it.
    public func citations(number text: String) throws -> CitationsResponse {
        let number = try Fields.documentNumber(text)
        let own = try references(Fields.number.term(.number(number)), limit: 1).first
        let citing = try references(Fields.cites.term(.number(number)), limit: 1000)
        return CitationsResponse(number: number.canonical, document: own, citedBy: citing)
    }

    /// Completions of the query's last word (from the words of the index, most
    /// frequent first) and a spelling correction of the query.
    public func suggest(_ query: String, limit: Int = 10) throws -> SuggestResponse {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        var completions: [String] = []
        if let lastSpace = trimmed.lastIndex(where: { $0.isWhitespace }) ?? Optional(trimmed.startIndex),
           !trimmed.isEmpty {
            let head = trimmed[..<lastSpace]
            let last = String(trimmed[lastSpace...]).trimmingCharacters(in: .whitespaces)
            let key = Folding.foldKey(last)
            if key.count >= 2, !key.contains(":") {
                let words = try database.spellings(prefix: key, limit: 5_000)
                    .sorted { $0.frequency != $1.frequency ? $0.frequency > $1.frequency : $0.word < $1.word }
                    .prefix(limit)
                let prefix = head.isEmpty ? "" : String(head).trimmingCharacters(in: .whitespaces) + " "
                completions = words.map { prefix + $0.word }
            }
        }
        return SuggestResponse(query: query, completions: completions, correction: try correction(of: query, completing: true))
    }

    /// Counts of the index for /v1/status.
    public func statistics() throws -> IndexStatistics {
        let enquire = try Enquire(database: database)
        try enquire.setQuery(Query.matchAll())
        let kinds = try enquire.addFacet(slot: Schema.Slot.kind)
        let languages = try enquire.addFacet(slot: Schema.Slot.language)
        let documents = try database.documentCount
        _ = try enquire.matches(maxItems: 0, checkAtLeast: documents)
        func table(_ facet: Enquire.Facet) throws -> [String: Int] {
            Dictionary(try enquire.values(of: facet).map { (String(decoding: $0.value, as: UTF8.self), $0.count) },
                       uniquingKeysWith: +)
        }
        let revision = try? database.revision
        let lastChange = try database.metadata(Schema.Metadata.lastChange)
        let version = Int(try database.metadata(Schema.Metadata.schemaVersion)) ?? 0
        return IndexStatistics(documents: documents, kinds: try table(kinds), languages: try table(languages),
                               revision: revision.map(String.init), lastChange: lastChange.isEmpty ? nil : lastChange,
                               schemaVersion: version, shards: shardSet.states)
    }

    // MARK: - Helpers

    /// Documents holding a boolean term, newest first.
    func references(_ term: String, limit: Int) throws -> [DocumentResponse.Reference] {
        let enquire = try Enquire(database: database)
        try enquire.setQuery(Query.term(term))
        try enquire.setSort(.value(slot: Schema.Slot.date, descending: true))
        let matches = try enquire.matches(maxItems: limit)
        return try (0..<matches.count).map { index in
            let stored = try StoredDocument.summary(try matches.document(at: index).data()).summary
            return DocumentResponse.Reference(id: stored.id, title: stored.title, kind: stored.kind, date: stored.date,
                                              number: stored.numberWritten ?? stored.number)
        }
    }

    /// Runs a request whose text part is an already-built query.
    func search(_ request: SearchRequest, filters: SearchFilters, replacingTextWith base: Query, label: String) throws -> SearchResponse {
        let filtered = try query(for: request, filters: filters).query  // match-all text, so only the filters count
        let combined = try Query.combine(.filter, [base, filtered])
        var timings = SearchTimings()
        var response = try run(combined, request: request, timings: &timings)
        response.query = label
        response.timings = timings.byName
        return response
    }
}

/// What /v1/status reports of the index.
public struct IndexStatistics: Sendable {
    public let documents: Int
    public let kinds: [String: Int]
    public let languages: [String: Int]
    /// The committed revision of a single local index (none for several shards).
    public let revision: String?
    public let lastChange: String?
    public let schemaVersion: Int
    /// Each shard and whether it answers.
    public let shards: [ShardSet.State]
}
