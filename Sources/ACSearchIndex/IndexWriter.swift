import ACSearchAnalysis
import Foundation
import XapianKit

/// Errors of the index layer that a person must act on.
public enum IndexError: Error, CustomStringConvertible {
    /// The index was built by another schema version.
    case schemaMismatch(path: String, found: String, expected: Int)
    /// Another process holds the write lock.
    case locked(path: String)
    case xapian(XapianError)

    public var description: String {
        switch self {
        case .schemaMismatch(let path, let found, let expected):
            return "the index at \(path) has schema version \(found), this acsearch uses \(expected): rebuild it "
                + "(rm -rf \(path) && acsearch-index --db \(path) SOURCES...)"
        case .locked(let path):
            return "another indexer is writing \(path); wait for it to finish"
        case .xapian(let error):
            return error.description
        }
    }
}

/// The single writer of an index: adds, replaces and deletes documents by id, keeps
/// the schema version and the glossary's synonyms in the database.
///
/// An index may be split into shards (local folders, or `tcp://host:port` served by
/// `xapian-tcpsrv --writable`): each document goes to the shard its id hashes to, so
/// it always lands in, and replaces itself in, the same one. Metadata (the files'
/// states) lives in the first shard, which commits last: a run killed between two
/// shards' commits is redone from the first shard's states, and converges.
public final class IndexWriter {
    public let path: String
    public let shards: [String]
    private let databases: [WritableDatabase]
    private let readers: [Database]
    public let builder: DocumentBuilder
    public let analyzer: DocumentAnalyzer

    /// The first (or only) shard's database.
    public var database: WritableDatabase { databases[0] }

    /// Opens (creating local ones if needed) the index at path. Fails with `.locked`
    /// when another writer holds it, unless `waitForLock`.
    public convenience init(path: String, resources: AnalysisResources, waitForLock: Bool = false) throws {
        try self.init(shards: [path], resources: resources, waitForLock: waitForLock)
    }

    public init(shards: [String], resources: AnalysisResources, waitForLock: Bool = false) throws {
        precondition(!shards.isEmpty, "an index has at least one shard")
        path = shards.joined(separator: ", ")
        self.shards = shards
        var databases: [WritableDatabase] = []
        for shard in shards {
            do {
                if let (host, port) = ShardAddress.remote(shard) {
                    databases.append(try WritableDatabase(remoteHost: host, port: port))
                } else {
                    // A bare name ("--db index") has no parent to make.
                    let parent = (shard as NSString).deletingLastPathComponent
                    if !parent.isEmpty {
                        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
                    }
                    try IndexWriter.clearInterruptedCreation(shard)
                    databases.append(try WritableDatabase(path: shard, create: true, waitForLock: waitForLock))
                }
            } catch let error as XapianError where error.code == .locked {
                throw IndexError.locked(path: shard)
            }
        }
        self.databases = databases
        pendingSpellings = databases.map { _ in [:] }
        readers = try databases.map { try $0.reader() }
        let stemmer = try IndexStemmer()
        builder = try DocumentBuilder(stemmer: stemmer, stopWords: resources.stopWords)
        analyzer = DocumentAnalyzer(resources: resources, stem: stemmer.stem)
        for (index, reader) in readers.enumerated() {
            let found = try reader.metadata(Schema.Metadata.schemaVersion)
            if found.isEmpty {
                if try reader.documentCount > 0 {
                    throw IndexError.schemaMismatch(path: shards[index], found: "none", expected: Schema.version)
                }
                try databases[index].setMetadata(String(Schema.version), forKey: Schema.Metadata.schemaVersion)
            } else if found != String(Schema.version) {
                throw IndexError.schemaMismatch(path: shards[index], found: found, expected: Schema.version)
            }
            try writeSynonyms(resources.glossary, stem: stemmer.stem, into: databases[index], reader: reader)
        }
    }

