import ACSearchAPI
import ACSearchAnalysis
import ACSearchIndex
import Foundation
import Logging
import XapianKit

/// An HTTP answer, before it is written to a connection.
public struct HTTPAnswer: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json<T: Encodable>(_ value: T, status: Int = 200) -> HTTPAnswer {
        json(bytes: (try? APIJSON.encoder().encode(value)).map(Array.init) ?? Array("{}".utf8), status: status)
    }

    /// A search answer, written without `JSONEncoder` (the same bytes, in a fifth of the time or less).
    static func json(_ answer: SearchResponse) -> HTTPAnswer {
        json(bytes: answer.jsonBytes, status: 200)
    }

    /// A JSON body already written (a cached answer).
    static func json(body: [UInt8]) -> HTTPAnswer {
        HTTPAnswer(status: 200, headers: [("Content-Type", "application/json; charset=utf-8")], body: body)
    }

    private static func json(bytes: [UInt8], status: Int) -> HTTPAnswer {
        var body = bytes
        body.append(0x0A)
        return HTTPAnswer(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: body)
    }

    static func error(_ error: APIError) -> HTTPAnswer {
        var answer = json(ErrorResponse(error), status: error.status)
        if error.status == 503 { answer.headers.append(("Retry-After", "1")) }
        return answer
    }
}

/// Routes `/v1/...` requests to the index and turns every outcome, including every
/// error, into an answer: the daemon never fails a request without saying why.
///
/// A request that needs no index (health, a malformed URL) is answered where it
/// arrives; one that reads the index runs whole on a reader thread, its JSON encoded
/// there too, so that the answer is ready to write when it comes back.
public struct Router: Sendable {
    let readers: ReaderPool
    /// For a request's filters, checked here before a reader is taken.
    let gazetteer: Gazetteer
    let metrics: DaemonMetrics
    let logger: Logger
    let slowQueryMilliseconds: Double
    let version: String
    /// Saved searches (WatchRoutes.swift); nil when the daemon serves none.
    public var watches: WatchStore?
    let cache: ResultCache

    public init(readers: ReaderPool, gazetteer: Gazetteer, metrics: DaemonMetrics, logger: Logger,
                slowQueryMilliseconds: Double = 500, version: String = ACSearchVersion.current,
                cache: ResultCache = ResultCache(capacityBytes: 0)) {
        self.cache = cache
        self.readers = readers
        self.gazetteer = gazetteer
        self.metrics = metrics
        self.logger = logger
        self.slowQueryMilliseconds = slowQueryMilliseconds
        self.version = version
    }

    /// What a request needs, decided from its method and URI alone.
    enum Route {
        /// Answered without the index.
        case answered(endpoint: String, HTTPAnswer)
        /// Answered by a reader; `whenNoReader` (if any) answers instead of an error
        /// when no reader can take it (overloaded, no index) or the read fails.
        /// `costly`: the request looks expensive before it runs (see `ReaderPool`).
        case reading(endpoint: String, read: Read, costly: Bool = false, whenNoReader: (@Sendable () -> HTTPAnswer)? = nil)
    }

    /// The part of a request that runs on a reader thread.
    typealias Read = @Sendable (Searcher) throws -> HTTPAnswer

    /// Answers a request of `client` (who asks, for the readers' fair sharing); `done`
    /// is called once, on the calling thread when no index is needed, else on the reader's.
    public func answer(method: String, uri: String, client: String = "", acceptLanguage: String? = nil,
                       done: @escaping @Sendable (HTTPAnswer) -> Void) {
        let started = DispatchTime.now()
        let finish: @Sendable (String, HTTPAnswer) -> Void = { endpoint, answer in
            self.record(endpoint: endpoint, status: answer.status, since: started, uri: uri)
            done(answer)
        }
        switch route(method: method, uri: uri, acceptLanguage: acceptLanguage) {
        case .answered(let endpoint, let answer):
            finish(endpoint, answer)
        case .reading(let endpoint, let read, let costly, let whenNoReader):
            // Any failure (overloaded, no index, the read's own error) is answered
            // by the fallback when there is one, else says what went wrong.
            let failed: @Sendable (any Error) -> HTTPAnswer = { [logger] error in
                whenNoReader?() ?? .error(Router.apiError(for: error, logger: logger))
            }
            do {
                try readers.submit(read, client: client, costly: costly) { result in
                    switch result {
                    case .success(let answer): finish(endpoint, answer)
                    case .failure(let error): finish(endpoint, failed(error))
                    }
                }
            } catch {
                finish(endpoint, failed(error))
            }
        }
    }

