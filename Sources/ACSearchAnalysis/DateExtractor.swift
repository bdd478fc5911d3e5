import Foundation

/// A calendar date, as the index stores it (YYYYMMDD) and shows it (YYYY-MM-DD).
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2100).contains(year), (1...12).contains(month), day >= 1,
              day <= CalendarDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// "2022-06-02", "20220602", "2/6/2022" (day/month/year, as in Vietnam).
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).compactMap { Int($0) }
        if parts.count == 3, trimmed.count >= 8 {
            if trimmed.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." }).first?.count == 4 {
                self.init(year: parts[0], month: parts[1], day: parts[2])
            } else {
                self.init(year: parts[2], month: parts[1], day: parts[0])
            }
        } else if trimmed.count == 8, let value = Int(trimmed) {
            self.init(year: value / 10000, month: value / 100 % 100, day: value % 100)
        } else {
            return nil
        }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// YYYYMMDD, the value-slot form (sorts as dates do).
    public var compact: String { CalendarDate.padded(year, 4) + CalendarDate.padded(month, 2) + CalendarDate.padded(day, 2) }
    /// YYYY-MM-DD.
    public var description: String {
        CalendarDate.padded(year, 4) + "-" + CalendarDate.padded(month, 2) + "-" + CalendarDate.padded(day, 2)
    }

    /// What `%0*d` gives (without Foundation's formatter, which the indexer felt).
    static func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(number.magnitude)
        let zeros = String(repeating: "0", count: max(0, width - digits.count - (number < 0 ? 1 : 0)))
        return (number < 0 ? "-" : "") + zeros + digits
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool { a.compact < b.compact }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Finds dates written in English ("June 2, 2022", "2 June 2022") and Vietnamese
/// ("ngày 2/6/2022", "ngày 02 tháng 6 năm 2022"), and ISO dates.
public enum DateExtractor {
    static let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                         "october", "november", "december"]
    static let monthPattern = "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?"

    static let englishMonthFirst = try! NSRegularExpression(
        pattern: "\\b\(monthPattern)\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b", options: [.caseInsensitive])
    static let englishDayFirst = try! NSRegularExpression(
        pattern: "\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?\(monthPattern)\\s*,?\\s+(\\d{4})\\b", options: [.caseInsensitive])
    static let vietnameseWords = try! NSRegularExpression(
        pattern: "\\bngay\\s+(\\d{1,2})\\s+thang\\s+(\\d{1,2})\\s+nam\\s+(\\d{4})\\b", options: [.caseInsensitive])
    static let numeric = try! NSRegularExpression(
        pattern: "(?<![\\d/.-])(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4})(?![\\d/.-])")
    static let iso = try! NSRegularExpression(pattern: "(?<![\\d-])(\\d{4})-(\\d{2})-(\\d{2})(?![\\d-])")

    /// Each pattern, and where its day, month and year are (a month may be a name).
    static let patterns: [(regex: NSRegularExpression, day: Int, month: Int, year: Int)] = [
        (englishMonthFirst, 2, 1, 3),
        (englishDayFirst, 1, 2, 3),
        (vietnameseWords, 1, 2, 3),
        // Day/month/year: the order Vietnamese and British writers use.
        (numeric, 1, 2, 3),
        (iso, 3, 2, 1),
    ]

    /// Every date in the text with its UTF-16 offset, in order of appearance.
    public static func find(in text: String) -> [(date: CalendarDate, offset: Int)] {
        let folded = Folding.fold(text)
        let string = folded as NSString
        let range = NSRange(location: 0, length: string.length)
        var found: [(CalendarDate, Int)] = []
        func number(_ match: NSTextCheckingResult, _ index: Int) -> Int? {
            let text = string.substring(with: match.range(at: index))
            if let value = Int(text) { return value }
            let name = text.lowercased().prefix(3)
            return months.firstIndex { $0.hasPrefix(name) }.map { $0 + 1 }
        }
        for pattern in patterns {
            for match in pattern.regex.matches(in: folded, range: range) {
                if let day = number(match, pattern.day), let month = number(match, pattern.month),
                   let year = number(match, pattern.year), let date = CalendarDate(year: year, month: month, day: day) {
                    found.append((date, match.range.location))
                }
            }
        }
        return found.sorted { $0.1 < $1.1 }
    }
}
