/// The bilingual domain glossary (`index/glossary.tsv`): concepts and the ways they
/// are written in English and Vietnamese. Indexing adds a concept term to every
/// document where a variant occurs; the variants become Xapian synonyms of it.
public struct Glossary: Sendable {
    public struct Concept: Sendable, Equatable {
        public let id: String
        /// Every variant as written (NFC, tone marks in canonical places).
        public let variants: [String]
    }

    public let concepts: [Concept]
    /// A digest of the file's content: stored in the index to know when to rewrite synonyms.
    public let version: String
    /// Variant word sequences (folded) keyed by first word.
    private let variantsByFirstWord: [String: [(words: [String], concept: Int, stemmed: Bool)]]

    public init(tsv: String) throws {
        var concepts: [Concept] = []
        for (number, line) in tsv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 3, !columns[0].isEmpty,
                  columns[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw AnalysisDataError(file: "glossary.tsv", line: number + 1,
                                        problem: "expected concept (ascii letters, digits, -), English, Vietnamese")
            }
            let variants = columns.dropFirst().flatMap { $0.split(separator: "|") }
                .map { TextNormalization.normalize($0.trimmingCharacters(in: .whitespaces)) }
                .filter { !$0.isEmpty }
            guard !variants.isEmpty else {
                throw AnalysisDataError(file: "glossary.tsv", line: number + 1, problem: "a concept needs variants")
            }
            concepts.append(Concept(id: columns[0], variants: variants))
        }
        self.concepts = concepts
        version = Digest.fnv1a64Hex(tsv)
        var byFirst: [String: [(words: [String], concept: Int, stemmed: Bool)]] = [:]
        for (index, concept) in concepts.enumerated() {
            for variant in concept.variants {
                let words = Words.split(variant).map(\.key)
                guard let first = words.first else { continue }
                byFirst[first, default: []].append((words, index, false))
            }
        }
        variantsByFirstWord = byFirst.mapValues { $0.sorted { $0.words.count > $1.words.count } }
    }

    /// A matcher for documents analysed with `stem` (the indexing stemmer): a
    /// single-word variant also matches words with the same stem ("inspections").
    public func matcher(stem: @escaping (String) -> String) -> Matcher {
        var singleByStem: [String: Set<Int>] = [:]
        var multi: [String: [(words: [String], concept: Int)]] = [:]
        for (first, variants) in variantsByFirstWord {
            for variant in variants {
                if variant.words.count == 1 {
                    singleByStem[stem(first), default: []].insert(variant.concept)
                } else {
                    multi[first, default: []].append((variant.words, variant.concept))
                }
            }
        }
        return Matcher(ids: concepts.map(\.id), singleByStem: singleByStem, multiByFirstWord: multi, stem: stem)
    }

    /// Finds the glossary's concepts in documents' words.
    ///
    /// Remembers what each word can start (its stem's concepts, the longer variants
    /// beginning with it), so a word seen before costs one lookup: the stemmer, the
    /// stems and the first words are each a dictionary of their own. Not thread-safe:
    /// one per analyser.
    public final class Matcher {
        /// What a word (folded key) can start.
        private struct Start {
            /// Variants of several words beginning with it, longest first.
            let longer: [(words: [String], concept: Int)]
            /// Concepts of the single-word variants with its stem, ascending.
            let single: [Int]
        }

        private let ids: [String]
        private let singleByStem: [String: Set<Int>]
        private let multiByFirstWord: [String: [(words: [String], concept: Int)]]
        private let stem: (String) -> String
        private var starts: [String: Start] = [:]
        private static let maxRemembered = 100_000

        init(ids: [String], singleByStem: [String: Set<Int>], multiByFirstWord: [String: [(words: [String], concept: Int)]],
             stem: @escaping (String) -> String) {
            self.ids = ids
            self.singleByStem = singleByStem
            self.multiByFirstWord = multiByFirstWord
            self.stem = stem
        }

        private func start(_ key: String) -> Start {
            if let known = starts[key] { return known }
            let start = Start(longer: multiByFirstWord[key] ?? [], single: (singleByStem[stem(key)] ?? []).sorted())
            if starts.count >= Matcher.maxRemembered { starts.removeAll(keepingCapacity: true) }
            starts[key] = start
            return start
        }

        /// The concepts whose variants occur in the words, with how often.
        public func concepts(in words: [Word]) -> [(id: String, count: Int)] {
            var counts: [Int: Int] = [:]
            var position = 0
            while position < words.count {
                let start = start(words[position].key)
                // The longest variant matching here wins; every concept it belongs to counts,
                // and so do the single-word concepts of the words inside it ("state audit"
                // is an audit too): a document with a variant's stem then always has its
                // concept, so a query matches on the concept alone (Searcher).
                var matchedLength = 0
                var matched: Set<Int> = []
                for candidate in start.longer
                where position + candidate.words.count <= words.count && candidate.words.count >= matchedLength {
                    if zip(words[position..<(position + candidate.words.count)], candidate.words)
                        .allSatisfy({ $0.key == $1 }) {
                        counts[candidate.concept, default: 0] += 1
                        matched.insert(candidate.concept)
                        matchedLength = candidate.words.count
                    }
                }
                if matchedLength > 0 {
                    // Not the variant's own concept again ("taking bribes" is one bribery).
                    for inside in words[position..<(position + matchedLength)] {
                        for concept in self.start(inside.key).single where !matched.contains(concept) {
                            counts[concept, default: 0] += 1
                        }
                    }
                    position += matchedLength
                } else {
                    for concept in start.single { counts[concept, default: 0] += 1 }
                    position += 1
                }
            }
            return counts.sorted { $0.key < $1.key }.map { (ids[$0.key], $0.value) }
        }
    }
}

/// A small, stable content digest (FNV-1a, 64 bit): for versions of data, not security.
public enum Digest {
    public static func fnv1a64Hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    public static func fnv1a64Hex(_ text: String) -> String { fnv1a64Hex(text.utf8) }
}
