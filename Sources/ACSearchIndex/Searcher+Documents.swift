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
        var citedBy: [DocumentResponse.Reference] = []
        if let number = stored.number {
            // The documents citing its number that mean it, or may (marked ambiguous).
            let candidates = try citationCandidates(number)
            for citing in try citing(number, limit: 100) {
                let resolution = citing.resolution(among: candidates)
                guard resolution.documents.contains(where: { $0.id == stored.id }) else { continue }
                var reference = citing.reference
                reference.ambiguous = resolution.ambiguous ? true : nil
                citedBy.append(reference)
            }
        }
        var citesDocuments: [DocumentResponse.Reference] = []
        var candidatesByNumber: [String: [DocumentResponse.Reference]] = [:]
        let guesses = stored.provinces.map(\.slug)
        for (number, named) in zip(stored.cites, stored.citedProvinces) {
            if candidatesByNumber[number] == nil { candidatesByNumber[number] = try citationCandidates(number) }
            let resolution = CitationResolution(candidates: candidatesByNumber[number]!, named: named, guesses: guesses,
                                                isLocal: DocumentNumber(number)?.isLocal ?? true)
            for var document in resolution.documents where !citesDocuments.contains(where: { $0.id == document.id }) {
                document.ambiguous = resolution.ambiguous ? true : nil
                citesDocuments.append(document)
            }
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
            url: stored.url, source: limits.sourcePaths.shown(stored.source, id: stored.id), fields: stored.fields,
            amounts: stored.amounts.map { .init(vnd: $0.vnd, written: $0.written) })
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

    /// Every indexed document with this number (local bodies reuse numbers), and
    /// every document citing it, each with the one it means or, when that cannot be
    /// told, the candidates it may mean.
    public func citations(number text: String) throws -> CitationsResponse {
        let number = try Fields.documentNumber(text)
        let candidates = try citationCandidates(number.canonical)
        let citedBy = try citing(number.canonical, limit: 1000).map { citing -> DocumentResponse.Reference in
            let resolution = citing.resolution(among: candidates)
            var reference = citing.reference
            if resolution.ambiguous {
                reference.ambiguous = true
                reference.candidates = resolution.documents.map(\.id)
            } else {
                reference.resolvesTo = resolution.documents.first?.id
            }
            return reference
        }
        return CitationsResponse(number: number.canonical, documents: candidates, citedBy: citedBy)
    }

    /// The documents that have a number (canonical form), each with its province.
    func citationCandidates(_ canonical: String) throws -> [DocumentResponse.Reference] {
        try references(Schema.term(Schema.Prefix.number, DocumentNumber.key(ofCanonical: canonical)), limit: 50)
    }

    /// A document citing a number: how it cites it (the issuers named beside it, its
    /// own provinces as the guess), read from its data without its body.
    struct Citing {
        let reference: DocumentResponse.Reference
        let named: [String?]
        let guesses: [String]
        let isLocal: Bool

        /// What its citations of the number mean; the one a text names the issuer of
        /// wins when it cites the number twice.
        func resolution(among candidates: [DocumentResponse.Reference]) -> CitationResolution {
            let resolutions = (named.isEmpty ? [nil] : named).map {
                CitationResolution(candidates: candidates, named: $0, guesses: guesses, isLocal: isLocal)
            }
            guard resolutions.count > 1 else { return resolutions[0] }
            // Cited twice (two issuers' documents of one number): it means each it decides.
            let decided = resolutions.filter { !$0.ambiguous }.flatMap(\.documents)
            if !decided.isEmpty { return CitationResolution(documents: decided, ambiguous: false) }
            return resolutions.max { $0.documents.count < $1.documents.count }!
        }
    }

    /// Documents citing a number, newest first.
    func citing(_ canonical: String, limit: Int) throws -> [Citing] {
        let enquire = try Enquire(database: database)
        try enquire.setQuery(Query.term(Schema.term(Schema.Prefix.cites, DocumentNumber.key(ofCanonical: canonical))))
        try enquire.setSort(.value(slot: Schema.Slot.date, descending: true))
        let matches = try enquire.matches(maxItems: limit)
        let isLocal = DocumentNumber(canonical)?.isLocal ?? true
        return try (0..<matches.count).map { index in
            let (summary, cites, provinces) = try StoredDocument.citations(try matches.document(at: index).data())
            let named = zip(cites, provinces).filter { $0.0 == canonical }.map(\.1)
            return Citing(reference: Self.reference(summary), named: named, guesses: summary.provinces.map(\.slug),
                          isLocal: isLocal)
        }
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
        let kinds = try enquire.addFacet(slot: Schema.Slot.kind, remote: hasRemoteShards)
        let languages = try enquire.addFacet(slot: Schema.Slot.language, remote: hasRemoteShards)
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
            Self.reference(try StoredDocument.summary(try matches.document(at: index).data()).summary)
        }
    }

    /// A reference to a document, with the province and issuer that tell two documents
    /// of one number apart.
    static func reference(_ stored: StoredDocument.Summary) -> DocumentResponse.Reference {
        DocumentResponse.Reference(id: stored.id, title: stored.title, kind: stored.kind, date: stored.date,
                                   number: stored.numberWritten ?? stored.number, province: stored.provinces.first?.name,
                                   issuer: stored.issuer, provinceSlug: stored.provinces.first?.slug)
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

/// What a citation of a number means among the indexed documents that have it.
///
/// A national body's number names one document: the one indexed, or all of them
/// (ambiguous) if several are. A local body's number ("12-CT/TU") means the document
/// of the province its text names as the issuer, and none if that one is not indexed;
/// with none named, the document of the citing document's own provinces (the first
/// that has one), and when none of them has one, every candidate, marked ambiguous
/// (the only one indexed may be another province's). With no province at all, the
/// only candidate, or all of them, ambiguous.
struct CitationResolution {
    let documents: [DocumentResponse.Reference]
    let ambiguous: Bool

    init(documents: [DocumentResponse.Reference], ambiguous: Bool) {
        self.documents = documents
        self.ambiguous = ambiguous && documents.count > 0
    }

    init(candidates: [DocumentResponse.Reference], named: String?, guesses: [String], isLocal: Bool) {
        func decided(_ found: [DocumentResponse.Reference]) -> CitationResolution {
            CitationResolution(documents: found, ambiguous: found.count > 1)
        }
        guard isLocal, !candidates.isEmpty else { self = decided(candidates); return }
        if let named {
            self = decided(candidates.filter { $0.provinceSlug == named })
            return
        }
        for guess in guesses {
            let found = candidates.filter { $0.provinceSlug == guess }
            if !found.isEmpty { self = decided(found); return }
        }
        self = guesses.isEmpty ? decided(candidates) : CitationResolution(documents: candidates, ambiguous: true)
    }
}
