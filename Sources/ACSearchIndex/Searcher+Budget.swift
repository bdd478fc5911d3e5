import ACSearchAPI

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
}
