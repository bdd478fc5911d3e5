import ACSearchAPI
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Talks to acsearchd over its Unix socket with typed requests and answers. For the
/// CLI and for any Swift service on the host.
///
///     let client = ACSearchClient(socketPath: "/run/acsearch/acsearch.sock")
///     let answer = try await client.search(SearchRequest(query: "Hai Duong inspections"))
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
        try await get(["v1", "search"], request.parameters)
    }

    public func document(id: String) async throws(ClientError) -> Answer<DocumentResponse> {
        try await get(["v1", "documents", id], [])
    }

    public func similar(id: String, request: SearchRequest = SearchRequest()) async throws(ClientError) -> Answer<SearchResponse> {
        try await get(["v1", "documents", id, "similar"], request.parameters.filter { $0.name != "q" })
    }

    public func citations(number: String) async throws(ClientError) -> Answer<CitationsResponse> {
        try await get(["v1", "citations", number], [])
    }

    public func suggest(_ query: String) async throws(ClientError) -> Answer<SuggestResponse> {
        try await get(["v1", "suggest"], [("q", query)])
    }

    public func status() async throws(ClientError) -> Answer<StatusResponse> {
        try await get(["v1", "status"], [])
    }

    public func health() async throws(ClientError) -> Answer<HealthResponse> {
        try await get(["v1", "health"], [])
    }

    /// A decoded answer and the JSON it came from (for `--json`, byte for byte).
    public struct Answer<Value: Decodable & Sendable>: Sendable {
        public let value: Value
        public let json: [UInt8]
    }

    // MARK: - HTTP over the socket

    func get<Value: Decodable & Sendable>(_ segments: [String], _ parameters: [(name: String, value: String)])
        async throws(ClientError) -> Answer<Value> {
        let path = "/" + segments.map(ACSearchClient.encode).joined(separator: "/")
        let query = parameters.map { "\(ACSearchClient.encode($0.name))=\(ACSearchClient.encode($0.value))" }
            .joined(separator: "&")
        let (status, body) = try await exchange(uri: query.isEmpty ? path : path + "?" + query)
        let decoder = APIJSON.decoder()
        guard (200..<300).contains(status) else {
            if let error = try? decoder.decode(ErrorResponse.self, from: Data(body)) {
                throw .answer(APIError(status: error.error.status, code: error.error.code, message: error.error.message))
            }
            throw .answer(APIError(status: status, code: "http_\(status)", message: String(decoding: body.prefix(200), as: UTF8.self)))
        }
        do {
            return Answer(value: try decoder.decode(Value.self, from: Data(body)), json: body)
        } catch {
            throw .invalidAnswer("the daemon's answer is not what this client expects (\(error)); are both the same version?")
        }
    }

    func exchange(uri: String) async throws(ClientError) -> (Int, [UInt8]) {
        var info = stat()
        if stat(socketPath, &info) == 0, (info.st_mode & S_IFMT) != S_IFSOCK {
            throw .notASocket(socketPath)
        }
        let connection: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            connection = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(unixDomainSocketPath: socketPath) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw .unreachable(socketPath, ACSearchClient.describe(error))
        }
        do {
            let timeout = self.timeout
            return try await withThrowingTaskGroup(of: (Int, [UInt8])?.self) { group in
                group.addTask {
                    try await connection.executeThenClose { inbound, outbound in
                        var headers = HTTPHeaders()
                        headers.add(name: "Host", value: "localhost")
                        headers.add(name: "Connection", value: "close")
                        headers.add(name: "User-Agent", value: "acsearch-client")
                        try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: headers)))
                        try await outbound.write(.end(nil))
                        var status = 0
                        var body: [UInt8] = []
                        for try await part in inbound {
                            switch part {
                            case .head(let head): status = Int(head.status.code)
                            case .body(let buffer): body += buffer.readableBytesView
                            case .end: return (status, body)
                            }
                        }
                        return (status, body)
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
                    return nil
                }
                guard let first = try await group.next(), let result = first else {
                    group.cancelAll()
                    connection.channel.close(promise: nil)
                    throw ClientError.timedOut(socketPath, timeout)
                }
                group.cancelAll()
                return result
            }
        } catch let error as ClientError {
            throw error
        } catch {
            throw .unreachable(socketPath, "the connection broke: \(ACSearchClient.describe(error))")
        }
    }

    static func describe(_ error: Error) -> String {
        if let ioError = error as? IOError {
            switch ioError.errnoCode {
            case ENOENT: return "the socket does not exist"
            case ECONNREFUSED: return "nothing is listening on it"
            case EACCES: return "permission denied (is your user in the socket's group?)"
            default: return String(cString: strerror(ioError.errnoCode))
            }
        }
        return "\(error)"
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
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}

/// Why a request did not get an answer, or got an error answer.
public enum ClientError: Error, CustomStringConvertible {
    /// No daemon at the socket (missing, refused, no permission).
    case unreachable(String, String)
    /// The path exists and is not a socket.
    case notASocket(String)
    case timedOut(String, Double)
    /// The daemon answered with an error (a bad query, overload...).
    case answer(APIError)
    case invalidAnswer(String)

    public var description: String {
        switch self {
        case .unreachable(let path, let why): return "cannot reach acsearchd at \(path): \(why)"
        case .notASocket(let path): return "\(path) is not a socket"
        case .timedOut(let path, let seconds): return "acsearchd at \(path) did not answer within \(Int(seconds)) s"
        case .answer(let error): return error.message
        case .invalidAnswer(let why): return why
        }
    }
}
