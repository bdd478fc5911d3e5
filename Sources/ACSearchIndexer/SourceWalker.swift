import ACSearchAnalysis
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
    /// The path relative to the root, in NFC: the id of the documents it holds.
    public let id: String
    public let format: FileFormat
    public let size: Int
    /// Modification time, nanoseconds since the epoch.
    public let modified: Int64
}

/// Walks roots for files the indexer reads.
///
/// Symbolic links are followed only to files and folders inside the roots of the run
/// (the inbox is group-writable: a link there to `/etc/passwd` must not make it
/// searchable by everyone who may query), and never in a loop. FIFOs, sockets,
/// devices, broken links, names that are not UTF-8 and names that differ from a
/// neighbour's only in Unicode normalisation are reported instead of opened; hidden
/// files and folders (".git") are passed over; other extensions are listed as not read.
///
/// A root that is missing or cannot be listed, a folder under it that cannot be
/// listed, and an empty root on another file system than when it was last indexed
/// (an unmounted one) are *unavailable*: nothing under them may be taken for gone.
public struct SourceWalker {
    public struct Skipped: Sendable, Equatable {
        public let path: String
        public let reason: String
    }

    public private(set) var files: [SourceFile] = []
    public private(set) var skipped: [Skipped] = []
    /// Roots and folders that could not be read: what the index holds from under
    /// them is kept.
    public private(set) var unavailable: [Skipped] = []
    /// Files with extensions the indexer does not read.
    public private(set) var unread: [String] = []
    /// Links not followed because they lead outside the roots: whatever the index
    /// holds from them (from before links were checked) is to be deleted.
    public private(set) var linksOutside: [String] = []
    /// The file system (st_dev) of each folder root that was read.
    public private(set) var devices: [String: UInt64] = [:]
    /// The real paths of the roots: where links may lead.
    private var realRoots: [String] = []

    /// `knownDevices`: each folder root's file system when it was last indexed.
    public init(roots: [String], knownDevices: [String: UInt64] = [:]) {
        let absoluteRoots = roots.map(SourceWalker.absolute)
        realRoots = absoluteRoots.map { SourceWalker.realPath($0) ?? $0 }
        for (given, absolute) in zip(roots, absoluteRoots) {
            var info = stat()
            guard stat(absolute, &info) == 0 else {
                unavailable.append(Skipped(path: given, reason: "cannot read it: \(String(cString: strerror(errno)))"))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                let device = UInt64(info.st_dev)
                if let known = knownDevices[absolute], known != device, SourceWalker.isEmptyFolder(absolute) {
                    unavailable.append(Skipped(path: absolute, reason: "it is empty and on another file system than "
                        + "when it was last indexed: is its file system unmounted?"))
                    continue
                }
                devices[absolute] = device
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

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || folder == "/" || path.hasPrefix(folder + "/")
    }

    private static func isEmptyFolder(_ path: String) -> Bool {
        guard let names = try? listing(path) else { return false }
        return !names.contains { !$0.isHidden }
    }

    /// A folder entry's name as the file system holds it: bytes, which need not be UTF-8.
    private struct Name {
        let bytes: [UInt8]
        /// The name as text, if it is UTF-8.
        let text: String?
        var isHidden: Bool { bytes.first == UInt8(ascii: ".") }
        /// For messages: invalid bytes shown as U+FFFD.
        var shown: String { text ?? String(decoding: bytes, as: UTF8.self) }
    }

    /// readdir, not FileManager: FileManager drops or mangles names that are not UTF-8.
    private struct SystemError: Error { let code: Int32 }

    private static func listing(_ path: String) throws(SystemError) -> [Name] {
        guard let directory = opendir(path) else { throw SystemError(code: errno) }
        defer { closedir(directory) }
        var names: [Name] = []
        errno = 0
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if bytes == [UInt8(ascii: ".")] || bytes == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            names.append(Name(bytes: bytes, text: String(validating: bytes, as: UTF8.self)))
        }
        if errno != 0 { throw SystemError(code: errno) }
        // Byte order: the same on every run, whatever Unicode says about equivalence.
        return names.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
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
        let names: [Name]
        do {
            names = try SourceWalker.listing(directory)
        } catch {
            unavailable.append(Skipped(path: directory, reason: "cannot list the folder: \(String(cString: strerror(error.code)))"))
            return
        }
        var seenForms: [String: String] = [:]
        for name in names where !name.isHidden {
            guard let text = name.text else {
                skipped.append(Skipped(path: directory + "/" + name.shown,
                                       reason: "the file name is not UTF-8: rename it (convmv can) to have it indexed"))
                continue
            }
            // Two names that differ only in NFC/NFD are one name to a person and one id.
            let form = text.precomposedStringWithCanonicalMapping
            if let first = seenForms[form] {
                skipped.append(Skipped(path: directory + "/" + text, reason: "its name differs from \"\(first)\" beside it only "
                    + "in Unicode normalisation (NFC/NFD): the two would have one id; rename or remove one"))
                continue
            }
            seenForms[form] = text
            let path = directory + "/" + text
            var link = stat()
            guard lstat(path, &link) == 0 else { continue }
            var target = link
            if (link.st_mode & S_IFMT) == S_IFLNK {
                guard stat(path, &target) == 0 else {
                    skipped.append(Skipped(path: path, reason: errno == ELOOP ? "symbolic link loop" : "broken symbolic link"))
                    continue
                }
                guard let resolved = SourceWalker.realPath(path), realRoots.contains(where: { SourceWalker.isInside(resolved, $0) })
                else {
                    skipped.append(Skipped(path: path, reason: "symbolic link to \(SourceWalker.realPath(path) ?? "?"), outside "
                        + "the folders being indexed: not followed"))
                    linksOutside.append(path)
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
            if named {
                skipped.append(Skipped(path: path, reason: "unknown file type (not one of .txt .md .html .json .jsonl .pdf .doc .docx .odt .rtf .xlsx .ods)"))
            } else {
                unread.append(path)
            }
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
        let relative = named ? (path as NSString).lastPathComponent : String(path.dropFirst(root.count).drop { $0 == "/" })
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        files.append(SourceFile(path: path, root: root, id: relative.precomposedStringWithCanonicalMapping, format: format,
                                size: Int(info.st_size), modified: modified))
    }

    /// Whether the walk shows that `path`, found under `root` on an earlier run, is gone:
    /// its root was read, no folder on the way to it was unavailable, and it is not there.
    public func isGone(_ path: String, root: String) -> Bool {
        guard devices[root] != nil else { return false }
        guard !unavailable.contains(where: { SourceWalker.isInside(path, SourceWalker.absolute($0.path)) }) else { return false }
        var info = stat()
        return lstat(path, &info) != 0 && (errno == ENOENT || errno == ENOTDIR)
    }
}
