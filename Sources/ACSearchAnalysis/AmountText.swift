/// A sum in đồng as an analyst types it in a query (`amount:10tỷ..`): digits
/// ("10000000000", "10.000.000.000"), an exponent ("10e9", "1.5e9") or a unit joined
/// to the number ("10tỷ", "2,1tỷ", "500triệu", "500tr", "10bn", "3.2tn", "800k").
/// Spaces are not allowed: Xapian's parser ends a range at the first one.
public enum AmountText {
    /// Said when an end is not one of these.
    public static let accepted = "digits (10000000000), an exponent (10e9) or a number and a unit (10tỷ, 500triệu, 10bn, 3.2tn)"

    static let units: [String: Int] = {
        var table: [String: Int] = [:]
        for word in ["k", "nghìn", "nghin", "ngàn", "ngan", "thousand"] { table[word] = 1_000 }
        for word in ["m", "mn", "tr", "triệu", "trieu", "million"] { table[word] = 1_000_000 }
        for word in ["b", "bn", "tỷ", "tỉ", "ty", "ti", "billion"] { table[word] = 1_000_000_000 }
        for word in ["tn", "trillion", "nghìntỷ", "nghintỷ", "nghinty", "ngàntỷ", "ngantỷ", "nganty"] {
            table[word] = 1_000_000_000_000
        }
        return table
    }()

    /// The sum typed, in whole đồng; nil if it is not one (or not below 10^18).
    public static func parse(_ typed: String) -> Int? {
        let text = TextNormalization.nfc(typed).lowercased()
        let numberEnd = text.firstIndex { !($0.isASCII && ($0.isNumber || $0 == "." || $0 == ",")) } ?? text.endIndex
        let digits = String(text[..<numberEnd])
        guard digits.first?.isNumber == true, digits.last?.isNumber == true else { return nil }
        var rest = text[numberEnd...]
        var exponent = 0
        if rest.first == "e", rest.count > 1, rest.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let value = Int(rest.dropFirst()), value <= 18 else { return nil }
            exponent = value
            rest = ""
        }
        var multiplier = 1
        if !rest.isEmpty {
            guard let unit = units[String(rest)] else { return nil }
            multiplier = unit
        }
        for _ in 0..<exponent {
            let (next, overflow) = multiplier.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            multiplier = next
        }
        // With an exponent the number is written the scientific way: "1.234e9" is 1.234.
        let number = exponent > 0 && digits.filter({ $0 == "." }).count == 1 && !digits.contains(",") ? digits + "0" : digits
        guard let (mantissa, scale) = AmountExtractor.decimal(number) else { return nil }
        var divisor = 1
        for _ in 0..<scale { divisor *= 10 }
        let (product, overflow) = mantissa.multipliedReportingOverflow(by: multiplier)
        guard !overflow, product / divisor < AmountExtractor.largest else { return nil }
        return product / divisor
    }
}
