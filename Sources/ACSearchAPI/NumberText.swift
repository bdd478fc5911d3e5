/// Numbers as text without Foundation's `String(format:)`, which needs the whole of
/// Foundation (and ICU): the CLI links FoundationEssentials only, to start fast.
public enum NumberText {
    /// `value` in decimal, left-padded with zeros to `width` digits ("%0*d").
    public static func zeroPadded(_ value: Int, width: Int) -> String {
        let digits = String(value.magnitude)
        let padding = String(repeating: "0", count: max(0, width - digits.count))
        return (value < 0 ? "-" : "") + padding + digits
    }

    /// `value` right-aligned in `width` characters ("%*d").
    public static func rightAligned(_ value: Int, width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// `value` rounded to `places` decimals ("%.*f"), for finite values.
    public static func fixed(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return String(value) }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (value.magnitude * scale).rounded()
        let whole = scaled / scale
        let integerPart = Int(whole.rounded(.down))
        let fraction = Int(scaled - Double(integerPart) * scale)
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return places == 0 ? sign + String(integerPart) : sign + String(integerPart) + "." + zeroPadded(fraction, width: places)
    }

    /// A sum in đồng, short, for a hit's line: "126 billion VND", "2.1 billion VND",
    /// "3.25 trillion VND", "500 million VND", "500,000 VND"; in Vietnamese (`vietnamese`,
    /// the web page's vi text) "126 tỷ đồng", "2,1 tỷ đồng", "3,25 nghìn tỷ đồng",
    /// "500.000 đồng". Two decimals at most, cut (never rounded up): the exact sum is in the JSON.
    public static func vnd(_ value: Int, vietnamese: Bool = false) -> String {
        let units: [(Int, String)] = vietnamese
            ? [(1_000_000_000_000, "nghìn tỷ đồng"), (1_000_000_000, "tỷ đồng"), (1_000_000, "triệu đồng")]
            : [(1_000_000_000_000, "trillion VND"), (1_000_000_000, "billion VND"), (1_000_000, "million VND")]
        let (decimal, group) = vietnamese ? (",", ".") : (".", ",")
        for (size, name) in units where value.magnitude >= UInt(size) {
            let whole = value / size
            // Each size is a multiple of 100: its hundredths are whole.
            var hundredths = zeroPadded(Int(value.magnitude % UInt(size) / UInt(size / 100)), width: 2)
            while hundredths.hasSuffix("0") { hundredths.removeLast() }
            return String(whole) + (hundredths.isEmpty ? "" : decimal + hundredths) + " " + name
        }
        var digits = String(value.magnitude)
        var grouped = ""
        while digits.count > 3 {
            grouped = group + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return (value < 0 ? "-" : "") + digits + grouped + (vietnamese ? " đồng" : " VND")
    }
}
