import Foundation

/// A sum of money a document names, in Vietnamese đồng.
public struct MoneyAmount: Sendable, Hashable, Codable {
    /// The sum in đồng (whole đồng: fractions of a đồng are dropped).
    public let vnd: Int
    /// As written ("2,1 tỷ đồng", "VND 3.2 trillion").
    public let written: String

    public init(vnd: Int, written: String) {
        self.vnd = vnd
        self.written = written
    }
}

/// Finds sums of money in đồng, written the ways Vietnamese and English texts write
/// them: "126 tỷ đồng", "2,1 tỷ đồng" (a decimal comma), "1.234.567.890 đồng" (dots
/// between thousands), "1 tỷ 200 triệu đồng", "500.000đ", "48 billion VND",
/// "VND 3.2 trillion", "VND48bn".
///
/// Only đồng: a sum in dollars ("$1.5 million", "USD 2 million") is left out, not
/// converted, since any rate would be one day's and a reader comparing sums must be
/// able to trust that they were written in đồng. A number counts only with its
/// currency beside it: "Điều 126", "năm 2022" and "12-CT/TU" are not money, nor is
/// "126 tỷ" alone (it may be people, "2 tỷ người").
public enum AmountExtractor {
    /// A number as either language writes it: digits in groups of three between
    /// dots or commas, then perhaps a decimal part ("1.234.567,5", "1,234.5"), or
    /// digits with perhaps a decimal part ("2,1", "3.2"). ASCII digits only: they
    /// are what is added up.
    static let number = #"[0-9]{1,3}(?:[.,][0-9]{3})+(?:[.,][0-9]+)?|[0-9]+(?:[.,][0-9]+)?"#
    /// Units, longest first so that "nghìn tỷ" is not read as "nghìn"; also without
    /// marks, as text typed without them writes them.
    static let units: [(words: [String], multiplier: Int)] = [
        (["nghìn tỷ", "ngàn tỷ", "nghìn tỉ", "ngàn tỉ", "nghin ty", "ngan ty"], 1_000_000_000_000),
        (["trillion"], 1_000_000_000_000),
        (["tỷ", "tỉ", "ty", "billion", "bn"], 1_000_000_000),
        (["triệu", "trieu", "million"], 1_000_000),
        (["nghìn", "ngàn", "nghin", "ngan", "thousand"], 1_000),
    ]
    static let unit = "(?:" + units.flatMap(\.words).sorted { $0.count > $1.count }.joined(separator: "|") + #")(?!\p{L})"#
    /// The currency after a number: "đồng", "dong", "Vietnamese dong", "VND", "VNĐ", "đ".
    static let currencyAfter = #"(?:vietnamese\s+dong|đồng|dong|vn[dđ]|đ)(?!\p{L})"#

    /// Not after a letter, a digit, a separator or a slash: "12-CT/TU", "126/2020/NĐ-CP".
    static let start = #"(?<![\p{L}\p{N}.,/\-])"#
    /// "126 tỷ đồng", "1 tỷ 200 triệu đồng", "1.234.567.890 đồng", "48 billion VND".
    static let currencyLast = try! NSRegularExpression(
        pattern: start + "(?:(?:" + number + #")\s*"# + unit + #"(?:\s+(?:"# + number + #")\s*"# + unit + ")*|(?:"
            + number + #"))\s*"# + currencyAfter,
        options: [.caseInsensitive])
    /// "VND 3.2 trillion", "VND48bn", "VND 1,234,567,890".
    static let currencyFirst = try! NSRegularExpression(
        pattern: #"(?<!\p{L})vn[dđ]\s*("# + number + #")(?:\s*("# + unit + "))?" + #"(?![\p{L}\p{N}])"#,
        options: [.caseInsensitive])
    /// One number and its unit, inside a match.
    static let part = try! NSRegularExpression(pattern: "(" + number + #")(?:\s*("# + unit + "))?",
                                               options: [.caseInsensitive])

    /// Words after "đồng" that make it another word: "đồng chí" (comrade), "đồng
    /// thời" (at once), "triệu đồng bào" (million compatriots)...
    static let notCurrencyAfterDong: Set<String> = [
        "chí", "thời", "ý", "bộ", "bào", "nghiệp", "tình", "loạt", "hồ", "phạm", "sở", "thuận", "minh", "đội", "hành",
        "đều", "nhất", "dạng", "lòng", "ruộng", "bằng", "phục", "viên", "tâm", "âm", "cảm", "hương", "niên", "ca",
        "khởi", "quê", "cỏ", "lúa", "bạc", "xu", "tiền", "cấp", "chủ", "đẳng",
    ]
    /// The same after "dong" written without marks, where they cannot be told from
    /// other words: only those that are nothing else.
    static let notCurrencyAfterPlainDong: Set<String> = [
        "chi", "thoi", "bao", "nghiep", "loat", "pham", "thuan", "doi", "hanh", "deu", "nhat", "vien",
    ]

    /// Below this a sum is not what anyone inspects, and a stray "3 đồng" is more
    /// likely a misreading than money.
    static let smallest = 1_000
    /// Above this (a million tỷ, far beyond any budget) a number is a misreading.
    static let largest = 1_000_000_000_000_000_000

