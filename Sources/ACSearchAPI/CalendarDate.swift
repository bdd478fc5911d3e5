/// A day of the Gregorian calendar, without time or zone: what documents are dated
/// by, what `from`, `to` and `date:A..B` name, what the index stores (YYYYMMDD) and
/// what answers show (YYYY-MM-DD). Here, below both analysis and the API, so that
/// the indexer and the daemon read dates the one way.
public struct CalendarDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Years a date may have: wider than any document's, narrow enough to catch typos.
    public static let years = 1900...2100

    /// nil unless the day exists (2022-02-29 does not).
    public init?(year: Int, month: Int, day: Int) {
        guard CalendarDate.years.contains(year), (1...12).contains(month),
              (1...CalendarDate.days(inMonth: month, of: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// A day as written: 2022-06-02, 20220602, or 2/6/2022 and 2.6.2022 (day first,
    /// as Vietnamese and British readers write), spaces around it ignored.
    public init?(parsing text: String) {
        guard let (date, namesADay) = CalendarDate.read(text, asEnd: false), namesADay else { return nil }
        self = date
    }

    /// A range's end as typed: a day as `init(parsing:)` reads it, or a whole month
    /// (2022-06, 6/2022) or year (2022), read as its first day, or its last when `asEnd`.
    public static func parse(_ text: String, asEnd: Bool = false) -> CalendarDate? {
        read(text, asEnd: asEnd)?.date
    }

    /// What `parse` takes, for error messages.
    public static let accepted = "a date like 2022-06-02 or 2/6/2022 (day first), a month like 2022-06, or a year"

    private static func read(_ text: String, asEnd: Bool) -> (date: CalendarDate, namesADay: Bool)? {
        var body = Substring(text)
        while let first = body.first, first == " " || first == "\t" { body = body.dropFirst() }
        while let last = body.last, last == " " || last == "\t" { body = body.dropLast() }
        let parts = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "/" || $0 == "." })
        guard parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }) else { return nil }
        let numbers = parts.map { Int($0) ?? -1 }
        func wholeMonth(_ year: Int, _ month: Int) -> (CalendarDate, Bool)? {
            guard (1...12).contains(month), years.contains(year) else { return nil }
            return CalendarDate(year: year, month: month, day: asEnd ? days(inMonth: month, of: year) : 1).map { ($0, false) }
        }
        func day(_ year: Int, _ month: Int, _ day: Int) -> (CalendarDate, Bool)? {
            CalendarDate(year: year, month: month, day: day).map { ($0, true) }
        }
        switch (parts.count, parts[0].count) {
        case (1, 8): return day(numbers[0] / 10000, numbers[0] / 100 % 100, numbers[0] % 100)
        case (1, 4): return wholeMonth(numbers[0], asEnd ? 12 : 1)
        case (2, 4): return wholeMonth(numbers[0], numbers[1])
        case (2, _) where parts[1].count == 4: return wholeMonth(numbers[1], numbers[0])
        case (3, 4): return day(numbers[0], numbers[1], numbers[2])
        case (3, _) where parts[2].count == 4: return day(numbers[2], numbers[1], numbers[0])
        default: return nil
        }
    }

    public static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// From the index's form, YYYYMMDD.
    public init?(compact: String) {
        guard compact.utf8.count == 8, let date = CalendarDate.read(compact, asEnd: false), date.namesADay else { return nil }
        self = date.date
    }

    /// YYYYMMDD, as the index stores dates (sorts as dates do).
    public var compact: String {
        NumberText.zeroPadded(year, width: 4) + NumberText.zeroPadded(month, width: 2) + NumberText.zeroPadded(day, width: 2)
    }

    /// YYYY-MM-DD.
    public var description: String {
        NumberText.zeroPadded(year, width: 4) + "-" + NumberText.zeroPadded(month, width: 2) + "-"
            + NumberText.zeroPadded(day, width: 2)
    }

    public var firstOfMonth: CalendarDate { CalendarDate(year: year, month: month, day: 1)! }
    public var lastOfMonth: CalendarDate { CalendarDate(year: year, month: month, day: CalendarDate.days(inMonth: month, of: year))! }

    public static func < (left: CalendarDate, right: CalendarDate) -> Bool {
        (left.year, left.month, left.day) < (right.year, right.month, right.day)
    }

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
