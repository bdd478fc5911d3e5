import ACSearchIndex
import Foundation

/// Where an index may be written. The indexer moves database files into its folder
/// and removes leftovers of an interrupted creation there, so a folder that holds
/// anything else ("--db ''" is the working directory, "--db /", a home folder) or a
/// folder being indexed is refused before anything is written.
public enum IndexLocation {
    /// What an index folder may hold besides an index: Xapian's files, the partial
    /// indexes of a build, and what a new file system comes with.
    static let allowedNames: Set<String> = [".building", "flintlock", "iamglass", "lost+found"]

    /// Why the index may not be written at `shard` while indexing `roots`, or nil.
    public static func refusal(of shard: String, roots: [String]) -> String? {
        if IndexWriter.remote(shard) != nil { return nil }
        guard !shard.trimmingCharacters(in: .whitespaces).isEmpty else {
            return "--db is empty: give the index its own folder, e.g. --db /var/lib/acsearch/index"
        }
        let absolute = SourceWalker.absolute(shard)
        let real = SourceWalker.realPath(absolute) ?? absolute
        if real == "/" {
            return "--db \(shard) is the root of the file system: give the index a folder of its own"
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return "--db \(shard) is a file, not a folder: give the index a folder of its own" }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: real)) ?? []).sorted()
            let others = names.filter { !allowedNames.contains($0) && !$0.hasSuffix(".glass") && !$0.hasSuffix(".tmp") }
            if !names.contains("iamglass"), !others.isEmpty {
                let shown = others.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
                return "--db \(shard) is a folder that holds no index but other files (\(others.count): \(shown)"
                    + "\(others.count > 3 ? ", …" : "")): refusing to write an index among them; give an empty or new folder"
            }
        }
        for root in roots {
            let rootPath = SourceWalker.realPath(SourceWalker.absolute(root)) ?? SourceWalker.absolute(root)
            if SourceWalker.isInside(real, rootPath) {
                return "--db \(shard) is inside \(root), which is being indexed: keep the index out of its sources"
            }
            if SourceWalker.isInside(rootPath, real) {
                return "\(root), which is being indexed, is inside --db \(shard): keep the index out of its sources"
            }
        }
        return nil
    }
}
