import Foundation

/// What a document is: the three kinds acsearch knows.
public enum DocumentKind: String, Sendable, Codable, CaseIterable {
    /// Directives, regulations, decisions, decrees, resolutions: what was decided.
    case regulation
    /// Inspection conclusions: what an inspectorate found and recommended.
    case conclusion
    /// Press items: what was reported.
    case press

    /// Reads a kind as people write it, in either language ("directive", "Quy định",
    /// "kết luận thanh tra", "news"...).
    public init?(name: String) {
        let key = Folding.foldKey(name).trimmingCharacters(in: .whitespaces)
        if let kind = DocumentKind.aliases[key] { self = kind; return }
        return nil
    }

    public var label: String {
        switch self {
        case .regulation: return "directive/regulation"
        case .conclusion: return "inspection conclusion"
        case .press: return "press item"
        }
    }

    static let aliases: [String: DocumentKind] = {
        var table: [String: DocumentKind] = [:]
        for word in ["regulation", "regulations", "directive", "directives", "decision", "decree", "resolution",
                     "circular", "law", "quy dinh", "chi thi", "quyet dinh", "nghi dinh", "nghi quyet", "thong tu",
                     "luat", "van ban"] { table[word] = .regulation }
        for word in ["conclusion", "conclusions", "inspection conclusion", "inspection", "ket luan",
                     "ket luan thanh tra", "thanh tra"] { table[word] = .conclusion }
        for word in ["press", "press item", "news", "article", "report", "bao", "bao chi", "tin", "tin tuc"] {
            table[word] = .press
        }
        return table
    }()
}

/// Decides a document's kind from its structure and wording, in either language.
public enum KindClassifier {
    static let regulationHeadings = ["quy dinh", "chi thi", "quyet dinh", "nghi dinh", "nghi quyet", "thong tu", "luat",
                                     "regulation", "directive", "decision", "decree", "resolution", "circular"]
    static let conclusionPhrases = ["ket luan thanh tra", "inspection conclusion", "conclusion of the inspection",
                                    "thanh tra chinh phu ket luan", "concluded that", "ket luan", "kien nghi",
                                    "recommendations", "violations", "sai pham", "vi pham", "ty dong", "billion vnd",
                                    "billion dong"]
    static let articlePhrases = ["dieu 1", "article 1", "chuong i", "chapter i", "hieu luc thi hanh", "takes effect",
                                 "effect from", "co hieu luc"]
    static let pressPhrases = ["(vna)", "vna", "ttxvn", "reported", "told the press", "conference", "hoi nghi",
                               "phong vien", "bao cao", "according to", "theo "]

    /// An outlet's dateline: its name in brackets, then a dash ("Hanoi (VNA) –",
    /// "(TTXVN) -", "(Chinhphu.vn) –"), in folded text.
    static let dateline = try! NSRegularExpression(
        pattern: #"\((?:vna|ttxvn|vietnamplus|vov|vtv|[a-z0-9-]+(?:\.com)?\.vn)\)\s*[-–—:]"#)

    /// Whether a text opens with an outlet's dateline: what only news does. A
    /// report of an inspection conclusion ("The Government Inspectorate has issued
    /// Conclusion No. 1234/KL-TTCP...") has every word a conclusion has, and its
    /// number in the first lines; the dateline says who wrote it.
    static func hasDateline(_ folded: String) -> Bool {
        let head = String(folded.prefix(300))
        return dateline.firstMatch(in: head, range: NSRange(location: 0, length: (head as NSString).length)) != nil
    }

    /// A sentence that reports someone issuing or publishing a document ("has issued
    /// Conclusion No.", "vừa ban hành Kết luận", "công bố kết luận thanh tra"), in folded
    /// text: what a news item without a dateline says of the conclusion it reports.
    /// Vietnamese only for conclusions: a conclusion opens with "Tổng Thanh tra đã ban
    /// hành Quyết định số…" (the decision to inspect), never so of another conclusion.
    static let reportOfIssuing = try! NSRegularExpression(pattern:
        #"\b(?:(?:has|have|had|just|recently)\s+)?(?:issued|announced|released|published|made\s+public|unveiled)\s+"#
        + #"(?:(?:an?|the|its|their)\s+)?(?:inspection\s+)?(?:conclusion|decision|directive|regulation|decree|resolution)"#
        + #"|\b(?:vua|moi)\s+(?:ban\s+hanh|cong\s+bo|cong\s+khai)\s+(?:thong\s+bao\s+)?ket\s+luan"#
        + #"|\bcong\s+bo\s+(?:cong\s+khai\s+)?ket\s+luan"#)

    /// A document's own number header on a line of its own: "Số: 1843/KL-TTCP", "No.: 12".
    static let numberHeader = try! NSRegularExpression(pattern: #"(?m)^\s*(?:so|no\.?)\s*:?\s*\d"#)

    /// Whether the opening reports a document being issued, in a text that is not itself
    /// one: its title is no document's heading ("Kết luận thanh tra…", "Quy định…") and
    /// its first lines carry no number header.
    static func reportsIssuing(title titleKey: String, head: String) -> Bool {
        if titleKey.hasPrefix("ket luan") || regulationHeadings.contains(where: { titleKey.hasPrefix($0) }) { return false }
        let range = NSRange(location: 0, length: (head as NSString).length)
        if numberHeader.firstMatch(in: head, range: range) != nil { return false }
        return reportOfIssuing.firstMatch(in: head, range: range) != nil
    }

    public static func classify(title: String, body: String, number: DocumentNumber?) -> DocumentKind {
        let head = Folding.foldKey(title + "\n" + String(body.prefix(600)))
        if hasDateline(Folding.foldKey(String(body.prefix(300)))) { return .press }
        let titleKey = Folding.foldKey(title).trimmingCharacters(in: .whitespaces)
        if reportsIssuing(title: titleKey, head: head) { return .press }
        let all = Folding.foldKey(String(body.prefix(8_000)))
        var regulation = 0
        var conclusion = 0
        var press = 1  // news is what most untyped text is
        if regulationHeadings.contains(where: { titleKey.hasPrefix($0) }) { regulation += 3 }
        if titleKey.hasPrefix("ket luan") || titleKey.contains("inspection conclusion") { conclusion += 4 }
        if let number {
            if number.code == "KL" { conclusion += 3 } else { regulation += 2 }
        }
        for phrase in articlePhrases where all.contains(phrase) { regulation += 2 }
        for phrase in conclusionPhrases where head.contains(phrase) { conclusion += 2 }
        for phrase in conclusionPhrases where all.contains(phrase) { conclusion += 1 }
        for phrase in pressPhrases where all.contains(phrase) { press += 1 }
        if conclusion >= 5 && conclusion >= regulation { return .conclusion }
        if regulation >= 4 && regulation > press { return .regulation }
        return .press
    }
}
