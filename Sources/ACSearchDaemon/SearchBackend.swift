import ACSearchAPI
import ACSearchIndex

/// What the HTTP layer needs from the index. The daemon's backend runs on a
/// ReaderPool; tests can put any other behind the router.
public protocol SearchBackend: Sendable {
    func search(_ request: SearchRequest) async throws -> SearchResponse
    func document(id: String) async throws -> DocumentResponse
    func similar(id: String, request: SearchRequest) async throws -> SearchResponse
    func citations(number: String) async throws -> CitationsResponse
    func suggest(_ query: String) async throws -> SuggestResponse
    func statistics() async throws -> IndexStatistics
    /// Jobs waiting for a reader.
    var queueDepth: Int { get }
}

/// The daemon's backend: every call is a job on the reader pool.
public struct PooledBackend: SearchBackend {
    let pool: ReaderPool

    public init(pool: ReaderPool) {
        self.pool = pool
    }

    public var queueDepth: Int { pool.queueDepth }

    public func search(_ request: SearchRequest) async throws -> SearchResponse {
        try await pool.run { try $0.search(request) }
    }

    public func document(id: String) async throws -> DocumentResponse {
        try await pool.run { try $0.document(id: id) }
    }

    public func similar(id: String, request: SearchRequest) async throws -> SearchResponse {
        try await pool.run { try $0.similar(id: id, request: request) }
    }

    public func citations(number: String) async throws -> CitationsResponse {
        try await pool.run { try $0.citations(number: number) }
    }

    public func suggest(_ query: String) async throws -> SuggestResponse {
        try await pool.run { try $0.suggest(query) }
    }

    public func statistics() async throws -> IndexStatistics {
        try await pool.run { try $0.statistics() }
    }
}
