import Foundation

/// A document number such as "67-QĐ/TW", "05/2022/NĐ-CP" or "1843/KL-TTCP",
/// canonicalised so that every spelling meets: folded, upper case, no spaces, no
/// leading zeros ("67 - QĐ/TW", "67-QD/TW" → "67-QD/TW").
public struct DocumentNumber: Sendable, Hashable, Codable {
    /// The canonical form: what terms and comparisons use.
    public let canonical: String
    /// As first written in the text.
    public let written: String
    /// The type code ("QD", "CT", "NQ", "ND", "TT", "KL"...).
    public let code: String

    /// The kind of document the code names, in English, when it is clear.
    public var documentType: String? { DocumentNumber.types[code] }

    static let types = [
        "QD": "regulation or decision", "CT": "directive", "NQ": "resolution", "ND": "decree", "TT": "circular",
        "KL": "conclusion", "HD": "guidance", "TB": "notice", "QC": "regulation", "QH": "law",
    ]

    /// Canonicalises one number; nil if it is not shaped like a document number.
    public init?(_ text: String) {
        let numbers = DocumentNumber.find(in: text)
        guard numbers.count == 1 else { return nil }
        self = numbers[0].number
    }

    init(canonical: String, written: String, code: String) {
        self.canonical = canonical
        self.written = written
        self.code = code
    }

    /// Type codes of Vietnamese party and state documents. Numbers are matched in
    /// any case ("67-qđ/TW") only with one of these codes.
    static let codes = "QD|CT|NQ|ND|TT|KL|HD|TB|QC|BC|KH|CV|TTR|TTLT|NQLT|QDLT|TTG|L"

    // Party form "67-QĐ/TW"; state forms "05/2022/NĐ-CP", "1843/KL-TTCP"; laws "36/2018/QH14".
    private static let party = try! NSRegularExpression(
        pattern: #"(?<![\p{L}\p{N}/-])(\d{1,5})\s{0,2}-\s{0,2}("# + codes + #")\s{0,2}/\s{0,2}([A-Z]{1,10}\d{0,2})(?![\p{L}\p{N}])"#,
        options: [.caseInsensitive])
    private static let state = try! NSRegularExpression(
        pattern: #"(?<![\p{L}\p{N}/-])(\d{1,5})\s{0,2}/\s{0,2}(?:(\d{4})\s{0,2}/\s{0,2})?("# + codes + #")\s{0,2}-\s{0,2}([A-Z]{1,10}(?:-[A-Z]{1,10})?)(?![\p{L}\p{N}])"#,
        options: [.caseInsensitive])
    private static let law = try! NSRegularExpression(
        pattern: #"(?<![\p{L}\p{N}/-])(\d{1,5})\s{0,2}/\s{0,2}(\d{4})\s{0,2}/\s{0,2}(QH\d{1,2})(?![\p{L}\p{N}])"#)

    /// Every document number in text, with its position (UTF-16 offset), in order.
    public static func find(in text: String) -> [(number: DocumentNumber, offset: Int)] {
        let folded = Folding.fold(text)
        let foldedString = folded as NSString
        let original = text as NSString
        let sameShape = foldedString.length == original.length
        var found: [(DocumentNumber, Int)] = []
        let range = NSRange(location: 0, length: foldedString.length)
        func group(_ match: NSTextCheckingResult, _ index: Int) -> String? {
            let range = match.range(at: index)
            return range.location == NSNotFound ? nil : foldedString.substring(with: range).uppercased()
        }
        func written(_ match: NSTextCheckingResult) -> String {
            (sameShape ? original : foldedString).substring(with: match.range)
        }
        func number(_ digits: String) -> String {
            let trimmed = digits.drop { $0 == "0" }
            return trimmed.isEmpty ? "0" : String(trimmed)
        }
        for match in party.matches(in: folded, range: range) {
            guard let digits = group(match, 1), let code = group(match, 2), let body = group(match, 3) else { continue }
            found.append((DocumentNumber(canonical: "\(number(digits))-\(code)/\(body)", written: written(match), code: code),
                          match.range.location))
        }
        for match in state.matches(in: folded, range: range) {
            guard let digits = group(match, 1), let code = group(match, 3), let body = group(match, 4) else { continue }
            let year = group(match, 2).map { "/\($0)" } ?? ""
            found.append((DocumentNumber(canonical: "\(number(digits))\(year)/\(code)-\(body)", written: written(match),
                                         code: code), match.range.location))
        }
        for match in law.matches(in: folded, range: range) {
            guard let digits = group(match, 1), let year = group(match, 2), let body = group(match, 3) else { continue }
            found.append((DocumentNumber(canonical: "\(number(digits))/\(year)/\(body)", written: written(match),
                                         code: "QH"), match.range.location))
        }
        return found.sorted { $0.1 < $1.1 }
    }
}
