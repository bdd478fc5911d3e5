/// Vietnam's provinces and centrally-run cities, with the names in use before the
/// 2025 merger and the unit each belongs to now. Loaded from `index/provinces.tsv`.
public struct Gazetteer: Sendable {
    public struct Province: Sendable, Equatable {
        public let slug: String
        public let name: String
        /// For a unit merged in 2025, the slug of the unit it belongs to now.
        public let now: String?
        public var isCurrent: Bool { now == nil }
    }

    /// A district, district-level town or city (cấp huyện), from `index/districts.tsv`:
    /// never a province of a document, but a place the people finder must not take for
    /// a name ("Thái Thụy", "Vũ Thư").
    public struct District: Sendable, Equatable {
        public let name: String
        /// The slug of the province it was in.
        public let province: String
    }

    public let provinces: [Province]
    public let districts: [District]
    private let bySlug: [String: Int]
    /// Folded district names' words → district index, keyed by the first word, longest first.
    private let districtsByFirstWord: [String: [(words: [String], district: Int)]]
    /// Folded alias words → province index, keyed by the alias's first word.
    private let aliasesByFirstWord: [String: [(words: [String], province: Int)]]
    private let aliasKeys: [String: Int]

    /// `districts` is `index/districts.tsv` (name, province slug); none when empty.
    public init(tsv: String, districts districtsTSV: String = "") throws {
        var provinces: [Province] = []
        var aliases: [([String], Int)] = []
        for (number, line) in tsv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 3, !columns[0].isEmpty, !columns[1].isEmpty else {
                throw AnalysisDataError(file: "provinces.tsv", line: number + 1, problem: "expected slug, name, status")
            }
            let now = columns.count > 3 && !columns[3].isEmpty ? columns[3] : nil
            guard (columns[2] == "former") == (now != nil) else {
                throw AnalysisDataError(file: "provinces.tsv", line: number + 1,
                                        problem: "a former unit names the unit it belongs to now, a current one does not")
            }
            let index = provinces.count
            provinces.append(Province(slug: columns[0], name: TextNormalization.normalize(columns[1]), now: now))
            var names = [columns[1], columns[0].replacingOccurrences(of: "-", with: " ")]
            if columns.count > 4 { names += columns[4].split(separator: "|").map(String.init) }
            for name in names {
                let words = Words.split(name).map(\.key)
                if !words.isEmpty { aliases.append((words, index)) }
            }
        }
        self.provinces = provinces
        bySlug = Dictionary(provinces.enumerated().map { ($1.slug, $0) }, uniquingKeysWith: { first, _ in first })
        for province in provinces {
            if let now = province.now, bySlug[now] == nil {
                throw AnalysisDataError(file: "provinces.tsv", line: 0, problem: "\(province.slug) belongs to unknown \(now)")
            }
        }
        var byFirst: [String: [(words: [String], province: Int)]] = [:]
        var keys: [String: Int] = [:]
        for (words, province) in aliases {
            byFirst[words[0], default: []].append((words, province))
            keys[words.joined(separator: " ")] = province
            keys[words.joined()] = province
        }
        // Longest aliases first, so "Thua Thien Hue" wins over "Hue".
        aliasesByFirstWord = byFirst.mapValues { $0.sorted { $0.words.count > $1.words.count } }
        aliasKeys = keys

        var districts: [District] = []
        var districtsByFirst: [String: [(words: [String], district: Int)]] = [:]
        for (number, line) in districtsTSV.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 2, !columns[0].isEmpty, bySlug[columns[1]] != nil else {
                throw AnalysisDataError(file: "districts.tsv", line: number + 1, problem: "expected a name and a province slug")
            }
            let words = Words.split(columns[0]).map(\.key)
            guard !words.isEmpty else { continue }
            districtsByFirst[words[0], default: []].append((words, districts.count))
            districts.append(District(name: TextNormalization.normalize(columns[0]), province: columns[1]))
        }
        self.districts = districts
        districtsByFirstWord = districtsByFirst.mapValues { $0.sorted { $0.words.count > $1.words.count } }
    }

    /// How many words, from `position`, name a district (the longest such name), or nil.
    /// Case is not asked: the caller has already decided the words are capitalised.
    public func districtLength(in words: [Word], at position: Int) -> Int? {
        guard position >= 0, position < words.count, let candidates = districtsByFirstWord[words[position].key] else { return nil }
        for candidate in candidates where position + candidate.words.count <= words.count {
            if zip(words[position..<(position + candidate.words.count)], candidate.words).allSatisfy({ $0.key == $1 }) {
                return candidate.words.count
            }
        }
        return nil
    }

    public func province(slug: String) -> Province? { bySlug[slug].map { provinces[$0] } }

    /// The province a name means ("hai duong", "Hải Dương", "hai-duong", "Haiduong").
    public func province(named name: String) -> Province? {
        let words = Words.split(name).map(\.key)
        guard !words.isEmpty else { return nil }
        if let index = aliasKeys[words.joined(separator: " ")] ?? aliasKeys[words.joined()] { return provinces[index] }
        return nil
    }

    /// Every place name in words, in order, the longest alias at each place ("Thua
    /// Thien Hue" rather than "Hue"). In running text (`capitalised`) each word of a
    /// name must be capitalised and no punctuation may split it; people type queries
    /// in any case, so a query's words are matched with `capitalised: false`.
    public func mentions(in words: [Word], capitalised: Bool = true)
        -> [(start: Int, count: Int, province: Province)] {
        var found: [(start: Int, count: Int, province: Province)] = []
        var position = 0
        while position < words.count {
            var matched = 0
            if !capitalised || words[position].isCapitalized, let candidates = aliasesByFirstWord[words[position].key] {
                for candidate in candidates where position + candidate.words.count <= words.count {
                    let span = words[position..<(position + candidate.words.count)]
                    let same = zip(span, candidate.words).allSatisfy { $0.key == $1 && (!capitalised || $0.isCapitalized) }
                    let joinedWithoutPunctuation = span.dropFirst().allSatisfy {
                        !$0.followsPunctuation || $0.text.first?.isUppercase == true
                    }
                    if same && joinedWithoutPunctuation {
                        found.append((position, candidate.words.count, provinces[candidate.province]))
                        matched = candidate.words.count
                        break
                    }
                }
            }
            position += max(matched, 1)
        }
        return found
    }
}

/// A problem in one of the data files under `index/`.
public struct AnalysisDataError: Error, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let problem: String
    public var description: String { "\(file):\(line): \(problem)" }
}