    private func record(endpoint: String, status: Int, since started: DispatchTime, uri: String) {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        metrics.record(endpoint: endpoint, status: status, seconds: seconds)
        if seconds * 1000 > slowQueryMilliseconds {
            logger.warning("slow request", metadata: ["endpoint": "\(endpoint)", "ms": "\(Int(seconds * 1000))"])
            logger.debug("slow request text", metadata: ["uri": "\(uri)"])
        }
    }

    func route(method: String, uri: String, acceptLanguage: String? = nil) -> Route {
        if let route = watchRoute(method: method, uri: uri) { return route }
        guard method == "GET" || method == "HEAD" else {
            var answer = HTTPAnswer.error(APIError(status: 405, code: "method_not_allowed",
                                                   message: "\(method) is not allowed here; only GET and HEAD are (watches under /v1/watches also take PUT, POST and DELETE)"))
            answer.headers.append(("Allow", "GET, HEAD"))
            return .answered(endpoint: "other", answer)
        }
        let segments: [String], parameters: [(name: String, value: String)]
        do {
            (segments, parameters) = try Router.parse(uri)
        } catch {
            return .answered(endpoint: "other", .error(error))
        }
        // A request the endpoint refuses (a bad parameter) is counted under that endpoint.
        func reading(_ endpoint: String, _ prepare: () throws -> (Read, costly: Bool)) -> Route {
            do {
                let (read, costly) = try prepare()
                return .reading(endpoint: endpoint, read: read, costly: costly)
            } catch {
                return .answered(endpoint: endpoint, .error(Router.apiError(for: error, logger: logger)))
            }
        }
        // The web page: `/`, `/doc/{id}`, `/export.csv`, `/static/…` (Web/).
        if let page = webRoute(segments: segments, parameters: parameters, acceptLanguage: acceptLanguage) {
            return page
        }
        if segments == ["metrics"] {
            return .reading(endpoint: "metrics", read: { searcher in
                self.metrics.documents.set(Int64(try searcher.statistics().documents))
                return self.prometheus()
            }, whenNoReader: { self.prometheus() })
        }
        guard segments.first == "v1", segments.count >= 2 else {
            return .answered(endpoint: "other", .error(Router.noEndpoint(segments)))
        }
        let path = Array(segments.dropFirst())
        switch (path[0], path.count) {
        case ("search", 1):
            return reading("search") {
                let request = try SearchRequest(parameters: parameters)
                let filters = try SearchFilters(request, gazetteer: gazetteer)
                let key = ResultCache.key("search", request)
                return ({ searcher in
                    try self.cached(key, request: request, searcher: searcher) { try searcher.search(request, filters: filters) }
                }, Searcher.looksCostly(request))
            }
        case ("suggest", 1):
            return reading("suggest") {
                let query = try Router.single("q", in: parameters, allowed: ["q"])
                return ({ .json(try $0.suggest(query)) }, false)
            }
        case ("status", 1):
            return .reading(endpoint: "status", read: { .json(self.status(try $0.statistics())) })
        case ("health", 1):
            return .answered(endpoint: "health", .json(HealthResponse(status: "ok")))
        case ("documents", 3...) where path.last == "similar":
            return reading("similar") {
                // Ids may contain "/" (they are paths): everything between is the id.
                let id = path.dropFirst().dropLast().joined(separator: "/")
                let request = try SearchRequest(parameters: parameters)
                let filters = try SearchFilters(request, gazetteer: gazetteer)
                // An OR of a document's best terms: always a query of many terms.
                let key = ResultCache.key("similar/" + id, request)
                return ({ searcher in
                    try self.cached(key, request: request, searcher: searcher) { try searcher.similar(id: id, request: request, filters: filters) }
                }, true)
            }
        case ("documents", 2...):
            return reading("document") {
                try Router.noParameters(parameters)
                let id = path.dropFirst().joined(separator: "/")
                return ({ .json(try $0.document(id: id)) }, false)
            }
        case ("citations", 2...):
            return reading("citations") {
                // A number may be sent with its "/" unescaped: 67-QĐ/TW.
                try Router.noParameters(parameters)
                let number = path.dropFirst().joined(separator: "/")
                return ({ .json(try $0.citations(number: number)) }, false)
            }
        default:
            return .answered(endpoint: "other", .error(Router.noEndpoint(segments)))
        }
    }

