import ACSearchIndex

/// Where an indexing run's changes go: the index itself, through its one writer, or
/// partial indexes that become the index when the run finishes.
protocol IndexTarget: AnyObject {
    func contains(id: String) throws -> Bool
    func write(_ built: BuiltDocument) throws
    func delete(id: String) throws
    func metadata(_ key: String) throws -> String
    func metadataKeys(prefix: String) throws -> [String]
    func setMetadata(_ value: String, forKey key: String) throws
    /// A commit of the index, or (for partial indexes) a flush of their memory.
    func commit() throws
    /// Whether what `commit` wrote is in the index (and kept if the run fails).
    var commitsAreInTheIndex: Bool { get }
    /// Makes the run's work the index, if `commit` has not.
    func finish() throws
    var documentCount: Int { get throws }
}

extension IndexWriter: IndexTarget {
    var commitsAreInTheIndex: Bool { true }
    func finish() throws {}
}
