import ACSearchAPI
import ACSearchIndex
import Foundation

/// `/v1/watches`: saved searches. The daemon keeps their definitions and read marks
/// in the watch store; the indexer records their matches there after each commit.
///
///     GET    /v1/watches                      every watch
///     PUT    /v1/watches/{name}?q=…&kind=…    define (or redefine) one
///     GET    /v1/watches/{name}               one, with its unread count
///     DELETE /v1/watches/{name}               remove it and its matches
///     GET    /v1/watches/{name}/new           its unread matches, as JSON lines
///     POST   /v1/watches/{name}/read?through=SEQ   mark them read up to SEQ
///
/// The definition travels in the query string, as a search does, so no request has a
/// body. Store reads and writes are file work, done on a reader thread.
extension Router {
    func watchRoute(method: String, uri: String) -> Route? {
        let target = Router.originForm(uri)
        guard target.hasPrefix("/v1/watches"),
              target.dropFirst("/v1/watches".count).first.map({ $0 == "/" || $0 == "?" }) ?? true else { return nil }
        let segments: [String], parameters: [(name: String, value: String)]
        do {
            (segments, parameters) = try Router.parse(uri)
        } catch {
            return .answered(endpoint: "watches", .error(error))
        }
        guard segments.count >= 2, segments[0] == "v1", segments[1] == "watches" else { return nil }
        let path = Array(segments.dropFirst(2))
        let allowed: String
        switch path.count {
        case 0: allowed = "GET, HEAD"
        case 1: allowed = "GET, HEAD, PUT, DELETE"
        case 2 where path[1] == "new": allowed = "GET, HEAD"
        case 2 where path[1] == "read": allowed = "POST"
        default: return .answered(endpoint: "watches", .error(Router.noEndpoint(segments)))
        }
        let methods = allowed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard methods.contains(method) else {
            var answer = HTTPAnswer.error(APIError(status: 405, code: "method_not_allowed",
                                                   message: "\(method) is not allowed on /\(segments.joined(separator: "/")); use \(allowed)"))
            answer.headers.append(("Allow", allowed))
            return .answered(endpoint: "watches", answer)
        }
        guard let store = watches else {
            return .answered(endpoint: "watches", .error(.unavailable(
                "this daemon keeps no watches: set watches in acsearch.toml (or --watches) to the indexer's watch store")))
        }
        let name = path.first ?? ""
        do {
            if !path.isEmpty { try WatchDefinition.check(name: name) }
            let read: Read
            switch (path.count, method) {
            case (0, _):
                try Router.noParameters(parameters)
                read = { _ in
                    let watches = try Router.store { try store.watches().map { state in try store.response(state) } }
                    return .json(WatchListResponse(watches: watches))
                }
            case (1, "PUT"):
                let definition = try WatchDefinition(name: name, parameters: parameters)
                read = { searcher in
                    // Checked as a search is, so that the indexer never meets a query it cannot run.
                    try searcher.check(watch: definition)
                    let (state, created) = try Router.store {
                        try store.update { watches -> (WatchState, Bool) in
                            if let index = watches.firstIndex(where: { $0.watch.name == name }) {
                                watches[index].watch = definition
                                return (watches[index], false)
                            }
                            let state = WatchState(watch: definition, created: ISO8601DateFormatter().string(from: Date()))
                            watches.append(state)
                            return (state, true)
                        }
                    }
                    return .json(try Router.store { try store.response(state) }, status: created ? 201 : 200)
                }
            case (1, "DELETE"):
                try Router.noParameters(parameters)
                read = { _ in
                    let removed = try Router.store {
                        try store.update { watches -> Bool in
                            let count = watches.count
                            watches.removeAll { $0.watch.name == name }
                            return watches.count < count
                        }
                    }
                    guard removed else { throw Router.noWatch(name) }
                    return .json(WatchDeletedResponse(deleted: name))
                }
            case (1, _):
                try Router.noParameters(parameters)
                read = { _ in
                    guard let state = try Router.store({ try store.watch(named: name) }) else { throw Router.noWatch(name) }
                    return .json(try Router.store { try store.response(state) })
                }
            case (2, _) where path[1] == "new":
                try Router.noParameters(parameters)
                read = { _ in
                    guard let state = try Router.store({ try store.watch(named: name) }) else { throw Router.noWatch(name) }
                    return try Router.jsonLines(try Router.store { try store.unread(state) })
                }
            default:
                let through = try Router.single("through", in: parameters, allowed: ["through"])
                guard let seq = Int(through), seq >= 0 else {
                    throw APIError.badRequest("through must be a match's seq (a whole number of 0 or more), not \"\(through)\"")
                }
                read = { _ in
                    let state = try Router.store {
                        try store.update { watches -> WatchState? in
                            guard let index = watches.firstIndex(where: { $0.watch.name == name }) else { return nil }
                            // Only what the reader has seen: matches recorded since stay unread.
                            watches[index].readThrough = max(watches[index].readThrough, min(seq, watches[index].nextSeq - 1))
                            return watches[index]
                        }
                    }
                    guard let state else { throw Router.noWatch(name) }
                    return .json(try Router.store { try store.response(state) })
                }
            }
            return .reading(endpoint: "watches", read: read)
        } catch {
            return .answered(endpoint: "watches", .error(Router.apiError(for: error, logger: logger)))
        }
    }

    static func noWatch(_ name: String) -> APIError {
        .notFound("no watch named \"\(name)\" (acsearch watch list shows them)")
    }

    /// A store that cannot be read or written is the daemon's trouble, said as such.
    static func store<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as WatchStoreError {
            throw APIError(status: 503, code: "watches_unavailable", message: "the watch store: \(error.description)")
        }
    }

    /// One JSON object a line (JSON Lines), each encoded as the API encodes answers.
    static func jsonLines<T: Encodable>(_ values: [T]) throws -> HTTPAnswer {
        let encoder = APIJSON.encoder()
        var body: [UInt8] = []
        for value in values {
            body += try encoder.encode(value)
            body.append(0x0A)
        }
        return HTTPAnswer(status: 200, headers: [("Content-Type", "application/jsonl; charset=utf-8")], body: body)
    }
}
