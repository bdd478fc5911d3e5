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
            return "the index at \(path) has schema version \(found), this acsearch uses \(expected): rebuild it (acsearch-index --rebuild)"
        case .locked(let path):
            return "another indexer is writing \(path); wait for it to finish"
        case .xapian(let error):
            return error.description
        }
    }
}

/// The single writer of an index: adds, replaces and deletes documents by id, keeps
/// the schema version and the glossary's synonyms in the database.
public final class IndexWriter {
    public let path: String
    public let database: WritableDatabase
    private let reader: Database
    public let builder: DocumentBuilder
    public let analyzer: DocumentAnalyzer

    /// Opens (creating if needed) the index at path. Fails with `.locked` when another
    /// writer holds it, unless `waitForLock`.
    public init(path: String, resources: AnalysisResources, waitForLock: Bool = false) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            database = try WritableDatabase(path: path, create: true, waitForLock: waitForLock)
        } catch let error as XapianError where error.code == .locked {
            throw IndexError.locked(path: path)
        }
        reader = try database.reader()
        let found = try reader.metadata(Schema.Metadata.schemaVersion)
        if found.isEmpty {
            if try reader.documentCount > 0 {
                throw IndexError.schemaMismatch(path: path, found: "none", expected: Schema.version)
            }
            try database.setMetadata(String(Schema.version), forKey: Schema.Metadata.schemaVersion)
        } else if found != String(Schema.version) {
            throw IndexError.schemaMismatch(path: path, found: found, expected: Schema.version)
        }
        let stemmer = try IndexStemmer()
        builder = try DocumentBuilder(stemmer: stemmer, stopWords: resources.stopWords)
        analyzer = DocumentAnalyzer(resources: resources, stem: stemmer.stem)
        try writeSynonyms(resources.glossary, stem: stemmer.stem)
    }

    /// Analyses and writes a record, replacing any document with the same id.
    @discardableResult
    public func add(_ record: SourceRecord, sourceState: String? = nil) throws -> AnalysedDocument {
        let analysed = analyzer.analyse(record)
        try add(analysed, sourceState: sourceState)
        return analysed
    }

    public func add(_ document: AnalysedDocument, sourceState: String? = nil) throws {
        let (xapian, words) = try builder.build(document, sourceState: sourceState)
        try write(BuiltDocument(id: document.id, document: xapian, words: words))
    }

    /// Writes a document built elsewhere (on a worker thread), replacing its id.
    public func write(_ built: BuiltDocument) throws {
        try database.replace(uniqueTerm: Schema.term(Schema.Prefix.id, built.id), with: built.document)
        for word in built.words { try database.addSpelling(word) }
    }

    public func delete(id: String) throws {
        try database.delete(uniqueTerm: Schema.term(Schema.Prefix.id, id))
    }

    /// Whether a document with this id is in the index (pending changes included).
    public func contains(id: String) throws -> Bool {
        try reader.documentID(withTerm: Schema.term(Schema.Prefix.id, id)) != nil
    }

    /// The source state recorded with a document when it was indexed.
    public func sourceState(id: String) throws -> String? {
        guard let docid = try reader.documentID(withTerm: Schema.term(Schema.Prefix.id, id)) else { return nil }
        let state = try reader.document(id: docid).stringValue(slot: Schema.Slot.sourceState)
        return state.isEmpty ? nil : state
    }

    /// Every document id in the index.
    public func ids() throws -> [String] {
        try reader.terms(prefix: Schema.Prefix.id).map { String($0.term.dropFirst(Schema.Prefix.id.count)) }
    }

    public func metadata(_ key: String) throws -> String { try reader.metadata(key) }
    public func metadataKeys(prefix: String) throws -> [String] { try reader.metadataKeys(prefix: prefix) }
    public func setMetadata(_ value: String, forKey key: String) throws { try database.setMetadata(value, forKey: key) }

    public var documentCount: Int { get throws { try reader.documentCount } }

    /// Makes every change so far durable and visible, atomically.
    public func commit() throws {
        let stamp = ISO8601DateFormatter().string(from: Date())
        try database.setMetadata(stamp, forKey: Schema.Metadata.lastChange)
        try database.commit()
    }

    /// Writes the glossary as synonyms when its version differs from the index's:
    /// a single-word variant is keyed by its stem ("Zinspect"), a multi-word one by
    /// its words as typed and folded ("ban chỉ đạo", "ban chi dao"); every key leads
    /// to the concept's term.
    private func writeSynonyms(_ glossary: Glossary, stem: (String) -> String) throws {
        guard try reader.metadata(Schema.Metadata.glossaryVersion) != glossary.version else { return }
        for key in try reader.metadata(Schema.Metadata.synonymKeys).split(separator: "\n") {
            try database.clearSynonyms(for: String(key))
        }
        var keys = Set<String>()
        for concept in glossary.concepts {
            let target = Schema.term(Schema.Prefix.concept, concept.id)
            for variant in concept.variants {
                let words = Words.split(variant)
                if words.count == 1 {
                    let key = Schema.Prefix.stemmed + stem(words[0].key)
                    try database.addSynonym(target, for: key)
                    keys.insert(key)
                } else if words.count > 1 {
                    for key in [words.map { $0.text.lowercased() }.joined(separator: " "),
                                words.map(\.key).joined(separator: " ")] {
                        try database.addSynonym(target, for: key)
                        keys.insert(key)
                    }
                }
            }
        }
        try database.setMetadata(keys.sorted().joined(separator: "\n"), forKey: Schema.Metadata.synonymKeys)
        try database.setMetadata(glossary.version, forKey: Schema.Metadata.glossaryVersion)
    }
}
