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
public enum PeopleExtractor {
    static let familyNames: Set<String> = [
        "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo",
        "duong", "ly", "to", "truong", "dinh", "luong", "mai", "dao", "cao", "ha", "lam", "chu", "ta", "thai",
        "vuong", "kieu", "trieu", "lai", "quach", "doan", "trinh", "luu", "tong", "khuat", "nong", "lo", "mac",
        "hua", "ton", "thach", "giap", "nghiem", "tang", "quan", "van", "au", "ninh",
    ]
    /// Second words that make a capitalised phrase an institution, not a person
    /// ("Đảng Cộng sản" folds to "Dang Cong San").
    static let notGivenNames: Set<String> = ["cong", "bo", "uy", "nha", "nuoc", "tw"]
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
            guard words[index].isCapitalized, familyNames.contains(words[index].key) else { index += 1; continue }
            var end = index + 1
            while end < words.count, end - index < 4, words[end].isCapitalized, !words[end].followsPunctuation,
                  VietnameseSyllable.matches(words[end].key), words[end].text.count <= 7 {
                end += 1
            }
            let length = end - index
            guard length >= 2, !notGivenNames.contains(words[index + 1].key) else { index += 1; continue }
            let span = Array(words[index..<end])
            let name = span.map(\.text).joined(separator: " ")
            // A place ("Ha Noi", "Ho Chi Minh City") is not a person.
            let withNext = end < words.count ? name + " " + words[end].text : name
            if gazetteer.province(named: name) != nil || gazetteer.province(named: withNext) != nil {
                index = end
                continue
            }
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
