import ACSearchAPI
import ACSearchIndex
import Logging

extension Router {
    /// The web page's routes (`WebSite.page`), or nil for a path that is not the site's.
    /// Every failure is an HTML page saying why, with the status the API would give.
    func webRoute(segments: [String], parameters: [(name: String, value: String)], acceptLanguage: String?) -> Route? {
        guard let page = WebSite.page(segments) else { return nil }
        let site = WebSite(version: version, watchesKept: watches != nil)
        let state = WebState(parameters: parameters)
        let language = WebLanguage.chosen(parameter: state.ui?.rawValue, acceptLanguage: acceptLanguage)
        let logger = self.logger
        let failed: @Sendable (any Error) -> HTTPAnswer = { error in
            site.results(state, language: language, response: nil, error: Router.apiError(for: error, logger: logger))
        }
        let unavailable: @Sendable () -> HTTPAnswer = {
            site.results(state, language: language, response: nil,
                         error: .unavailable("the index cannot be read just now (busy, or not built yet); retry"))
        }
        func reading(_ read: @escaping Read, costly: Bool) -> Route {
            .reading(endpoint: "web", read: { searcher in
                do { return try read(searcher) } catch { return failed(error) }
            }, costly: costly, whenNoReader: unavailable)
        }
        switch page {
        case .asset(let name):
            return .answered(endpoint: "web", site.asset(name))
        case .results:
            let request: SearchRequest, filters: SearchFilters
            do {
                request = try state.request()
                filters = try SearchFilters(request, gazetteer: gazetteer)
            } catch {
                return .answered(endpoint: "web", failed(error))
            }
            let key = ResultCache.key("search", request)
            return reading({ searcher in
                let response = try self.cachedResponse(key, request: request, searcher: searcher) {
                    try searcher.search(request, filters: filters)
                }
                return site.results(state, language: language, response: response, error: nil)
            }, costly: Searcher.looksCostly(request))
        case .export:
            do {
                let request = try state.request(facets: [])
                _ = try SearchFilters(request, gazetteer: gazetteer)
            } catch {
                return .answered(endpoint: "web", failed(error))
            }
            // Up to 101 pages of hits: costly by any measure.
            return reading({ searcher in try WebExport.csv(state, searcher: searcher) }, costly: true)
        case .watches, .watch:
            let watchesFailed: @Sendable (any Error) -> HTTPAnswer = { error in
                site.watchList(nil, state: state, language: language, error: Router.apiError(for: error, logger: logger))
            }
            guard let store = watches else {
                return .answered(endpoint: "web", watchesFailed(APIError.unavailable(
                    "this daemon keeps no watches: set watches in acsearch.toml (or --watches) to the indexer's watch store")))
            }
            // The store is files: read on a reader thread, as the API's watches are.
            return .reading(endpoint: "web", read: { _ in
                do {
                    switch page {
                    case .watch(let name):
                        try WatchDefinition.check(name: name)
                        guard let watch = try Router.store({ try store.watch(named: name) }) else { throw Router.noWatch(name) }
                        let unread = try Router.store { try store.unread(watch) }
                        return site.watch(try Router.store { try store.response(watch) }, unread: unread, state: state,
                                          language: language)
                    default:
                        let list = try Router.store { try store.watches().map { try store.response($0) } }
                        return site.watchList(list, state: state, language: language)
                    }
                } catch {
                    return watchesFailed(error)
                }
            }, costly: false, whenNoReader: unavailable)
        case .document(let id):
            return reading({ searcher in
                let document = try searcher.document(id: id)
                let body = try searcher.highlightedBody(document.body, query: state.query)
                // Documents like this one are a help, not the page: it is shown without them
                // when they cannot be had.
                let similar = try? searcher.similar(id: id, request: SearchRequest(limit: 5))
                return site.document(document, body: body, similar: similar, state: state, language: language)
            }, costly: false)
        }
    }
}