    /// Every sum in đồng in the text, in order of appearance, each value once (as
    /// first written).
    public static func find(in text: String) -> [MoneyAmount] {
        // Cheap refusal: no currency word, no amount (most press and regulations).
        let lowered = text.lowercased()
        guard lowered.contains("đ") || lowered.contains("dong") || lowered.contains("vnd") else { return [] }
        let string = text as NSString
        let range = NSRange(location: 0, length: string.length)
        var found: [(offset: Int, amount: MoneyAmount)] = []
        var taken: [NSRange] = []
        for match in currencyLast.matches(in: text, range: range) {
            let written = string.substring(with: match.range)
            guard currencyIsMoney(written, followedBy: string, at: match.range.upperBound),
                  let vnd = value(of: written) else { continue }
            found.append((match.range.location, MoneyAmount(vnd: vnd, written: written)))
            taken.append(match.range)
        }
        for match in currencyFirst.matches(in: text, range: range)
        where !taken.contains(where: { NSIntersectionRange($0, match.range).length > 0 }) {
            let written = string.substring(with: match.range)
            guard let vnd = value(of: written) else { continue }
            found.append((match.range.location, MoneyAmount(vnd: vnd, written: written)))
        }
        var amounts: [MoneyAmount] = []
        for (_, amount) in found.sorted(by: { $0.offset < $1.offset })
        where !amounts.contains(where: { $0.vnd == amount.vnd }) {
            amounts.append(amount)
        }
        return amounts
    }

    /// Whether an amount's last word is its currency, not the start of another word:
    /// "đồng" capitalised is a place (Đồng Nai, Đồng Tháp), "đồng chí" a comrade.
    private static func currencyIsMoney(_ written: String, followedBy text: NSString, at end: Int) -> Bool {
        let lastWord = written.split(whereSeparator: { $0.isWhitespace || $0.isNumber }).last.map(String.init) ?? ""
        let isDong = lastWord.lowercased() == "đồng" || lastWord.hasSuffix("đồng")
        let isPlainDong = lastWord.lowercased() == "dong"
        guard isDong || isPlainDong else { return true }
        if lastWord.first?.isUppercase == true && !lastWord.allSatisfy(\.isUppercase) && isDong { return false }
        // The next word, when only spaces stand between.
        var index = end
        while index < text.length, let scalar = Unicode.Scalar(text.character(at: index)), scalar == " " { index += 1 }
        guard index > end else { return true }
        var wordEnd = index
        while wordEnd < text.length, let scalar = Unicode.Scalar(text.character(at: wordEnd)),
              scalar.properties.isAlphabetic || Folding.isCombiningMark(scalar.value) {
            wordEnd += 1
        }
        let next = text.substring(with: NSRange(location: index, length: wordEnd - index)).lowercased()
        return isDong ? !notCurrencyAfterDong.contains(next) : !notCurrencyAfterPlainDong.contains(next)
    }

    /// The sum a match writes: each number times its unit, added up ("1 tỷ 200 triệu").
    static func value(of written: String) -> Int? {
        let string = written as NSString
        var total = 0
        for match in part.matches(in: written, range: NSRange(location: 0, length: string.length)) {
            let digits = string.substring(with: match.range(at: 1))
            let unitRange = match.range(at: 2)
            var multiplier = 1
            if unitRange.location != NSNotFound {
                let word = string.substring(with: unitRange).lowercased()
                guard let unit = units.first(where: { $0.words.contains(word) }) else { return nil }
                multiplier = unit.multiplier
            }
            guard let (mantissa, scale) = decimal(digits) else { return nil }
            var divisor = 1
            for _ in 0..<scale {
                let (next, overflow) = divisor.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                divisor = next
            }
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: multiplier)
            guard !overflow else { return nil }
            let (sum, overflowed) = total.addingReportingOverflow(product / divisor)
            guard !overflowed else { return nil }
            total = sum
        }
        guard (smallest...largest).contains(total) else { return nil }
        return total
    }

    /// A number's digits as an integer and how many of them are decimals. Dots and
    /// commas: with both, the last one written is the decimal mark ("1.234,5",
    /// "1,234.5"); one mark written twice or more separates thousands ("1.234.567");
    /// written once, it separates thousands before exactly three digits ("1.234",
    /// "1,500") and is a decimal mark otherwise ("2,1", "3.2").
    static func decimal(_ text: String) -> (mantissa: Int, scale: Int)? {
        let marks = text.filter { $0 == "." || $0 == "," }
        var decimalMark: Character? = nil
        if Set(marks).count == 2 {
            decimalMark = marks.last
        } else if marks.count == 1, let mark = marks.first,
                  let after = text.split(separator: mark, omittingEmptySubsequences: false).last, after.count != 3 {
            decimalMark = mark
        }
        var digits = ""
        var scale = 0
        var inFraction = false
        for character in text {
            if character == decimalMark {
                inFraction = true
            } else if character.isASCII, character.isNumber {
                digits.append(character)
                if inFraction { scale += 1 }
            }
        }
        // Decimals beyond what can count (a đồng's fractions) are dropped.
        while scale > 0, digits.count > 18 {
            digits.removeLast()
            scale -= 1
        }
        guard let mantissa = Int(digits) else { return nil }
        return (mantissa, scale)
    }
}
