import ACSearchAPI
import XapianKit

/// The filter for a date range (`from`/`to`, `date:A..B`), over the database a
/// searcher currently reads.
///
/// A range of whole months is the OR of the year (`Y`) and month (`M`) terms every
/// dated document has, so Xapian walks their short lists instead of reading and
/// comparing the date value of every candidate: several times faster, with a far
/// better estimate of the count (docs/benchmark-findings.md). A range that cuts a month at either end
/// stays a value range (an OR holding a value range reads the whole slot), and so does
/// one over most of the index, where the filter removes little and merging the terms'
/// lists costs more than it saves.
final class DateFilter {
    /// Beyond this share of the documents, the range is read from the date value.
    static let maxShare = 0.6
    /// At most this many year and month terms.
    static let maxTerms = 36

    var database: Database

    init(database: Database) { self.database = database }

    func query(from: CalendarDate?, to: CalendarDate?) throws -> Query {
        let valueRange = try Query.valueRange(slot: Schema.Slot.date, from: from?.compact ?? "00000000",
                                              to: to?.compact ?? "99999999")
        // Statistics a shard cannot give now leave the value range, which matches the
        // same documents: the search itself then reports the shard.
        return (try? terms(from: from, to: to)) ?? valueRange
    }

    /// The terms' query, or nil where the value range is the better filter.
    private func terms(from: CalendarDate?, to: CalendarDate?) throws -> Query? {
        let bounds = try database.valueBounds(slot: Schema.Slot.date)
        guard let lowest = CalendarDate(compact: bounds.lower), let highest = CalendarDate(compact: bounds.upper) else {
            return nil  // no dated document
        }
        // No document is dated outside [lowest, highest], so an end beyond them can
        // move to the edge of that year without changing what matches.
        let firstDay = CalendarDate(year: lowest.year, month: 1, day: 1)!
        let lastDay = CalendarDate(year: highest.year, month: 12, day: 31)!
        let start = from.map { $0 > lowest ? $0 : firstDay } ?? firstDay
        let end = to.map { $0 < highest ? $0 : lastDay } ?? lastDay
        guard start <= end, start == start.firstOfMonth, end == end.lastOfMonth,
              let terms = DateFilter.terms(from: start, to: end) else { return nil }
        var covered = 0
        for term in terms { covered += try database.termFrequency(term) }
        guard Double(covered) <= DateFilter.maxShare * Double(try database.documentCount) else { return nil }
        return terms.count == 1 ? try Query.term(terms[0]) : try Query.combine(.or, terms.map { try Query.term($0) })
    }

    /// The year terms of the whole years in [start, end] and the month terms of the
    /// other months; nil past `maxTerms`. start is a month's first day, end a month's last.
    static func terms(from start: CalendarDate, to end: CalendarDate) -> [String]? {
        var terms: [String] = []
        var (year, month) = (start.year, start.month)
        while (year, month) <= (end.year, end.month) {
            if month == 1, (year, 12) <= (end.year, end.month) {
                terms.append(Schema.term(Schema.Prefix.year, NumberText.zeroPadded(year, width: 4)))
                year += 1
            } else {
                terms.append(Schema.term(Schema.Prefix.month, NumberText.zeroPadded(year, width: 4) + NumberText.zeroPadded(month, width: 2)))
                (year, month) = month == 12 ? (year + 1, 1) : (year, month + 1)
            }
            if terms.count > maxTerms { return nil }
        }
        return terms
    }
}
