import ACSearchAnalysis
import Foundation
import XapianKit

/// The companion of an index with remote shards: a small local database holding
/// the glossary's synonyms and a spelling dictionary made from the shards' words.
public enum Companion {
    /// Builds (or rebuilds) the companion at path from the shards that answer.
    public static func build(at path: String, shards: [Shard], resources: AnalysisResources) throws {
        try? FileManager.default.removeItem(atPath: path)
        let writer = try WritableDatabase(path: path, create: true)
        let stemmer = try IndexStemmer()
        for entry in Schema.synonyms(of: resources.glossary, stem: stemmer.stem) {
            try writer.addSynonym(entry.target, for: entry.key)
        }
        var words: [String: Int] = [:]
        for shard in shards {
            guard let database = try? Database(shards: [shard]) else { continue }
            // Unprefixed terms are the words as written (lowercase): fold them as the
            // indexer does for its own spelling dictionary.
            for (term, frequency) in try database.terms(prefix: "") {
                guard let first = term.unicodeScalars.first, !first.properties.isUppercase, first.properties.isAlphabetic
                else { continue }
                let folded = Folding.foldKey(term)
                if folded.count >= 3 && folded.count <= 24 { words[folded, default: 0] += frequency }
            }
        }
        for (word, frequency) in words { try writer.addSpelling(word, frequency: UInt32(clamping: frequency)) }
        try writer.setMetadata(String(Schema.version), forKey: Schema.Metadata.schemaVersion)
        try writer.commit()
        try writer.close()
    }
}
