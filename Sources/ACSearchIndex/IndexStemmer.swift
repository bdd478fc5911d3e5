import ACSearchAnalysis
import XapianKit

/// The stemmer of acsearch's index: folds diacritics (so "Hải" and "hai" meet), then
/// applies the English stemmer only to words that cannot be Vietnamese syllables.
/// Indexing, query parsing and snippets all use it, so what is indexed, asked and
/// highlighted agree.
///
/// Not thread-safe (it caches): make one per thread.
public final class IndexStemmer {
    public let stemmer: Stemmer
    /// The same function, for analysis (glossary matching) outside Xapian.
    public let stem: (String) -> String

    public init() throws {
        let english = try Stemmer(language: "english")
        let cache = Cache()
        let stem: (String) -> String = { word in
            if let known = cache.stems[word] { return known }
            let folded = Folding.foldKey(word)
            let result: String
            if VietnameseSyllable.matches(folded) || folded.unicodeScalars.contains(where: { $0.properties.numericType != nil }) {
                result = folded
            } else {
                result = (try? english.stem(folded)) ?? folded
            }
            if cache.stems.count >= 100_000 { cache.stems.removeAll(keepingCapacity: true) }
            cache.stems[word] = result
            return result
        }
        self.stem = stem
        stemmer = try Stemmer(stem)
    }

    private final class Cache {
        var stems: [String: String] = [:]
    }
}
