/// Rows as RFC 4180 CSV: fields holding a comma, a quote, CR or LF are quoted, quotes
/// inside doubled; lines end in CRLF. No package needed for this much (none of the
/// project's dependencies writes CSV).
struct CSVWriter {
    static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D })
        else { return value }
        return "\"" + value.replacing("\"", with: "\"\"") + "\""
    }
}
