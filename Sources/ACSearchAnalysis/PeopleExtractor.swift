import Foundation

/// A person named in a document, with the position the text gives them.
public struct Person: Sendable, Hashable, Codable {
    public let name: String
    public let position: String?
    /// Folded, lowercased: "tran duc thang" finds "Trần Đức Thắng".
    public var key: String { Folding.foldKey(name) }

    public init(name: String, position: String?) {
        self.name = name
        self.position = position
    }
}

/// Finds Vietnamese personal names (a family name followed by one to three
/// capitalised syllables) and the position written next to them.
///
/// Administrative Vietnamese is full of capitalised syllables that fold to names:
/// "Trưởng Ban Chỉ đạo" folds to "truong ban chi dao" (Trương is a family name),
/// districts begin with family names ("Thái Thụy", "Vũ Thư", "Hoàng Mai") and headings
/// are in capitals ("TỈNH ỦY THÁI BÌNH" over "Số 12-CT/TU"). So a word written with
/// diacritics is read as written (Trưởng is not Trương), words of administration end
/// a name, a name never crosses a line, a heading in capitals is no name, and places
/// (provinces, the gazetteer's districts, a name after "huyện") are not people.
/// Measured over index/eval/people.jsonl (PeopleEvaluationTests, docs/relevance.md).
public enum PeopleExtractor {
    /// Family names, folded: how a name typed without diacritics is recognised.
    static let familyNames: Set<String> = [
        "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo",
        "duong", "ly", "to", "truong", "dinh", "luong", "mai", "dao", "cao", "ha", "lam", "chu", "ta", "thai",
        "vuong", "kieu", "trieu", "lai", "quach", "doan", "trinh", "luu", "tong", "khuat", "nong", "lo", "mac",
        "hua", "ton", "thach", "giap", "nghiem", "tang", "quan", "van", "au", "ninh",
    ]
    /// The same family names as written, lowercased (both tone placements where they
    /// differ): a word with diacritics is a family name only as one of these, so that
    /// "Trưởng" (head), "Trường" (school), "Đảng" (the Party) and "Tổ" (team) are not.
    static let writtenFamilyNames: Set<String> = [
        "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ", "ngô",
        "dương", "lý", "lí", "tô", "trương", "đinh", "lương", "mai", "đào", "cao", "hà", "lâm", "chu", "tạ", "thái",
        "vương", "kiều", "triệu", "lại", "quách", "đoàn", "trịnh", "lưu", "tống", "khuất", "nông", "lò", "mạc",
        "hứa", "tôn", "thạch", "giáp", "nghiêm", "tăng", "quan", "văn", "âu", "ninh", "doãn",
    ]
    /// Words of administrative Vietnamese that are never given names, as written,
    /// lowercased: one ends a name ("Đoàn Kiểm tra" is an inspection team, "Văn phòng"
    /// an office). Syllables that are also given names ("Thành", "Chính", "Công",
    /// "Quốc", "Thư", "Trường") are deliberately absent.
    static let administrativeWords: Set<String> = [
        "ban", "chỉ", "ủy", "uỷ", "sở", "số", "vụ", "cục", "phòng", "kiểm", "tra", "trực", "trưởng", "phó", "tỉnh",
        "huyện", "xã", "quận", "phường", "phố", "phủ", "ương", "bộ", "chủ", "tịch", "bí", "tổng", "cộng", "mặt",
        "trận", "viện", "sát", "tòa", "toà", "án", "khu", "vực", "điều", "cơ", "nhà", "nước", "đảng", "hội", "đồng",
    ]
    /// The same for words typed without diacritics, folded: only those that fold from
    /// no given name ("ban", "uy", "tinh"; not "chi", which is Chi, nor "cong", Công).
    static let foldedAdministrativeWords: Set<String> = [
        "ban", "uy", "so", "tinh", "huyen", "xa", "phuong", "tich", "ubnd", "hdnd", "tw", "kiem", "tra",
    ]
    /// Second words that make a capitalised phrase typed without diacritics an
    /// institution, not a person ("Dang Cong San").
    static let notGivenNames: Set<String> = ["cong", "bo", "uy", "nha", "nuoc", "tw"]
    /// Words before a name that make it a place below a province ("huyện Thái Thụy",
    /// "thành phố Thái Bình", "TP Hồ Chí Minh"), folded. Not "tỉnh": "Chủ tịch UBND
    /// tỉnh Nguyễn Văn A" is a person, and provinces are all in the gazetteer.
    static let placeWordsBefore: Set<String> = ["huyen", "quan", "xa", "phuong", "pho", "tp", "tx"]
    /// Bodies that put a person after a place word: "Chủ tịch UBND huyện Trần Văn B".
    static let bodiesBeforePlaceWords: Set<String> = ["ubnd", "hdnd", "uy", "ban", "tich", "thu", "an", "dan"]
    /// Words after a name that make it a place: "Thai Thuy district", "Ha Long City".
    static let placeWordsAfter: Set<String> = [
        "district", "districts", "province", "provinces", "provincial", "city", "commune", "town", "ward",
        "municipality", "municipal",
    ]
    static let titleWords: [[String]] = [
        ["general", "secretary"], ["tong", "bi", "thu"], ["prime", "minister"], ["thu", "tuong"], ["president"],
        ["chu", "tich", "nuoc"], ["chu", "tich"], ["chairman"], ["minister"], ["bo", "truong"], ["comrade"],
        ["dong", "chi"], ["secretary"], ["bi", "thu"], ["deputy", "prime", "minister"], ["pho", "thu", "tuong"],
        ["mr"], ["mrs"], ["ms"], ["ong"], ["ba"], ["inspector", "general"], ["tong", "thanh", "tra"],
    ]
    static let positionStarts: Set<String> = [
        "member", "members", "secretary", "head", "deputy", "chairman", "chairwoman", "chair", "minister",
        "director", "chief", "vice", "permanent", "standing", "general", "president", "prime", "inspector",
        "uy", "bi", "truong", "pho", "chu", "bo", "giam", "chanh", "tong", "former", "nguyen",
    ]

