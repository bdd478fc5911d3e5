import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file found under a root, with what the indexer needs to decide about it
/// without reading it.
public struct SourceFile: Sendable, Equatable {
    /// Absolute path.
    public let path: String
    /// The folder it was found under (absolute), or the file itself when named directly.
    public let root: String
    /// The path relative to the root: the id of the documents it holds.
    public let id: String
    public let format: FileFormat
    public let size: Int
    /// Modification time, nanoseconds since the epoch.
    public let modified: Int64
}

/// Walks roots for files the indexer reads. Follows symbolic links but never loops;
/// reports FIFOs, sockets, devices, broken links and loops instead of opening them;
/// passes over hidden files and folders (".git") and unknown extensions.
public struct SourceWalker {
    public struct Skipped: Sendable, Equatable {
        public let path: String
        public let reason: String
    }

    public private(set) var files: [SourceFile] = []
    public private(set) var skipped: [Skipped] = []
    /// Files with extensions the indexer does not read.
    public private(set) var ignored = 0

    public init(roots: [String]) {
        for root in roots {
            let absolute = SourceWalker.absolute(root)
            var info = stat()
            guard stat(absolute, &info) == 0 else {
                skipped.append(Skipped(path: root, reason: "cannot read: \(String(cString: strerror(errno)))"))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                var visited: Set<String> = []
                walk(directory: absolute, root: absolute, visited: &visited)
            } else {
                // A file named directly: its id is its name, and it is its own root.
                consider(path: absolute, root: absolute, info: info, named: true)
            }
        }
        files.sort { $0.path < $1.path }
    }

    static func absolute(_ path: String) -> String {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return url.standardizedFileURL.path
    }

    private mutating func walk(directory: String, root: String, visited: inout Set<String>) {
        var info = stat()
        guard stat(directory, &info) == 0 else { return }
        let identity = "\(info.st_dev):\(info.st_ino)"
        guard visited.insert(identity).inserted else {
            skipped.append(Skipped(path: directory, reason: "symbolic link loop (this folder is already being indexed)"))
            return
        }
        defer { visited.remove(identity) }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            skipped.append(Skipped(path: directory, reason: "cannot list the folder: \(String(cString: strerror(errno)))"))
            return
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = directory + "/" + name
            var link = stat()
            guard lstat(path, &link) == 0 else { continue }
            var target = link
            if (link.st_mode & S_IFMT) == S_IFLNK {
                guard stat(path, &target) == 0 else {
                    skipped.append(Skipped(path: path, reason: errno == ELOOP ? "symbolic link loop" : "broken symbolic link"))
                    continue
                }
            }
            if (target.st_mode & S_IFMT) == S_IFDIR {
                walk(directory: path, root: root, visited: &visited)
            } else {
                consider(path: path, root: root, info: target, named: false)
            }
        }
    }

    private mutating func consider(path: String, root: String, info: stat, named: Bool) {
        guard let format = FileFormat(path: path) else {
            if named { skipped.append(Skipped(path: path, reason: "unknown file type (not one of .txt .md .html .json .jsonl .pdf .docx)")) }
            ignored += 1
            return
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            break
        case S_IFIFO:
            skipped.append(Skipped(path: path, reason: "not a regular file (FIFO)"))
            return
        case S_IFSOCK:
            skipped.append(Skipped(path: path, reason: "not a regular file (socket)"))
            return
        default:
            skipped.append(Skipped(path: path, reason: "not a regular file (device)"))
            return
        }
        let id = named ? (path as NSString).lastPathComponent : String(path.dropFirst(root.count).drop { $0 == "/" })
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        files.append(SourceFile(path: path, root: root, id: id, format: format, size: Int(info.st_size),
                                modified: modified))
    }
}
