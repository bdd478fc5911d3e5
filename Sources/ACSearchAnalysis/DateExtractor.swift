import ACSearchAPI
import Foundation

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
