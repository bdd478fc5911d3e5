import ACSearchAPI
import NIOConcurrencyHelpers

/// Search answers already made, for repeats: paging back, a facet click, the same
/// query from many services, a saved search run again. Keyed by the request as read
/// (its parameters in one order, so spellings of the same request meet) and by the
/// index revision it was answered at: a reader that moved to a newer revision finds
/// nothing older, and the first to see one empties the cache. Bounded in bytes (about
/// twice the answers' JSON, and their keys), the least recently used left out first.
public final class ResultCache: Sendable {
    public let capacityBytes: Int

    struct Entry {
        let response: SearchResponse
        let body: [UInt8]
        var used: UInt64
        /// The answer is held twice, as its JSON and as values (for an answer with timings).
        var bytes: Int { body.count * 2 + 64 }
    }

    struct State {
        var revision: UInt64 = 0
        var entries: [String: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    private let state = NIOLockedValueBox(State())

    public init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    public var isEnabled: Bool { capacityBytes > 0 }

    /// The cache's key of a request: what changes its answer (not `timings`, nor the
    /// order facets are asked in: they are answered by name).
    public static func key(_ endpoint: String, _ request: SearchRequest) -> String {
        var request = request
        request.timings = false
        request.facets.sort()
        return endpoint + "?" + request.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// The answer made for `key` at `revision`, if kept.
    func answer(_ key: String, revision: UInt64) -> (response: SearchResponse, body: [UInt8])? {
        state.withLockedValue { state in
            state.moveTo(revision)
            guard state.revision == revision, var entry = state.entries[key] else {
                state.misses += 1
                return nil
            }
            state.clock += 1
            entry.used = state.clock
            state.entries[key] = entry
            state.hits += 1
            return (entry.response, entry.body)
        }
    }

    /// Keeps an answer made at `revision` (not one of a revision already left behind).
    func keep(_ key: String, revision: UInt64, response: SearchResponse, body: [UInt8]) {
        guard isEnabled else { return }
        state.withLockedValue { state in
            state.moveTo(revision)
            guard state.revision == revision else { return }
            state.clock += 1
            let entry = Entry(response: response, body: body, used: state.clock)
            guard entry.bytes + key.utf8.count <= capacityBytes else { return }
            if let old = state.entries[key] { state.bytes -= old.bytes + key.utf8.count }
            state.entries[key] = entry
            state.bytes += entry.bytes + key.utf8.count
            if state.bytes > capacityBytes {
                // Oldest first, down to three quarters, so that a full cache does not sort on every answer.
                for (oldKey, old) in state.entries.sorted(by: { $0.value.used < $1.value.used }) {
                    if state.bytes <= capacityBytes * 3 / 4 { break }
                    state.entries[oldKey] = nil
                    state.bytes -= old.bytes + oldKey.utf8.count
                }
            }
        }
    }

    /// Bytes held, entries, hits and misses so far.
    var figures: (bytes: Int, entries: Int, hits: Int, misses: Int) {
        state.withLockedValue { ($0.bytes, $0.entries.count, $0.hits, $0.misses) }
    }
}

extension ResultCache.State {
    /// A newer revision empties the cache: nothing kept was answered from it.
    mutating func moveTo(_ newer: UInt64) {
        guard newer > revision else { return }
        revision = newer
        entries = [:]
        bytes = 0
    }
}