    public static func find(in text: String, words: [Word], gazetteer: Gazetteer) -> [Person] {
        var people: [Person] = []
        var seen: [String: Int] = [:]
        var index = 0
        while index < words.count {
            guard isFamilyName(words[index]) else { index += 1; continue }
            // A place that begins with a family name: a province ("Thái Bình"), a district.
            if let length = placeLength(words, at: index, gazetteer: gazetteer, text: text) {
                index += length
                continue
            }
            var end = index + 1
            while end < words.count, end - index < 4, canContinueName(words, at: end, in: text) {
                end += 1
                if words[end - 1].text.count == 1 { break }  // "Nguyễn Văn A": the letter ends it
            }
            let length = end - index
            guard length >= 2 else { index += 1; continue }
            let span = Array(words[index..<end])
            if isASCII(span[1].text) && notGivenNames.contains(span[1].key) || isHeading(span)
                || isPlace(words, start: index, end: end, gazetteer: gazetteer) {
                index = end
                continue
            }
            let name = span.map(\.text).joined(separator: " ")
            let position = positionAfter(words: words, end: end, in: text)
                ?? titleBefore(words: words, start: index)
            let key = Folding.foldKey(name)
            if let existing = seen[key] {
                if people[existing].position == nil, let position {
                    people[existing] = Person(name: people[existing].name, position: position)
                }
            } else {
                seen[key] = people.count
                people.append(Person(name: name, position: position))
            }
            index = end
        }
        return people
    }

    /// A capitalised family name: as written when it carries diacritics, folded when not.
    static func isFamilyName(_ word: Word) -> Bool {
        guard word.isCapitalized else { return false }
        return isASCII(word.text) ? familyNames.contains(word.key) : writtenFamilyNames.contains(word.text.lowercased())
    }

    /// Whether the word at `position` can be the next syllable of a name: capitalised,
    /// on the same line with nothing but spaces before it, syllable-shaped (or a single
    /// letter standing for a name), and not a word of administration.
    static func canContinueName(_ words: [Word], at position: Int, in text: String) -> Bool {
        let word = words[position]
        guard position > 0, word.isCapitalized, !word.followsPunctuation, word.text.count <= 7 else { return false }
        if text.unicodeScalars[words[position - 1].range.upperBound..<word.range.lowerBound].contains("\n") { return false }
        let isLetter = word.text.count == 1 && word.key.count == 1
        guard isLetter || VietnameseSyllable.matches(word.key) else { return false }
        if isASCII(word.text) { return !foldedAdministrativeWords.contains(word.key) }
        return !administrativeWords.contains(word.text.lowercased())
    }

