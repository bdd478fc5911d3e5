import ACSearchAnalysis
import XapianKit

/// The index schema: the one source of truth for term prefixes, value slots and
/// metadata keys, used by the indexer and the daemon alike. `index/SCHEMA.md`
/// describes it for people; its version is stored in every index.
public enum Schema {
    /// Bumped whenever terms, slots or stored data change meaning: an index built
    /// with another version must be rebuilt.
    public static let version = 5

    /// Term prefixes (Xapian/omega conventions where one exists).
    public enum Prefix {
        /// Unique document id (boolean).
        public static let id = "Q"
        /// Kind: regulation, conclusion, press (boolean).
        public static let kind = "K"
        /// Language: en, vi (boolean).
        public static let language = "L"
        /// Year, YYYY (boolean).
        public static let year = "Y"
        /// Month, YYYYMM (boolean).
        public static let month = "M"
        /// Province slug, named and current (boolean).
        public static let province = "XP"
        /// A place the document names anywhere, by slug, weighted by how often it
        /// is named: what a query naming a place matches and ranks on, in place of
        /// the name's words (schema 2; weighted since schema 3).
        public static let placeNamed = "XM"
        /// The document's own number, its `DocumentNumber.key` ("67/qd/tw"), weighted
        /// (wdf 1) so that a number typed as a query ranks it (schema 4).
        public static let number = "XN"
        /// A number the document cites, its key (boolean).
        public static let cites = "XR"
        /// Issuer slug (boolean, for filters).
        public static let issuerFilter = "XJ"
        /// Issuer words (free text, `issuer:`).
        public static let issuer = "XI"
        /// People's names (free text, `person:`).
        public static let person = "XA"
        /// Title words (free text, `title:`).
        public static let title = "S"
        /// Glossary concept (weighted; the target of synonyms).
        public static let concept = "XC"
        /// Two adjacent syllables of Vietnamese text, folded, joined by "_"
        /// (`XWdieu_tra`), weighted by how often they are adjacent, no positions: a
        /// query's syllables typed together rank the documents writing them as one
        /// word on one term, not a position check (schema 4).
        public static let syllablePair = "XW"
        /// Stemmed (folded) terms, as Xapian names them.
        public static let stemmed = "Z"
    }

    /// Value slots.
    public enum Slot {
        /// Date, YYYYMMDD (sorting and date ranges).
        public static let date: UInt32 = 0
        public static let kind: UInt32 = 1
        public static let language: UInt32 = 2
        /// Province names as written, joined by `multiValueSeparator` (facets).
        public static let provinces: UInt32 = 3
        public static let year: UInt32 = 4
        public static let issuer: UInt32 = 5
        /// Story key: near-duplicate press items of one story share it (collapsing).
        public static let story: UInt32 = 6
        // 7 is unused: the indexer keeps its sources' states in metadata instead.
        /// Month, YYYYMM (timeline facets).
        public static let month: UInt32 = 8
        /// The largest sum in đồng the document names, `Xapian.sortableSerialise`d
        /// (sorting and `amount:` ranges; schema 5).
        public static let amount: UInt32 = 9
    }

    /// A sum in đồng as the amount slot holds it: bytes that sort as the sums do.
    public static func amountValue(_ vnd: Int) -> [UInt8] { Xapian.sortableSerialise(Double(vnd)) }

    public static let multiValueSeparator: UInt8 = 0x1F

    /// Metadata keys.
    public enum Metadata {
        public static let schemaVersion = "acsearch.schema"
        public static let glossaryVersion = "acsearch.glossary"
        public static let synonymKeys = "acsearch.synonym-keys"
        public static let lastChange = "acsearch.updated"
        /// Prefix of the keys remembering skipped bad files: value is "state\treason".
        public static let skippedPrefix = "acsearch.skipped:"
    }

    /// Stemming at indexing: exact words and folded stems, both with positions;
    /// DocumentBuilder then keeps positions for the stems only (phrases are asked
    /// of those alone), so an exact term has its wdf and no positions.
    public static let indexingStrategy = StemmingStrategy.someFullPositions
    /// Stemming at query time: every word becomes a folded stem, in phrases, quotes
    /// and hyphenated groups too (other strategies leave those unstemmed, so "ban chi
    /// dao" in quotes would miss "Ban Chỉ đạo"). TermGenerator makes no stemmed
    /// terms for numbers, so DocumentBuilder adds them ("Z67" beside "67").
    public static let queryStrategy = StemmingStrategy.allZ

    /// Prefixes of free-text fields (their terms are stemmed, phrases work on them):
    /// the body's, then the field table's.
    public static let textPrefixes = [""] + Fields.all.filter { $0.kind == .freeText }.map(\.prefix)

    /// A term, within what Xapian accepts: one longer keeps its head, cut at a
    /// character boundary, and ends with a hash of the whole value.
    public static func term(_ prefix: String, _ value: String) -> String {
        let term = prefix + value
        guard term.utf8.count > Xapian.maxTermLength else { return term }
        // Cut short, two long values that share a start (two long ids) would be one
        // term, one document: a readable head, then the hash of the whole value.
        let tail = "#" + Digest.fnv1a64Hex(value)
        var head = ""
        for character in term {
            if head.utf8.count + character.utf8.count + tail.utf8.count > Xapian.maxTermLength { break }
            head.append(character)
        }
        return head + tail
    }

    /// The glossary as synonym entries: a single-word variant is keyed by its stem
    /// ("Zinspect"), a multi-word one by its words as typed and folded ("ban chỉ đạo",
    /// "ban chi dao"); every key leads to the concept's term. The indexer writes them
    /// into each shard; the daemon into its companion database for remote shards,
    /// which Xapian's remote backend does not serve synonyms from.
    public static func synonyms(of glossary: Glossary, stem: (String) -> String) -> [(key: String, target: String)] {
        var entries: [(String, String)] = []
        for concept in glossary.concepts {
            let target = term(Prefix.concept, concept.id)
            for variant in concept.variants {
                let words = Words.split(variant)
                if words.count == 1 {
                    entries.append((Prefix.stemmed + stem(words[0].key), target))
                } else if words.count > 1 {
                    entries.append((words.map { $0.text.lowercased() }.joined(separator: " "), target))
                    entries.append((words.map(\.key).joined(separator: " "), target))
                }
            }
        }
        return entries
    }

    /// The term of two adjacent syllables (folded keys).
    public static func syllablePair(_ first: String, _ second: String) -> String {
        term(Prefix.syllablePair, first + "_" + second)
    }

    /// The pairs of adjacent Vietnamese syllables of a text's words, with how often
    /// each occurs: both words syllable-shaped, nothing but spaces between them.
    public static func syllablePairs(_ words: [Word]) -> [String: Int] {
        var pairs: [String: Int] = [:]
        var previous: String? = nil
        for word in words {
            let isSyllable = VietnameseSyllable.matches(word.key)
            if isSyllable, let first = previous, !word.followsPunctuation {
                pairs[syllablePair(first, word.key), default: 0] += 1
            }
            previous = isSyllable ? word.key : nil
        }
        return pairs
    }

    /// A folded, hyphenated form for boolean terms: "Thanh tra Chính phủ" → "thanh-tra-chinh-phu".
    public static func slug(_ text: String) -> String {
        Words.split(text).map(\.key).joined(separator: "-")
    }
}
