import Foundation
import XapianKit

/// The shards of an index, each opened on its own and searched as one while they
/// answer. A shard that fails (down, slow past its timeout) is left out, named in
/// `missing`, and tried again every `retryInterval` seconds; when it answers it is
/// back in. With remote shards, a local companion database supplies what Xapian's
/// remote backend does not serve: synonyms and the spelling dictionary.
///
/// Like the Xapian handles it owns, not thread-safe: one per reader thread.
public final class ShardSet {
    public struct State: Sendable {
        public let name: String
        public let up: Bool
        public let documents: Int?
        public let error: String?
    }

    public let shards: [Shard]
    public let retryInterval: Double
    private var open: [Int: Database] = [:]
    private var failures: [Int: (error: String, since: Date, lastTry: Date)] = [:]
    private let companion: Database?
    public private(set) var database: Database

    public init(shards: [Shard], companion companionPath: String? = nil, retryInterval: Double = 2) throws {
        precondition(!shards.isEmpty, "an index has at least one shard")
        self.shards = shards
        self.retryInterval = retryInterval
        companion = try companionPath.map { try Database(path: $0) }
        var firstError: Error? = nil
        for (index, shard) in shards.enumerated() {
            do {
                open[index] = try Database(shards: [shard])
            } catch {
                firstError = firstError ?? error
                failures[index] = ("\(error)", Date(), Date())
            }
        }
        // With one shard, its error is the answer; with several, what answers is used.
        if open.isEmpty, let firstError { throw firstError }
        database = try ShardSet.combine(open, companion: companion)
    }

    private static func combine(_ open: [Int: Database], companion: Database?) throws -> Database {
        let parts = open.keys.sorted().map { open[$0]! } + (companion.map { [$0] } ?? [])
        return parts.count == 1 ? parts[0] : try Database(combining: parts)
    }

    /// Shards that are not answering, by name.
    public var missing: [String] { failures.keys.sorted().map { shards[$0].description } }

    public var states: [State] {
        shards.enumerated().map { index, shard in
            if let database = open[index] {
                return State(name: shard.description, up: true, documents: try? database.documentCount, error: nil)
            }
            return State(name: shard.description, up: false, documents: nil, error: failures[index]?.error)
        }
    }

    /// Moves every shard to its newest revision, leaves out those that fail, and
    /// tries again those that failed a while ago. Says whether a revision moved and
    /// whether the set changed (the combined database is then a new object).
    @discardableResult
    public func refresh(retryingNow: Bool = false) throws -> (moved: Bool, changed: Bool) {
        var changed = false
        var moved = false
        for (index, database) in open {
            do {
                if try database.reopen() { moved = true }
            } catch {
                // "Modified" passes with the next reopen; anything else means the shard is gone.
                if error.code == .modified { continue }
                open[index] = nil
                failures[index] = ("\(error)", Date(), Date())
                changed = true
            }
        }
        let now = Date()
        for (index, failure) in failures where retryingNow || now.timeIntervalSince(failure.lastTry) >= retryInterval {
            do {
                open[index] = try Database(shards: [shards[index]])
                failures[index] = nil
                changed = true
            } catch {
                failures[index] = ("\(error)", failure.since, now)
            }
        }
        if open.isEmpty {
            throw SearchError.noShardAnswering(missing)
        }
        if changed { database = try ShardSet.combine(open, companion: companion) }
        return (moved, changed)
    }
}
