import ACSearchAPI

/// The matches over time as SVG bars, each a link that keeps its month's or year's
/// dates: a chart that works without a script. Months when the matches span three
/// years or less, else years; the periods between with no match are bars of zero.
struct WebTimeline {
    struct Bar {
        let label: String
        let from: String
        let to: String
        let count: Int
    }

    let bars: [Bar]
    let state: WebState

    static let slot = 10, barWidth = 8, plotHeight = 60

    init?(response: SearchResponse, state: WebState) {
        self.state = state
        let years = (response.facets["year"] ?? []).compactMap { value in Int(value.value).map { ($0, value.count) } }
        guard let first = years.map(\.0).min(), let last = years.map(\.0).max() else { return nil }
        let months = (response.facets["month"] ?? []).compactMap { value -> (Int, Int)? in
            // Stored as YYYYMM.
            guard value.value.count == 6, let month = Int(value.value) else { return nil }
            return (month / 100 * 12 + month % 100 - 1, value.count)
        }
        if last - first < 3, let start = months.map(\.0).min(), let end = months.map(\.0).max() {
            let counts = Dictionary(months, uniquingKeysWith: +)
            bars = (start...end).map { index in
                let text = String(index / 12) + "-" + (index % 12 + 1 < 10 ? "0" : "") + String(index % 12 + 1)
                return Bar(label: text, from: text, to: text, count: counts[index] ?? 0)
            }
        } else {
            let counts = Dictionary(years, uniquingKeysWith: +)
            bars = (first...last).map { Bar(label: String($0), from: String($0), to: String($0), count: counts[$0] ?? 0) }
        }
    }

    var context: [String: Any] {
        let most = max(1, bars.map(\.count).max() ?? 1)
        let items = bars.enumerated().map { index, bar -> [String: Any] in
            let height = bar.count == 0 ? 0 : max(2, bar.count * WebTimeline.plotHeight / most)
            return ["label": bar.label, "count": bar.count, "from": bar.from, "to": bar.to,
                    "href": state.with(["from": bar.from, "to": bar.to]).href,
                    "selected": state.values["from"] == bar.from && state.values["to"] == bar.to,
                    "x": index * WebTimeline.slot + (WebTimeline.slot - WebTimeline.barWidth) / 2,
                    "y": WebTimeline.plotHeight - height, "w": WebTimeline.barWidth, "h": height,
                    "slot": WebTimeline.slot, "slotX": index * WebTimeline.slot, "plot": WebTimeline.plotHeight]
        }
        return ["bars": items, "width": max(1, bars.count) * WebTimeline.slot, "height": WebTimeline.plotHeight,
                "firstLabel": bars.first?.label ?? "", "lastLabel": bars.last?.label ?? ""]
    }
}
