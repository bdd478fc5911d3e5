import Foundation

/// What a run did: printed as one line at the end, or as JSON with `--json`.
public struct IndexSummary: Codable, Sendable {
    /// The shape of `--json` (`schema_version`), versioned like the API's answers.
    public var schemaVersion = 1
    public struct Skip: Codable, Sendable, Equatable {
        public let path: String
        public let reason: String
        /// Skipped on an earlier run and unchanged since: not tried again.
        public let remembered: Bool
    }

    /// A root, or a folder under one, that could not be read: its documents are kept.
    public struct Unavailable: Codable, Sendable, Equatable {
        public let path: String
        public let reason: String
        /// Documents in the index from files under it, left as they were.
        public let keptDocuments: Int
    }

    public var added = 0
    public var replaced = 0
    public var deleted = 0
    /// Documents of files unchanged since the last run.
    public var unchanged = 0
    /// Files whose time changed but not their content.
    public var touched = 0
    public var skipped: [Skip] = []
    /// Two files (or two records of one file) with one id: the first path in sorted
    /// order (the first line) keeps the id; the other is remembered, and takes the id
    /// once the one kept lets it go.
    public struct Conflict: Codable, Sendable, Hashable {
        public let id: String
        /// Where the document in the index comes from: a path, or path:line.
        public let kept: String
        public let notKept: String

        public init(id: String, kept: String, notKept: String) {
            self.id = id
            self.kept = kept
            self.notKept = notKept
        }
    }

    /// Files of formats the indexer does not read: how many, and their paths.
    public var ignored = 0
    public var unread: [String] = []
    public var conflicts: [Conflict] = []
    /// Roots and folders that could not be read; any makes the run fail (exit 66).
    public var unavailable: [Unavailable] = []
    /// Pages of scanned PDFs recognised by tesseract in this run, and those whose text
    /// came from the OCR cache instead (0 and 0 when OCR is off).
    public var ocrPages = 0
    public var ocrCachedPages = 0
    /// Documents in the index after the run.
    public var documents = 0
    public var commits = 0
    /// Documents added or replaced by this run's commits so far: kept whatever
    /// happens afterwards.
    public var committed = 0
    public var seconds = 0.0

    public init() {}

    public var line: String {
        var parts = ["\(added) added", "\(replaced) replaced", "\(deleted) deleted", "\(unchanged) unchanged"]
        if touched > 0 { parts.append("\(touched) touched") }
        parts.append("\(skipped.count) skipped")
        if !unread.isEmpty { parts.append("\(unread.count) not read") }
        if !conflicts.isEmpty { parts.append("\(conflicts.count) id conflict\(conflicts.count == 1 ? "" : "s")") }
        if !unavailable.isEmpty { parts.append("\(unavailable.count) unavailable") }
        if ocrPages + ocrCachedPages > 0 {
            parts.append("\(ocrPages) page\(ocrPages == 1 ? "" : "s") OCR'd, \(ocrCachedPages) from the OCR cache")
        }
        let rate = seconds > 0 ? Double(added + replaced) / seconds : 0
        return parts.joined(separator: ", ") + String(format: "; %d documents in the index; %.2f s (%.0f documents/s)",
                                                      documents, seconds, rate)
    }
}

/// A run that stopped on an error it cannot skip (the disk is full, the index
/// cannot be written): what it committed before stays in the index.
public struct IndexingFailure: Error, CustomStringConvertible {
    public let committed: Int
    public let commits: Int
    public let underlying: Error

    public var description: String {
        let kept = commits == 0
            ? "nothing of this run was committed; the index is as it was before"
            : "\(committed) documents of this run were committed before it (\(commits) commit\(commits == 1 ? "" : "s")) and are kept"
        return "\(readableDescription(of: underlying)); \(kept); run again once the cause is fixed to index the rest"
    }
}

/// Foundation's file errors print as NSError dumps; a person needs the path and
/// the system's reason.
public func readableDescription(of error: Error) -> String {
    if let failure = error as? IndexingFailure { return failure.description }
    let nsError = error as NSError
    guard nsError.domain == NSCocoaErrorDomain else { return "\(error)" }
    let path = (nsError.userInfo[NSFilePathErrorKey] as? String).flatMap { $0.isEmpty ? nil : $0 }
        ?? (nsError.userInfo[NSURLErrorKey] as? URL)?.path ?? ""
    var reason = nsError.localizedDescription
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        reason = String(cString: strerror(Int32(underlying.code)))
    }
    return path.isEmpty ? reason : "\(path): \(reason)"
}

/// How far a run has got, for a progress line.
public struct IndexProgress: Sendable {
    public let itemsDone: Int
    public let itemsTotal: Int
    public let documentsWritten: Int
    public let elapsed: Double
}