    /// The answer from the cache when it holds one for this request at the reader's
    /// revision, else made by `search` (and kept, when whole). Only a single local
    /// index has one revision to key by: shards are not cached.
    func cached(_ key: String, request: SearchRequest, searcher: Searcher,
                search: () throws -> SearchResponse) throws -> HTTPAnswer {
        switch try lookUp(key, request: request, searcher: searcher, search: search) {
        case .kept(let response, let body):
            if request.timings { return timed(response, request: request) }
            return HTTPAnswer.json(body: body)
        case .made(let response, let answer):
            return answer ?? timed(response, request: request)
        }
    }

    /// A search answer for the web page: from the cache as the API's is (a page asked
    /// again, the back button, a link shared), under the same key, so that either
    /// fills it for the other.
    func cachedResponse(_ key: String, request: SearchRequest, searcher: Searcher,
                        search: () throws -> SearchResponse) throws -> SearchResponse {
        switch try lookUp(key, request: request, searcher: searcher, search: search) {
        case .kept(let response, _), .made(let response, _): return response
        }
    }

    enum CacheLookUp {
        /// From the cache: the answer (its timings the lookup's) and its JSON.
        case kept(SearchResponse, body: [UInt8])
        /// Made now, with its JSON answer when it was encoded to be kept.
        case made(SearchResponse, answer: HTTPAnswer?)
    }

    private func lookUp(_ key: String, request: SearchRequest, searcher: Searcher,
                        search: () throws -> SearchResponse) throws -> CacheLookUp {
        guard cache.isEnabled, searcher.shards.count == 1, case .local = searcher.shards[0],
              let revision = try? searcher.database.revision else {
            return .made(try search(), answer: nil)
        }
        let started = SearchTimings.now()
        if let (response, body) = cache.answer(key, revision: revision) {
            metrics.cacheLookup(hit: true)
            var timings = SearchTimings()
            timings.add(.cache, SearchTimings.since(started))
            var response = response
            if request.timings {
                response.timings = timings.byName
            } else {
                metrics.record(stages: timings)
            }
            return .kept(response, body: body)
        }
        metrics.cacheLookup(hit: false)
        let response = try search()
        // A partial answer (shards missing, the time budget) is not one to repeat.
        guard !response.partial else { return .made(response, answer: nil) }
        let answer = timed(response, request: request)
        var whole = response
        whole.timings = nil
        cache.keep(key, revision: revision, response: whole,
                   body: request.timings ? HTTPAnswer.json(whole).body : answer.body)
        return .made(response, answer: answer)
    }

    /// A search answer as JSON, its stages recorded in /metrics, and said in the
    /// answer (`timings`) and a `Server-Timing` header only when the request asks.
    func timed(_ response: SearchResponse, request: SearchRequest) -> HTTPAnswer {
        var response = response
        var timings = SearchTimings()
        for (name, milliseconds) in response.timings ?? [:] {
            if let stage = SearchStage(rawValue: name) { timings.add(stage, milliseconds) }
        }
        if !request.timings { response.timings = nil }
        var answer = timings.time(.encode) { HTTPAnswer.json(response) }
        metrics.record(stages: timings)
        if request.timings { answer.headers.append(("Server-Timing", timings.serverTiming)) }
        return answer
    }

    static func noEndpoint(_ segments: [String]) -> APIError {
        .notFound("no such endpoint: /\(segments.joined(separator: "/")); the API has /v1/search, /v1/documents/{id}, /v1/documents/{id}/similar, /v1/citations/{number}, /v1/suggest, /v1/status, /v1/health, /v1/watches and /metrics")
    }

    /// Maps every failure to an answer a client can act on: the one place where an
    /// error becomes an HTTP status. The switches on `SearchError` and on Xapian's
    /// codes are exhaustive, so a new case cannot go unmapped.
    static func apiError(for error: Error, logger: Logger) -> APIError {
        switch error {
        case let error as APIError:  // a request's parameters, checked by `SearchRequest`
            return error
        case let error as SearchError:
            switch error {
            case .badFieldValue: return .badRequest(error.message)
            case .querySyntax: return .querySyntax(error.message)
            case .tooCostly: return APIError(status: 400, code: "query_too_costly", message: error.message)
            case .documentNotFound: return .notFound(error.message)
            case .schemaMismatch, .shardsMissing, .noShardAnswering: return .unavailable(error.message)
            }
        case is ReaderPool.Overloaded:
            return APIError(status: 503, code: "overloaded",
                            message: "requests are waiting longer than the daemon allows (max_queue_wait_ms); retry in a second")
        case is ReaderPool.Stopped:
            return .unavailable("the daemon is shutting down")
        case let error as XapianError:
            switch error.code {
            case .querySyntax, .wildcard: return .querySyntax(error.message)
            case .notFound, .opening:
                return .unavailable("the index cannot be opened (\(error.message)); has acsearch-index run?")
            case .network, .timeout: return .unavailable("a shard did not answer: \(error.message)")
            case .modified: return .unavailable("the index changed too fast to read; retry")
            case .locked, .corrupt, .invalidArgument, .noMemory, .invalidOperation, .closed, .xapian, .unknown, .timeBudget,
                 .apiMismatch:
                logger.error("search failed", metadata: ["error": "\(error)"])
                return .internalError("the search failed: \(error.message)")
            }
        default:
            logger.error("request failed", metadata: ["error": "\(error)"])
            return .internalError("the request failed: \(error)")
        }
    }

