import ACSearchAPI
import Dispatch
import XapianKit

/// A query's cost is bounded before it runs, and its time while it runs: what one
/// request may take from a daemon that several services share.
///
/// Before: the parsed query is measured on its tree (`Query.cost`). Its wildcards
/// share one budget of OR'd posting lists with the query's other OR'd terms, each
/// expanding to at most its share (the most frequent terms); a query with more
/// wildcards, OR'd terms, terms read with positions, or terms in all than the limits
/// allow is refused (`SearchError.tooCostly`) saying which limit and what to do. Xapian expands
/// wildcards and opens every posting list before the first match, where no deadline
/// can reach: only this bound keeps that part short (without it, a long query of
/// wildcards ran far past the time limit: docs/reliability.md).
///
/// While: a deadline in the match (`Enquire.setDeadline`) stops it at the time limit;
/// the answer then holds the best hits found so far, marked partial ("time_budget").
extension Searcher {
    /// Whether a request looks expensive before it is parsed: wildcards, phrases,
    /// many words, OR and NEAR, facets, exact counts. Such requests share fewer
    /// readers than cheap ones (the daemon's `ReaderPool`), so a one-word search is
    /// never queued behind them; a wrong guess is corrected by the pool, which also
    /// counts as costly every request of a client whose recent ones were slow.
    public static func looksCostly(_ request: SearchRequest) -> Bool {
        if !request.facets.isEmpty || request.exact { return true }
        let text = request.query
        if text.contains(where: { $0 == "*" || $0 == "\"" }) { return true }
        let words = text.split(whereSeparator: \.isWhitespace)
        if words.count > 6 { return true }
        return words.contains { ["OR", "NEAR", "ADJ", "XOR"].contains(String($0)) }
    }

    /// `parsed`, if within the budget; parsed again by `reparse` with a smaller
    /// expansion per wildcard when its wildcards together would pass `maxOrTerms`.
    /// `twins`: wildcards QueryText.foldedWildcards added beside the typed ones, which
    /// share the OR budget but are not counted against `maxWildcards` (the user typed one).
    func withinBudget(_ parsed: Query, twins: Int = 0, reparse: (UInt32) throws -> Query) throws -> Query {
        let cost = try parsed.cost()
        let refuse = SearchError.tooCostly
        let typed = max(0, cost.wildcards - twins)
        if typed > limits.maxWildcards {
            throw refuse("it has \(typed) wildcards, and at most \(limits.maxWildcards) are allowed; use fewer, with longer prefixes")
        }
        if cost.positionalTerms > limits.maxPositionalTerms {
            throw refuse("its phrases and NEAR groups hold \(cost.positionalTerms) words, and at most \(limits.maxPositionalTerms) are allowed; shorten them")
        }
        if cost.terms > limits.maxTerms {
            throw refuse("it has \(cost.terms) terms, and at most \(limits.maxTerms) are allowed; shorten it")
        }
        let room = limits.maxOrTerms - cost.orTerms
        if room < cost.wildcards || (cost.wildcards == 0 && room < 0) {
            throw refuse("it joins \(cost.orTerms) terms\(cost.wildcards > 0 ? " and \(cost.wildcards) wildcards" : "") with OR, and at most \(limits.maxOrTerms) are allowed; use fewer alternatives")
        }
        guard cost.wildcards > 0 else { return parsed }
        let share = room / cost.wildcards
        return share < Int(limits.maxWildcardExpansion) ? try reparse(UInt32(share)) : parsed
    }

    /// The answer of a match stopped at its deadline: the best hits it had found (by
    /// the request's order), counts that say only how many it had found, no facets.
    func stoppedAnswer(_ enquire: Enquire, query: Query, marking extraWords: [String], request: SearchRequest,
                       started: DispatchTime, timings: inout SearchTimings) throws -> SearchResponse {
        let (found, seen) = try enquire.stoppedMatches()
        let page = found.dropFirst(request.offset).prefix(request.limit)
        let snippets = request.snippets && !page.isEmpty ? try Snippets(self, query: query, marking: extraWords, text: request.query, timings: &timings) : nil
        var hits: [Hit] = []
        for (index, id) in page.enumerated() {
            let document = try timings.time(.hits) { try database.document(id: id) }
            hits.append(try hit(document, rank: request.offset + index + 1, percent: 0, collapsed: 0,
                                snippets: snippets, timings: &timings))
        }
        let took = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e6
        return SearchResponse(query: request.query, correctedQuery: nil,
                              total: .init(lower: seen, estimated: seen, upper: try database.documentCount),
                              offset: request.offset, limit: request.limit, tookMs: took, hits: hits, facets: [:],
                              partial: true, partialReason: SearchResponse.partialForTimeBudget,
                              missingShards: shardSet.missing)
    }
}