    /// A heading in capitals ("TỈNH ỦY THÁI BÌNH", "ĐOÀN THANH TRA"): every word of the
    /// span upper case and at least one longer than a letter.
    static func isHeading(_ span: [Word]) -> Bool {
        span.allSatisfy { $0.text == $0.text.uppercased() } && span.contains { $0.text.count > 1 }
    }

    /// The length of a province or district name that begins at `position`, if one does.
    static func placeLength(_ words: [Word], at position: Int, gazetteer: Gazetteer, text: String) -> Int? {
        // A district's name followed by a further syllable of a name is a person's
        // ("Hoàng Mai Anh", "Hà Trung Kiên"): districts are many and close to names.
        if let length = gazetteer.districtLength(in: words, at: position),
           position + length >= words.count || !canContinueName(words, at: position + length, in: text) {
            return length
        }
        for length in stride(from: min(4, words.count - position), through: 2, by: -1) {
            let span = words[position..<(position + length)]
            guard !span.dropFirst().contains(where: { $0.followsPunctuation || !$0.isCapitalized }) else { continue }
            if gazetteer.province(named: span.map(\.text).joined(separator: " ")) != nil { return length }
        }
        return nil
    }

    /// Whether the name between `start` and `end` is a place by the words around it:
    /// a province with the next word ("Ho Chi Minh City"), a unit word before it
    /// ("huyện Thái Thụy"; not "UBND huyện Trần Văn B") or after it ("Thai Thuy district").
    static func isPlace(_ words: [Word], start: Int, end: Int, gazetteer: Gazetteer) -> Bool {
        if end < words.count {
            let withNext = words[start...end].map(\.text).joined(separator: " ")
            if gazetteer.province(named: withNext) != nil { return true }
            if !words[end].followsPunctuation, placeWordsAfter.contains(words[end].key) { return true }
        }
        if start > 0, !words[start].followsPunctuation, placeWordsBefore.contains(words[start - 1].key) {
            let body = start > 1 && !words[start - 1].followsPunctuation && bodiesBeforePlaceWords.contains(words[start - 2].key)
            if !body { return true }
        }
        return false
    }

    static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

    /// "Tran Duc Thang, member of the Party Central Committee, Secretary of ..." →
    /// the clause after the comma, up to a semicolon, full stop or closing bracket.
    static func positionAfter(words: [Word], end: Int, in text: String) -> String? {
        guard end < words.count, words[end].followsPunctuation, positionStarts.contains(words[end].key) else { return nil }
        let start = words[end].range.lowerBound
        let between = text[words[end - 1].range.upperBound..<start]
        guard between.contains(","), !between.contains("."), !between.contains(";") else { return nil }
        var stop = start
        var taken = 0
        while stop < text.endIndex, taken < 160, !";.\n()".contains(text[stop]) {
            stop = text.index(after: stop)
            taken += 1
        }
        var clause = String(text[start..<stop]).trimmingCharacters(in: .whitespaces)
        // A trailing " attended" / " chaired" belongs to the sentence, not the position.
        for verb in [" attended", " chaired", " said", " and delegates", " phát biểu", " chủ trì", " dự"] {
            if let range = clause.range(of: verb) { clause = String(clause[..<range.lowerBound]) }
        }
        clause = clause.trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
        return clause.isEmpty ? nil : clause
    }

    /// "General Secretary Nguyen Phu Trong" → "General Secretary".
    static func titleBefore(words: [Word], start: Int) -> String? {
        for title in titleWords.sorted(by: { $0.count > $1.count }) where start >= title.count {
            let span = words[(start - title.count)..<start]
            if zip(span, title).allSatisfy({ $0.key == $1 }), !span.dropFirst().contains(where: \.followsPunctuation) {
                if title == ["comrade"] || title == ["dong", "chi"] || title.count == 1 && ["mr", "mrs", "ms", "ong", "ba"].contains(title[0]) {
                    return nil
                }
                return span.map(\.text).joined(separator: " ")
            }
        }
        return nil
    }
}
