import ACSearchAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch

/// Talks to acsearchd over its Unix socket with typed requests and answers. For the
/// CLI and for any Swift service on the host.
///
///     let client = ACSearchClient(socketPath: "/run/acsearch/acsearch.sock")
///     let answer = try await client.search(SearchRequest(query: "Hai Duong inspections"))
///     let status = try client.sendWaiting(.status)   // blocking, for a program with nothing else to do
public struct ACSearchClient: Sendable {
    public static let defaultSocket = "/run/acsearch/acsearch.sock"

    public let socketPath: String
    /// Seconds to wait for an answer.
    public var timeout: Double

    public init(socketPath: String = ACSearchClient.defaultSocket, timeout: Double = 30) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// The socket from an explicit value, else ACSEARCH_SOCKET, else the default.
    public static func socketPath(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["ACSEARCH_SOCKET"], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultSocket
    }

    public func search(_ request: SearchRequest) async throws(ClientError) -> Answer<SearchResponse> {
        try await send(.search(request))
    }

    public func document(id: String) async throws(ClientError) -> Answer<DocumentResponse> {
        try await send(.document(id: id))
    }

    public func similar(id: String, request: SearchRequest = SearchRequest()) async throws(ClientError) -> Answer<SearchResponse> {
        try await send(.similar(id: id, request: request))
    }

    public func citations(number: String) async throws(ClientError) -> Answer<CitationsResponse> {
        try await send(.citations(number: number))
    }

    public func suggest(_ query: String) async throws(ClientError) -> Answer<SuggestResponse> {
        try await send(.suggest(query))
    }

    public func status() async throws(ClientError) -> Answer<StatusResponse> {
        try await send(.status)
    }

    public func health() async throws(ClientError) -> Answer<HealthResponse> {
        try await send(.health)
    }

    /// A decoded answer and the JSON it came from (for `--json`, byte for byte).
    public struct Answer<Value: Decodable & Sendable>: Sendable {
        public let value: Value
        public let json: [UInt8]
    }

    /// One of the API's requests, and the type of its answer.
    public struct Request<Value: Decodable & Sendable>: Sendable {
        let segments: [String]
        let parameters: [(name: String, value: String)]
        /// GET, but for the watch store's changes (WatchRequests.swift).
        var method = "GET"
        /// How a body that is not one JSON value (a JSON-lines feed) is read.
        var decodeBody: (@Sendable ([UInt8]) throws -> Value)? = nil

        public static func search(_ request: SearchRequest) -> Request<SearchResponse> {
            .init(segments: ["v1", "search"], parameters: request.parameters)
        }

        public static func document(id: String) -> Request<DocumentResponse> {
            .init(segments: ["v1", "documents", id], parameters: [])
        }

        public static func similar(id: String, request: SearchRequest = SearchRequest()) -> Request<SearchResponse> {
            .init(segments: ["v1", "documents", id, "similar"], parameters: request.parameters.filter { $0.name != "q" })
        }

        public static func citations(number: String) -> Request<CitationsResponse> {
            .init(segments: ["v1", "citations", number], parameters: [])
        }

        public static func suggest(_ query: String) -> Request<SuggestResponse> {
            .init(segments: ["v1", "suggest"], parameters: [("q", query)])
        }

        public static var status: Request<StatusResponse> { .init(segments: ["v1", "status"], parameters: []) }

        public static var health: Request<HealthResponse> { .init(segments: ["v1", "health"], parameters: []) }

        /// The request's target: path and query string, percent-encoded.
        var target: String {
            let path = "/" + segments.map(ACSearchClient.encode).joined(separator: "/")
            let query = parameters.map { "\(ACSearchClient.encode($0.name))=\(ACSearchClient.encode($0.value))" }
                .joined(separator: "&")
            return query.isEmpty ? path : path + "?" + query
        }
    }

    // MARK: - HTTP over the socket

    /// Sends a request from async code. The exchange itself blocks, so it runs off the
    /// caller's task, on a thread that may block (Dispatch's), not on the concurrency pool.
    public func send<Value>(_ request: Request<Value>) async throws(ClientError) -> Answer<Value> {
        let exchange = SocketExchange(path: socketPath, timeout: timeout)
        let result: Result<(Int, [UInt8]), ClientError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(ClientError) in
                    try exchange.exchange(request.method, request.target)
                })
            }
        }
        return try ACSearchClient.decode(try result.get(), with: request.decodeBody)
    }

    /// Sends a request and blocks the calling thread until the answer: for a program
    /// that has nothing else to do meanwhile, such as the CLI, which then needs no
    /// concurrency runtime and no hand-off to another thread (part of its start time).
    public func sendWaiting<Value>(_ request: Request<Value>) throws(ClientError) -> Answer<Value> {
        try ACSearchClient.decode(try SocketExchange(path: socketPath, timeout: timeout).exchange(request.method, request.target),
                                  with: request.decodeBody)
    }

    static func decode<Value>(_ exchanged: (status: Int, body: [UInt8]),
                              with decodeBody: (@Sendable ([UInt8]) throws -> Value)? = nil) throws(ClientError) -> Answer<Value> {
        let (status, body) = exchanged
        let decoder = APIJSON.decoder()
        guard (200..<300).contains(status) else {
            if let error = try? decoder.decode(ErrorResponse.self, from: Data(body)) {
                throw .answer(APIError(status: error.error.status, code: error.error.code, message: error.error.message))
            }
            throw .answer(APIError(status: status, code: "http_\(status)", message: String(decoding: body.prefix(200), as: UTF8.self)))
        }
        do {
            if let decodeBody { return Answer(value: try decodeBody(body), json: body) }
            return Answer(value: try decoder.decode(Value.self, from: Data(body)), json: body)
        } catch {
            throw .invalidAnswer("the daemon's answer is not what this client expects (\(error)); are both the same version?")
        }
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters ("/" too:
    /// ids and numbers contain it, and travel as one path segment).
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += String(decoding: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
            }
        }
        return out
    }
}
