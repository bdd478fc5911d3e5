#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A saved search: a query and filters, as `/v1/search` takes them, that the indexer
/// runs over the documents each of its commits adds or replaces.
public struct WatchDefinition: Codable, Sendable, Equatable {
    public var name: String
    public var query: String
    public var kind: String?
    public var province: String?
    public var lang: String?
    public var issuer: String?
    /// Dates as `YYYY-MM-DD`, both included.
    public var from: String?
    public var to: String?

    public init(name: String, query: String, kind: String? = nil, province: String? = nil, lang: String? = nil,
                issuer: String? = nil, from: String? = nil, to: String? = nil) {
        self.name = name
        self.query = query
        self.kind = kind
        self.province = province
        self.lang = lang
        self.issuer = issuer
        self.from = from
        self.to = to
    }

    /// The parameters a watch is defined with (`PUT /v1/watches/{name}?q=…`).
    public static let parameterNames: Set<String> = ["q", "kind", "province", "lang", "issuer", "from", "to"]

    /// A watch from those parameters, checked as `/v1/search` checks them.
    public init(name: String, parameters: [(name: String, value: String)]) throws(APIError) {
        try WatchDefinition.check(name: name)
        for parameter in parameters where !WatchDefinition.parameterNames.contains(parameter.name) {
            throw .badRequest("unknown parameter \"\(parameter.name)\": a watch takes q, kind, province, lang, issuer, from and to")
        }
        let request = try SearchRequest(parameters: parameters)
        self.init(name: name, query: request.query, kind: request.kind, province: request.province, lang: request.lang,
                  issuer: request.issuer, from: request.from, to: request.to)
    }

    /// The search this watch runs.
    public var request: SearchRequest {
        SearchRequest(query: query, kind: kind, province: province, lang: lang, issuer: issuer, from: from, to: to)
    }

    /// The parameters that define it again.
    public var parameters: [(name: String, value: String)] {
        var parameters: [(name: String, value: String)] = [("q", query)]
        for (name, value) in [("kind", kind), ("province", province), ("lang", lang), ("issuer", issuer), ("from", from), ("to", to)] {
            if let value { parameters.append((name, value)) }
        }
        return parameters
    }

    public static let maxNameLength = 64

    /// Names travel in URLs and are typed in shells: letters, digits, `.`, `_` and `-`.
    public static func check(name: String) throws(APIError) {
        let allowed = name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        guard !name.isEmpty, name.utf8.count <= maxNameLength, allowed, name.first != "." else {
            throw .badRequest("a watch's name is 1 to \(maxNameLength) letters, digits, '.', '_' or '-', not starting with '.'")
        }
    }
}

/// A document that matched a watch when a commit added or replaced it.
public struct WatchMatch: Codable, Sendable, Equatable {
    /// Counts up for each watch: what `read` takes to mark matches read.
    public let seq: Int
    public let id: String
    public let title: String
    public let kind: String
    public let date: String?
    /// When the indexer found it (UTC, ISO 8601).
    public let matchedAt: String

    public init(seq: Int, id: String, title: String, kind: String, date: String?, matchedAt: String) {
        self.seq = seq
        self.id = id
        self.title = title
        self.kind = kind
        self.date = date
        self.matchedAt = matchedAt
    }

    enum CodingKeys: String, CodingKey {
        case seq, id, title, kind, date, matchedAt = "matched_at"
    }
}

/// `GET /v1/watches/{name}`, `PUT` too: a watch and how much of it is unread.
public struct WatchResponse: Codable, Sendable, Equatable {
    public var schemaVersion: Int = APIJSON.schemaVersion
    public let watch: WatchDefinition
    public let created: String
    /// Matches not yet read.
    public let unread: Int
    /// The last `seq` read.
    public let readThrough: Int
    /// Unread matches let go because more than the store keeps were waiting.
    public let dropped: Int

    public init(watch: WatchDefinition, created: String, unread: Int, readThrough: Int, dropped: Int) {
        self.watch = watch
        self.created = created
        self.unread = unread
        self.readThrough = readThrough
        self.dropped = dropped
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", watch, created, unread, readThrough = "read_through", dropped
    }
}

/// `GET /v1/watches`.
public struct WatchListResponse: Codable, Sendable, Equatable {
    public var schemaVersion: Int = APIJSON.schemaVersion
    public let watches: [WatchResponse]

    public init(watches: [WatchResponse]) { self.watches = watches }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", watches
    }
}

/// `DELETE /v1/watches/{name}`.
public struct WatchDeletedResponse: Codable, Sendable, Equatable {
    public var schemaVersion: Int = APIJSON.schemaVersion
    public let deleted: String

    public init(deleted: String) { self.deleted = deleted }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", deleted
    }
}
