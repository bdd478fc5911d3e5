#if canImport(Glibc)
import Glibc
#endif

/// The stages of a search, as `timings=true`, the `Server-Timing` header and the
/// `acsearch_search_stage_duration_seconds` histogram name them.
public enum SearchStage: String, Sendable, CaseIterable {
    /// Reading the query: places, glossary synonyms, exact forms, filters.
    case prepare
    /// Xapian's match (the facet counts are gathered during it).
    case match
    /// Reading the page's stored documents.
    case hits
    /// Making the page's snippets.
    case snippets
    /// Looking for a spelling correction.
    case spelling
    /// Reading facet counts other than the timeline's.
    case facets
    /// Reading the year and month counts (the timeline).
    case timeline
    /// Writing the JSON answer (in the header only: the body cannot hold its own writing).
    case encode
    /// An answer taken from the result cache.
    case cache
}

/// Milliseconds by stage, added up as a search runs. Reading the clock a few times a
/// search costs nanoseconds, so every search is timed (for /metrics); the answer
/// carries them only when asked.
public struct SearchTimings: Sendable, Equatable {
    public private(set) var milliseconds: [SearchStage: Double] = [:]

    public init() {}

    public mutating func add(_ stage: SearchStage, _ value: Double) {
        milliseconds[stage, default: 0] += value
    }

    /// Runs body and adds its time to stage.
    public mutating func time<T>(_ stage: SearchStage, _ body: () throws -> T) rethrows -> T {
        let started = SearchTimings.now()
        defer { add(stage, SearchTimings.since(started)) }
        return try body()
    }

    /// As the answer's `timings` object takes them.
    public var byName: [String: Double] {
        Dictionary(uniqueKeysWithValues: milliseconds.map { ($0.key.rawValue, $0.value) })
    }

    /// A `Server-Timing` header value (RFC: W3C Server Timing), stages in order.
    public var serverTiming: String {
        SearchStage.allCases.compactMap { stage in
            milliseconds[stage].map { "\(stage.rawValue);dur=\(NumberText.fixed($0, places: 3))" }
        }.joined(separator: ", ")
    }

    /// A monotonic clock in nanoseconds.
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Milliseconds since `started` (a `now()`).
    public static func since(_ started: UInt64) -> Double {
        Double(now() &- started) / 1e6
    }
}
