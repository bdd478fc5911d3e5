import ACSearchAnalysis
import ACSearchIndex
import Dispatch
import Foundation
import Synchronization
import XapianKit

/// What went wrong building partial indexes, said for a person.
struct PartialIndexError: Error, CustomStringConvertible, Equatable {
    let description: String
    /// Another run built the index while this one waited for the lock: this one
    /// changes it through its writer instead.
    static let builtMeanwhile = PartialIndexError(description: "the index was built by another run meanwhile")
}

/// A new index built as partial indexes, each with its own writer on its own thread,
/// merged by Xapian's compaction and moved into place when the run finishes.
///
/// One Xapian writer spends most of its time adding postings, and it is one thread:
/// with analysis done in parallel in front of it, that thread became what limited a
/// bulk run. Partial indexes in `INDEX/.building/` take that work to every core. The
/// compacted result's files are then renamed into the index's folder (which may be a
/// mount point, as systemd's `ReadWritePaths` makes it, so the folder itself is never
/// replaced), `iamglass` last: until that file is there no reader takes the folder for
/// a database, and once it is, the whole index is. Only for an index that does not
/// exist yet: changing an index goes through its one writer, as ever.
///
/// A document goes to the partial its id hashes to, so a record given twice replaces
/// itself there; the files' states go to the first partial, whose metadata the
/// compaction keeps. The building folder is locked (flock) for the run; a run killed
/// half-way leaves it behind and the next run starts it afresh.
final class PartialIndexes: IndexTarget {
    let destination: String
    let building: String
    private let partials: [Partial]
    private let lock: Int32
    /// Ids written in this run: the index is new, so nothing else is in it.
    private var ids = Set<String>()
    private let failure = FirstFailure()
    private(set) var finished = false

    /// The first error of the writers' threads, for the indexing thread to throw.
    private final class FirstFailure: Sendable {
        private let message = Mutex<String?>(nil)
        func record(_ error: Error) { message.withLock { if $0 == nil { $0 = "\(error)" } } }
        var recorded: String? { message.withLock { $0 } }
    }

    /// A writer and the thread (serial queue) that alone uses it.
    private final class Partial: @unchecked Sendable {
        // @unchecked: `writer` is only touched on `queue` once the run has started.
        let writer: IndexWriter
        let queue: DispatchQueue
        /// Documents handed to the queue and not yet written, at most `limit`, so
        /// that built documents do not pile up in memory ahead of a slow writer.
        let room: DispatchSemaphore

        init(writer: IndexWriter, label: String, limit: Int) {
            self.writer = writer
            queue = DispatchQueue(label: label)
            room = DispatchSemaphore(value: limit)
        }
    }

    /// The folder that partial indexes of `destination` are built in.
    static func buildingFolder(of destination: String) -> String { destination + "/.building" }

    /// Whether a run can build the index at `path` this way: a local folder that does
    /// not exist yet or holds no database (no `iamglass`).
    static func canBuild(_ path: String) -> Bool {
        guard IndexWriter.remote(path) == nil else { return false }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return true }
        return isDirectory.boolValue && !FileManager.default.fileExists(atPath: path + "/iamglass")
    }

    init(destination: String, count: Int, resources: AnalysisResources, waitForLock: Bool) throws {
        self.destination = destination
        building = PartialIndexes.buildingFolder(of: destination)
        try FileManager.default.createDirectory(atPath: building, withIntermediateDirectories: true)
        lock = open(building, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard lock >= 0 else {
            throw PartialIndexError(description: "cannot open \(building): \(String(cString: strerror(errno)))")
        }
        guard flock(lock, LOCK_EX | (waitForLock ? 0 : LOCK_NB)) == 0 else {
            close(lock)
            throw IndexError.locked(path: destination)
        }
        do {
            guard PartialIndexes.canBuild(destination) else { throw PartialIndexError.builtMeanwhile }
            // What a killed run left is of no use: its documents were never the index.
            for name in try FileManager.default.contentsOfDirectory(atPath: building) {
                try FileManager.default.removeItem(atPath: building + "/" + name)
            }
            try IndexWriter.clearInterruptedCreation(destination)
            let folder = building
            partials = try (0..<count).map { index in
                Partial(writer: try IndexWriter(path: "\(folder)/\(index)", resources: resources),
                        label: "acsearch.partial.\(index)", limit: 64)
            }
        } catch {
            close(lock)
            throw error
        }
    }

    deinit {
        if !finished {
            // A failed run: let the writers' threads finish what they hold, then remove
            // what was never the index.
            for partial in partials { partial.queue.sync {} }
            try? FileManager.default.removeItem(atPath: building)
        }
        close(lock)
    }

    private func partial(for id: String) -> Partial { partials[IndexWriter.shard(of: id, among: partials.count)] }

    /// Runs `body` on the partial's thread; the first error is kept and thrown by the
    /// next call on the indexing thread.
    private func run(on partial: Partial, _ body: @escaping @Sendable (IndexWriter) throws -> Void) throws {
        try throwIfFailed()
        partial.room.wait()
        partial.queue.async { [failure] in
            defer { partial.room.signal() }
            do {
                try body(partial.writer)
            } catch {
                failure.record(error)
            }
        }
    }

    /// Waits until every partial has written what it was given.
    private func drain() throws {
        for partial in partials { partial.queue.sync {} }
        try throwIfFailed()
    }

    private func throwIfFailed() throws {
        if let message = failure.recorded {
            throw PartialIndexError(description: message)
        }
    }

    func contains(id: String) throws -> Bool { ids.contains(id) }

    func write(_ built: BuiltDocument) throws {
        ids.insert(built.id)
        try run(on: partial(for: built.id)) { try $0.write(built) }
    }

    func delete(id: String) throws {
        ids.remove(id)
        try run(on: partial(for: id)) { try $0.delete(id: id) }
    }

    func metadata(_ key: String) throws -> String {
        try drain()
        return try partials[0].queue.sync { try partials[0].writer.metadata(key) }
    }

    func metadataKeys(prefix: String) throws -> [String] {
        try drain()
        return try partials[0].queue.sync { try partials[0].writer.metadataKeys(prefix: prefix) }
    }

    func setMetadata(_ value: String, forKey key: String) throws {
        try run(on: partials[0]) { try $0.setMetadata(value, forKey: key) }
    }

    func commit() throws {
        for partial in partials { try run(on: partial) { try $0.commit() } }
    }

    var commitsAreInTheIndex: Bool { false }

    /// Closes the partials, compacts them into one database, and renames its files
    /// into the index's folder, `iamglass` (what makes the folder a database) last.
    func finish() throws {
        for partial in partials { try run(on: partial) { try $0.close() } }
        try drain()
        let compacted = building + "/index"
        try Database(shards: partials.indices.map { .local(path: "\(building)/\($0)") }).compact(to: compacted)
        let names = try FileManager.default.contentsOfDirectory(atPath: compacted)
        for name in names.filter({ $0 != "iamglass" }) + names.filter({ $0 == "iamglass" }) {
            guard rename(compacted + "/" + name, destination + "/" + name) == 0 else {
                throw PartialIndexError(description: "cannot move \(name) of the new index into \(destination): "
                                        + String(cString: strerror(errno)))
            }
        }
        finished = true
        try FileManager.default.removeItem(atPath: building)
    }

    var documentCount: Int {
        get throws { finished ? try Database(path: destination).documentCount : ids.count }
    }
}
