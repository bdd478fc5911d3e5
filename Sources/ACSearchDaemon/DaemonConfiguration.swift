import ACSearchIndex
import Foundation
import TOMLKit

/// acsearchd's settings: from a TOML file, then the environment, then flags, the
/// strongest last. Every field has a default, so `acsearchd --db DIR --socket PATH`
/// needs no file at all.
public struct DaemonConfiguration: Sendable, Equatable {
    public static let defaultFile = "/etc/acsearch/acsearch.toml"
    public static let defaultSocket = "/run/acsearch/acsearch.sock"
    public static let defaultDatabase = "/var/lib/acsearch/index"

    /// The socket to bind when systemd passes none.
    public var socket = DaemonConfiguration.defaultSocket
    /// Permissions of a socket acsearchd binds itself (octal).
    public var socketMode = "0660"
    /// Group owning that socket (its members may query); none keeps the daemon's group.
    public var socketGroup: String? = nil
    /// The index: one local database...
    public var database = DaemonConfiguration.defaultDatabase
    /// ...or shards (paths, tcp://host:port) searched as one; overrides `database`.
    public var shards: [String] = []
    /// Milliseconds a remote shard may take to connect, and to answer one call.
    public var shardConnectTimeoutMs = 1000
    public var shardTimeoutMs = 5000
    /// Answer 503 rather than from the shards that answer when some do not.
    public var requireAllShards = false
    /// The watch store (saved searches the indexer runs over each commit): the folder
    /// `watches` beside `database` if unset; with shards, only when set.
    public var watches: String? = nil
    /// Analysis data folder (gazetteer, glossary); found beside the binary if unset.
    public var data: String? = nil
    /// Reader threads, each with its own Xapian database handle.
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Requests waiting for a reader beyond which the daemon answers 503 (a bound on memory).
    public var maxQueue = 64
    /// Milliseconds the oldest request waiting for a reader may have waited before
    /// new ones are answered 503 with Retry-After (overload refused by waiting time).
    public var maxQueueWaitMilliseconds = 100.0
    /// Readers that costly requests (wildcards, phrases, long queries, facets, exact
    /// counts, or any of a client whose recent requests were slow) may hold at once;
    /// default one less than `workers`, so cheap requests always find a reader.
    public var costlyReaders: Int? = nil
    /// Who counts as one client when readers are shared: "uid", "process" or "connection".
    public var fairShare = "uid"
    public var maxConnections = 256
    /// Seconds a client has to send a complete request head.
    public var headerTimeout = 10.0
    /// Seconds an idle keep-alive connection stays open.
    public var idleTimeout = 60.0
    public var maxHeaderBytes = 16_384
    public var maxBodyBytes = 65_536
    /// Seconds one query may run (Xapian stops it and answers with what it has).
    public var queryTimeLimit = 2.0
    public var maxWildcardExpansion = 200
    /// A query's budget, checked before it runs (400 query_too_costly past it):
    /// wildcards; posting lists merged by OR (wildcard expansions included, which
    /// share what is left); words in phrases and NEAR groups; terms in all.
    public var maxWildcards = 16
    public var maxOrTerms = 256
    public var maxPhraseTerms = 32
    public var maxQueryTerms = 512
    /// How hits show the file a document came from: "relative" (to its root: one of
    /// `sourceRoots`, else the folder its id is relative to) or "absolute" (the
    /// indexer's own path, which tells clients the layout of its disk).
    public var sourcePaths = "relative"
    /// The folders the indexer reads (as in index.env), for relative source paths.
    public var sourceRoots: [String] = []
    /// MiB of search answers kept for repeats (0: no cache), keyed by request and index revision.
    public var cacheMiB = 32.0
    /// Queries slower than this are logged (without their text below debug level).
    public var slowQueryMilliseconds = 500.0
    public var logLevel = "info"

    public init() {}

    public enum ConfigurationError: Error, CustomStringConvertible {
        case unreadable(String, String)
        case invalid(String)
        public var description: String {
            switch self {
            case .unreadable(let path, let why): return "cannot read \(path): \(why)"
            case .invalid(let why): return why
            }
        }
    }

    /// Applies a TOML document. Unknown keys are errors: a typo must not pass silently.
    public mutating func apply(toml text: String, source: String) throws {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch {
            throw ConfigurationError.invalid("\(source): \(error)")
        }
        for (key, value) in table {
            func string() throws -> String {
                guard let string = value.string else { throw ConfigurationError.invalid("\(source): \(key) must be a string") }
                return string
            }
            func number() throws -> Double {
                if let integer = value.int { return Double(integer) }
                if let double = value.double { return double }
                throw ConfigurationError.invalid("\(source): \(key) must be a number")
            }
            switch key {
            case "socket": socket = try string()
            case "socket_mode": socketMode = try string()
            case "socket_group": socketGroup = try string()
            case "database": database = try string()
            case "shards":
                guard let array = value.array else { throw ConfigurationError.invalid("\(source): shards must be a list") }
                shards = try array.map {
                    guard let string = $0.string else { throw ConfigurationError.invalid("\(source): shards must be strings") }
                    return string
                }
            case "data": data = try string()
            case "watches": watches = try string()
            case "source_paths": sourcePaths = try string()
            case "source_roots":
                guard let array = value.array else { throw ConfigurationError.invalid("\(source): source_roots must be a list") }
                sourceRoots = try array.map {
                    guard let string = $0.string, string.hasPrefix("/") else {
                        throw ConfigurationError.invalid("\(source): source_roots must be absolute paths")
                    }
                    return string
                }
            case "shard_connect_timeout_ms": shardConnectTimeoutMs = Int(try number())
            case "shard_timeout_ms": shardTimeoutMs = Int(try number())
            case "require_all_shards":
                guard let flag = value.bool else { throw ConfigurationError.invalid("\(source): require_all_shards must be true or false") }
                requireAllShards = flag
            case "workers": workers = Int(try number())
            case "max_queue": maxQueue = Int(try number())
            case "max_queue_wait_ms": maxQueueWaitMilliseconds = try number()
            case "costly_readers": costlyReaders = Int(try number())
            case "fair_share": fairShare = try string()
            case "max_connections": maxConnections = Int(try number())
            case "header_timeout": headerTimeout = try number()
            case "idle_timeout": idleTimeout = try number()
            case "max_header_bytes": maxHeaderBytes = Int(try number())
            case "max_body_bytes": maxBodyBytes = Int(try number())
            case "query_time_limit": queryTimeLimit = try number()
            case "max_wildcard_expansion": maxWildcardExpansion = Int(try number())
            case "max_wildcards": maxWildcards = Int(try number())
            case "max_or_terms": maxOrTerms = Int(try number())
            case "max_phrase_terms": maxPhraseTerms = Int(try number())
            case "max_query_terms": maxQueryTerms = Int(try number())
            case "slow_query_ms": slowQueryMilliseconds = try number()
            case "cache_mib": cacheMiB = try number()
            case "log_level": logLevel = try string()
            default: throw ConfigurationError.invalid("\(source): unknown setting \"\(key)\"")
            }
        }
    }

