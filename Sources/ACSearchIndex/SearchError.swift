/// What stops a search, in the index layer's terms: the daemon's `Router` alone
/// decides what each case is in HTTP (one switch), so this layer knows no statuses.
public enum SearchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A field's value is not one the field takes: a request's filter (`kind=poem`),
    /// a facet name, a document number.
    case badFieldValue(field: String, message: String)
    /// The query text cannot be parsed, a `field:value` in it included.
    case querySyntax(String)
    /// The query would cost more than the searcher's limits allow (`Searcher+Budget`).
    case tooCostly(String)
    case documentNotFound(id: String)
    /// The index was built by another schema version.
    case schemaMismatch(path: String, found: String, expected: Int)
    /// Some shards do not answer and the searcher is configured to need them all.
    case shardsMissing([String])
    /// No shard answers at all.
    case noShardAnswering([String])

    /// What to tell the person: which value or limit, and what to change.
    public var message: String {
        switch self {
        case .badFieldValue(_, let message), .querySyntax(let message): message
        case .tooCostly(let what): "the query is too costly to run: \(what)"
        case .documentNotFound(let id): "no document with id \"\(id)\""
        case .schemaMismatch(let path, let found, let expected):
            IndexError.schemaMismatch(path: path, found: found, expected: expected).description
        case .shardsMissing(let shards): "shards not answering: \(shards.joined(separator: ", ")) (all shards are required)"
        case .noShardAnswering(let shards): "no shard is answering: \(shards.joined(separator: ", "))"
        }
    }

    public var description: String { message }
}
