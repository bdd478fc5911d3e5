/// How a document's `source` is shown to socket clients. The indexer stores the
/// absolute path of the file a document came from; the services asking the daemon
/// need not learn the layout of the indexer's disk, so by default they see the path
/// relative to the folder it was indexed from: relative to the first configured root
/// that holds it, else the document's id when the path ends with it (the id of a
/// file's document is its path relative to its root), else the file's name. Sources
/// that are not paths ("stdin") are shown as stored; `absolute` shows paths whole.
public struct SourcePaths: Sendable, Equatable {
    /// Folders the indexer reads (as in index.env), longest first when they nest.
    public var roots: [String]
    public var absolute: Bool

    public init(roots: [String] = [], absolute: Bool = false) {
        self.roots = roots.map { $0.hasSuffix("/") && $0.count > 1 ? String($0.dropLast()) : $0 }
            .sorted { $0.count > $1.count }
        self.absolute = absolute
    }

    public func shown(_ source: String, id: String) -> String {
        guard !absolute, source.hasPrefix("/") else { return source }
        for root in roots where source.hasPrefix(root + "/") {
            return String(source.dropFirst(root.count + 1))
        }
        if source.hasSuffix("/" + id) { return id }
        return String(source[(source.lastIndex(of: "/").map { source.index(after: $0) } ?? source.startIndex)...])
    }
}
