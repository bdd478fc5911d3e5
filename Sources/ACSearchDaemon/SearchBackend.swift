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
    /// The shards and whether each answered the last time it was asked.
    var shardNames: [String] { get }
}

public struct IndexStatistics: Sendable {
    public let documents: Int
    public let kinds: [String: Int]
    public let languages: [String: Int]
    public let revision: String?
    public let lastChange: String?
    public let schemaVersion: Int
    /// Each shard and whether it answers.
    public let shards: [ShardSet.State]
}

/// The daemon's backend: every call is a job on the reader pool.
public struct PooledBackend: SearchBackend {
    let pool: ReaderPool
    public let shardNames: [String]

    public init(pool: ReaderPool, shardNames: [String]) {
        self.pool = pool
        self.shardNames = shardNames
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
        try await pool.run {
            let stats = try $0.statistics()
            return IndexStatistics(documents: stats.documents, kinds: stats.kinds, languages: stats.languages,
                                   revision: stats.revision, lastChange: stats.lastChange,
                                   schemaVersion: stats.schemaVersion, shards: stats.shards)
        }
    }
}