    /// A writer killed while creating a database can leave its folder without the
    /// `iamglass` file that makes it a database; Xapian then refuses to open or create
    /// it. Such a folder holds no committed data: its glass files are removed so the
    /// next run starts afresh. Anything else in the folder is left alone.
    public static func clearInterruptedCreation(_ path: String) throws {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: path), !names.isEmpty,
              !names.contains("iamglass") else { return }
        for name in names where name.hasSuffix(".glass") || name.hasSuffix(".tmp") || name == "flintlock" {
            try manager.removeItem(atPath: (path as NSString).appendingPathComponent(name))
        }
    }

    /// "tcp://host:port" → (host, port): `ShardAddress.remote`, under the name
    /// ACSearchIndexer's callers use.
    public static func remote(_ shard: String) -> (host: String, port: UInt16)? { ShardAddress.remote(shard) }

    /// The shard a document id belongs to: stable across runs and machines.
    public static func shard(of id: String, among count: Int) -> Int {
        guard count > 1 else { return 0 }
        return Int(UInt64(Digest.fnv1a64Hex(id), radix: 16)! % UInt64(count))
    }

    private func shard(_ id: String) -> Int { IndexWriter.shard(of: id, among: databases.count) }

    /// Writes a document built elsewhere (on a worker thread), replacing its id.
    public func write(_ built: BuiltDocument) throws {
        let shard = shard(built.id)
        try databases[shard].replace(uniqueTerm: Schema.term(Schema.Prefix.id, built.id), with: built.document)
        for word in built.words { pendingSpellings[shard][word, default: 0] += 1 }
    }

    /// Spelling words counted since the last commit, per shard: Xapian updates its
    /// spelling table word by word in a sorted map, so a word is given to it once per
    /// commit with its count, not once per document (the same table in the end).
    private var pendingSpellings: [[String: UInt32]]

    deinit {
        // Xapian commits what a writer holds when it is closed: let that include these.
        try? addPendingSpellings()
    }

    private func addPendingSpellings() throws {
        for (shard, words) in pendingSpellings.enumerated() {
            for (word, count) in words { try databases[shard].addSpelling(word, frequency: count) }
        }
        pendingSpellings = pendingSpellings.map { _ in [:] }
    }

    public func delete(id: String) throws {
        try databases[shard(id)].delete(uniqueTerm: Schema.term(Schema.Prefix.id, id))
    }

    /// Whether a document with this id is in the index (pending changes included).
    public func contains(id: String) throws -> Bool {
        try readers[shard(id)].documentID(withTerm: Schema.term(Schema.Prefix.id, id)) != nil
    }

    public func metadata(_ key: String) throws -> String { try readers[0].metadata(key) }
    public func metadataKeys(prefix: String) throws -> [String] { try readers[0].metadataKeys(prefix: prefix) }
    public func setMetadata(_ value: String, forKey key: String) throws { try databases[0].setMetadata(value, forKey: key) }

    public var documentCount: Int { get throws { try readers.reduce(0) { $0 + (try $1.documentCount) } } }

    /// Makes every change so far durable and visible: each shard atomically, the
    /// first (which holds the files' states) last.
    public func commit() throws {
        try addPendingSpellings()
        let stamp = ISO8601DateFormatter().string(from: Date())
        for database in databases.dropFirst() {
            try database.setMetadata(stamp, forKey: Schema.Metadata.lastChange)
            try database.commit()
        }
        try databases[0].setMetadata(stamp, forKey: Schema.Metadata.lastChange)
        try databases[0].commit()
    }

    /// Commits, then closes every shard, which releases the write lock.
    public func close() throws {
        try commit()
        for database in databases { try database.close() }
    }

    /// Writes the glossary as synonyms when its version differs from the index's.
    private func writeSynonyms(_ glossary: Glossary, stem: (String) -> String, into database: WritableDatabase,
                               reader: Database) throws {
        guard try reader.metadata(Schema.Metadata.glossaryVersion) != glossary.version else { return }
        for key in try reader.metadata(Schema.Metadata.synonymKeys).split(separator: "\n") {
            try database.clearSynonyms(for: String(key))
        }
        let entries = Schema.synonyms(of: glossary, stem: stem)
        for entry in entries { try database.addSynonym(entry.target, for: entry.key) }
        try database.setMetadata(Set(entries.map(\.key)).sorted().joined(separator: "\n"), forKey: Schema.Metadata.synonymKeys)
        try database.setMetadata(glossary.version, forKey: Schema.Metadata.glossaryVersion)
    }
}