    func status(_ statistics: IndexStatistics) -> StatusResponse {
        metrics.documents.set(Int64(statistics.documents))
        let (p50, p90, p99) = metrics.percentiles
        return StatusResponse(
            documents: statistics.documents, kinds: statistics.kinds, languages: statistics.languages,
            revision: statistics.revision, lastChange: statistics.lastChange, indexSchemaVersion: statistics.schemaVersion,
            shards: statistics.shards.map { .init(name: $0.name, state: $0.up ? "up" : "down", documents: $0.documents) },
            uptimeSeconds: Date().timeIntervalSince(metrics.started), requestsServed: metrics.requestsServed,
            latency: .init(p50Ms: p50, p90Ms: p90, p99Ms: p99), version: version)
    }

    /// The registry in Prometheus' text format; the document count is what the last
    /// reader saw.
    func prometheus() -> HTTPAnswer {
        metrics.queueDepth.set(Int64(readers.queueDepth))
        metrics.cacheFigures(cache.figures)
        return HTTPAnswer(status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                          body: metrics.registry.emitToBuffer())
    }

    // MARK: - URLs

    /// Path segments (percent-decoded) and query parameters ("+" is a space).
    static func parse(_ uri: String) throws(APIError) -> ([String], [(name: String, value: String)]) {
        let parts = Router.originForm(uri).split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ text: Substring, plusIsSpace: Bool) throws(APIError) -> String {
            let raw = plusIsSpace ? String(text).replacingOccurrences(of: "+", with: " ") : String(text)
            guard let decoded = raw.removingPercentEncoding else {
                throw .badRequest("the URL is malformed: \"\(text.prefix(80))\" has bad percent-encoding or is not UTF-8")
            }
            // No text anyone searches for holds control characters; a NUL, above
            // all, must never reach C strings further down.
            if decoded.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" || $0.value == 0x7F }) {
                throw .badRequest("the URL holds a control character (such as %00) in \"\(text.prefix(80))\"")
            }
            return decoded
        }
        var segments: [String] = []
        for segment in (parts.first ?? "").split(separator: "/") {
            segments.append(try decode(segment, plusIsSpace: false))
        }
        var parameters: [(String, String)] = []
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") where !pair.isEmpty {
                let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                parameters.append((try decode(halves[0], plusIsSpace: true),
                                   halves.count == 2 ? try decode(halves[1], plusIsSpace: true) : ""))
            }
        }
        return (segments, parameters)
    }

    /// The path and query of a request target: an absolute-form target
    /// (`http://localhost/v1/health`, which HTTP/1.1 servers must accept, RFC 9112
    /// §3.2.2) loses its scheme and authority; the socket is the only host there is.
    static func originForm(_ uri: String) -> Substring {
        for scheme in ["http://", "https://"] where uri.count > scheme.count && uri.prefix(scheme.count).lowercased() == scheme {
            let afterScheme = uri.dropFirst(scheme.count)
            guard let pathStart = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
            return afterScheme[pathStart...]
        }
        return Substring(uri)
    }

    static func single(_ name: String, in parameters: [(name: String, value: String)], allowed: Set<String>) throws -> String {
        for parameter in parameters where !allowed.contains(parameter.name) {
            throw APIError.badRequest("unknown parameter \"\(parameter.name)\"")
        }
        guard let value = parameters.last(where: { $0.name == name })?.value else {
            throw APIError.badRequest("the parameter \(name) is required")
        }
        return value
    }

    static func noParameters(_ parameters: [(name: String, value: String)]) throws {
        if let first = parameters.first { throw APIError.badRequest("unknown parameter \"\(first.name)\"") }
    }
}
