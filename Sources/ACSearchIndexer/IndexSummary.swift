import Foundation

/// What a run did: printed as one line at the end, or as JSON with `--json`.
public struct IndexSummary: Codable, Sendable {
    public struct Skip: Codable, Sendable, Equatable {
        public let path: String
        public let reason: String
        /// Skipped on an earlier run and unchanged since: not tried again.
        public let remembered: Bool
    }

    public var added = 0
    public var replaced = 0
    public var deleted = 0
    /// Documents of files unchanged since the last run.
    public var unchanged = 0
    /// Files whose time changed but not their content.
    public var touched = 0
    public var skipped: [Skip] = []
    /// Files of types the indexer does not read.
    public var ignored = 0
    /// Documents in the index after the run.
    public var documents = 0
    public var commits = 0
    public var seconds = 0.0

    public init() {}

    public var line: String {
        var parts = ["\(added) added", "\(replaced) replaced", "\(deleted) deleted", "\(unchanged) unchanged"]
        if touched > 0 { parts.append("\(touched) touched") }
        parts.append("\(skipped.count) skipped")
        let rate = seconds > 0 ? Double(added + replaced) / seconds : 0
        return parts.joined(separator: ", ") + String(format: "; %d documents in the index; %.2f s (%.0f documents/s)",
                                                      documents, seconds, rate)
    }
}

/// How far a run has got, for a progress line.
public struct IndexProgress: Sendable {
    public let itemsDone: Int
    public let itemsTotal: Int
    public let documentsWritten: Int
    public let elapsed: Double
}
