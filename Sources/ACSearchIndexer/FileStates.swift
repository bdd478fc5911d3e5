import ACSearchAnalysis
import ACSearchIndex
import Foundation

/// What the index remembers of each source file, in its metadata, so that a run
/// skips unchanged files cheaply and deletes the documents of vanished ones. It is
/// written in the same commit as the file's documents: a run killed at any moment
/// leaves documents and states that agree.
struct FileState: Equatable {
    var path: String
    var root: String
    var size: Int
    var modified: Int64
    var hash: String
    /// Ids of the documents the file produced.
    var ids: [String]
    /// Ids the file has that another file's document holds (a conflict): the file is
    /// read again once that other file lets the id go.
    var lost: [String] = []

    static let keyPrefix = "acsearch.file:"

    static func key(for path: String) -> String {
        // Metadata keys have Xapian's term length limit; long paths are hashed.
        let key = keyPrefix + path
        return key.utf8.count <= 200 ? key : keyPrefix + "#" + Digest.fnv1a64Hex(path)
    }

    /// v2 added `lost`; v1 states (which have none) are read as ever.
    var serialized: String {
        ["v2", path, root, String(size), String(modified), hash, ids.joined(separator: "\u{1F}"),
         lost.joined(separator: "\u{1F}")].joined(separator: "\t")
    }

    init(path: String, root: String, size: Int, modified: Int64, hash: String, ids: [String], lost: [String] = []) {
        self.path = path
        self.root = root
        self.size = size
        self.modified = modified
        self.hash = hash
        self.ids = ids
        self.lost = lost
    }

    init?(serialized: String) {
        let fields = serialized.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard (fields.count == 7 && fields[0] == "v1") || (fields.count == 8 && fields[0] == "v2"),
              let size = Int(fields[3]), let modified = Int64(fields[4]) else {
            return nil
        }
        func list(_ field: String) -> [String] { field.isEmpty ? [] : field.split(separator: "\u{1F}").map(String.init) }
        self.init(path: fields[1], root: fields[2], size: size, modified: modified, hash: fields[5], ids: list(fields[6]),
                  lost: fields.count == 8 ? list(fields[7]) : [])
    }
}

/// A file skipped as bad, remembered so it is not retried until it changes.
struct SkippedState: Equatable {
    var size: Int
    var modified: Int64
    var reason: String

    static func key(for path: String) -> String {
        let key = Schema.Metadata.skippedPrefix + path
        return key.utf8.count <= 200 ? key : Schema.Metadata.skippedPrefix + "#" + Digest.fnv1a64Hex(path)
    }

    var serialized: String { "\(size)\t\(modified)\t\(reason)" }

    init(size: Int, modified: Int64, reason: String) {
        self.size = size
        self.modified = modified
        self.reason = reason
    }

    init?(serialized: String) {
        let fields = serialized.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 3, let size = Int(fields[0]), let modified = Int64(fields[1]) else { return nil }
        self.init(size: size, modified: modified, reason: fields[2])
    }
}

/// The file system a folder root was on when it was last indexed: an empty root on
/// another one is taken for an unmounted file system, not for files deleted.
enum RootState {
    static let keyPrefix = "acsearch.root:"

    static func key(for root: String) -> String {
        let key = keyPrefix + root
        return key.utf8.count <= 200 ? key : keyPrefix + "#" + Digest.fnv1a64Hex(root)
    }
}