    /// Applies ACSEARCHD_* environment variables (ACSEARCHD_SOCKET, ACSEARCHD_DATABASE...).
    public mutating func apply(environment: [String: String]) throws {
        let names: [String: String] = [
            "ACSEARCHD_SOCKET": "socket", "ACSEARCHD_SOCKET_MODE": "socket_mode", "ACSEARCHD_SOCKET_GROUP": "socket_group",
            "ACSEARCHD_DATABASE": "database", "ACSEARCHD_DATA": "data", "ACSEARCHD_WORKERS": "workers",
            "ACSEARCHD_LOG_LEVEL": "log_level",
        ]
        var lines: [String] = []
        for (variable, key) in names.sorted(by: { $0.key < $1.key }) {
            guard let value = environment[variable] else { continue }
            if key == "workers" {
                guard let number = Int(value) else { throw ConfigurationError.invalid("\(variable) must be a number") }
                lines.append("\(key) = \(number)")
            } else {
                lines.append("\(key) = \"\(value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"")
            }
        }
        if !lines.isEmpty { try apply(toml: lines.joined(separator: "\n"), source: "environment") }
    }

    /// Checks values that no type can: says what is wrong and how to fix it.
    public func validate() throws {
        guard UInt32(socketMode, radix: 8) != nil else { throw ConfigurationError.invalid("socket_mode must be octal, like \"0660\"") }
        if let mode = UInt32(socketMode, radix: 8), mode & 0o007 != 0 {
            throw ConfigurationError.invalid("socket_mode \(socketMode) lets every user on the host query; use 0660 and socket_group")
        }
        if workers < 1 || workers > 256 { throw ConfigurationError.invalid("workers must be from 1 to 256") }
        if maxQueue < 0 { throw ConfigurationError.invalid("max_queue must not be negative") }
        if maxQueueWaitMilliseconds <= 0 { throw ConfigurationError.invalid("max_queue_wait_ms must be positive") }
        if let costlyReaders, costlyReaders < 1 || costlyReaders > workers {
            throw ConfigurationError.invalid("costly_readers must be from 1 to workers (\(workers))")
        }
        guard ["relative", "absolute"].contains(sourcePaths) else {
            throw ConfigurationError.invalid("source_paths must be relative or absolute")
        }
        guard ["uid", "process", "connection"].contains(fairShare) else {
            throw ConfigurationError.invalid("fair_share must be uid, process or connection")
        }
        if cacheMiB < 0 || cacheMiB > 65_536 { throw ConfigurationError.invalid("cache_mib must be from 0 (no cache) to 65536") }
        if maxConnections < 1 { throw ConfigurationError.invalid("max_connections must be at least 1") }
        if headerTimeout <= 0 || idleTimeout <= 0 { throw ConfigurationError.invalid("timeouts must be positive") }
        if maxHeaderBytes < 1024 { throw ConfigurationError.invalid("max_header_bytes must be at least 1024") }
        if queryTimeLimit < 0 { throw ConfigurationError.invalid("query_time_limit must not be negative") }
        if maxWildcards < 0 || maxOrTerms < 1 || maxPhraseTerms < 2 || maxQueryTerms < 1 || maxWildcardExpansion < 1 {
            throw ConfigurationError.invalid("max_wildcards must not be negative, max_or_terms, max_query_terms and max_wildcard_expansion must be at least 1, max_phrase_terms at least 2")
        }
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) else {
            throw ConfigurationError.invalid("log_level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if socket.utf8.count >= 108 { throw ConfigurationError.invalid("socket path is longer than a Unix socket allows (107 bytes)") }
    }

    /// Where the watch store is, or nil when watches are not served.
    public var watchStore: String? {
        if let watches { return watches.isEmpty ? nil : watches }
        return shards.isEmpty ? WatchStore.beside(index: database) : nil
    }

    /// The file, if there is one, then the environment.
    public static func load(file: String?, environment: [String: String]) throws -> DaemonConfiguration {
        var configuration = DaemonConfiguration()
        let path = file ?? defaultFile
        if FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError.unreadable(path, "permission denied")
            }
            try configuration.apply(toml: String(decoding: data, as: UTF8.self), source: path)
        } else if file != nil {
            throw ConfigurationError.unreadable(path, "no such file")
        }
        try configuration.apply(environment: environment)
        return configuration
    }
}
