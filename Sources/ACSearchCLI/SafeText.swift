/// Text from documents (and anything the daemon echoes) made safe for a terminal: a
/// document must not be able to set the window title, write the clipboard (OSC 52),
/// clear the screen or reorder a line for whoever reads it. Controls are shown
/// escaped, not dropped, so a reader sees that they are there: C0 and DEL as `\x1b`,
/// C1 as `\x9b` (8-bit CSI, OSC…), and bidirectional overrides and isolates (the
/// "Trojan Source" characters) as `\u202e`. Escaping ESC alone defuses a whole
/// sequence: what follows it is printed as text.
enum SafeText {
    /// For one line (a title, an id): newlines and tabs become spaces.
    static func line(_ text: String) -> String { escaped(text, keepingLines: false) }

    /// For running text (a document's body): newlines and tabs stay (and a CR before a
    /// newline, as Windows ends lines, goes: it is no hidden overwrite).
    static func block(_ text: String) -> String { escaped(text.replacing("\r\n", with: "\n"), keepingLines: true) }

    private static func needsEscape(_ value: UInt32) -> Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }

    private static func escaped(_ text: String, keepingLines: Bool) -> String {
        // Nearly all text has none: return it as it is.
        guard text.unicodeScalars.contains(where: { needsEscape($0.value) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if !needsEscape(value) {
                out.append(scalar)
            } else if value == 0x0A || value == 0x09 {
                out.append(keepingLines ? scalar : " ")
            } else {
                let hex = String(value, radix: 16)
                let shown = value < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u" + hex
                out.append(contentsOf: shown.unicodeScalars)
            }
        }
        return String(out)
    }

    /// The daemon's JSON, with the characters JSON lets through raw (DEL, C1, bidi
    /// controls) written as \u escapes too: the same values, but nothing for a
    /// terminal to act on. (C0 controls the daemon already escapes, as JSON requires.)
    /// Outside strings JSON is ASCII, so every such character is inside a string.
    static func json(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(where: { $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var index = 0
        func escape(_ value: UInt32) {
            let hex = String(value, radix: 16)
            out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x7F {
                escape(0x7F)
                index += 1
            } else if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                escape(UInt32(bytes[index + 1]))
                index += 2
            } else if byte == 0xE2, index + 2 < bytes.count, (0x80...0x81).contains(bytes[index + 1]),
                      case let value = 0x2000 + (UInt32(bytes[index + 1] & 0x3F) << 6) + UInt32(bytes[index + 2] & 0x3F),
                      needsEscape(value) {
                escape(value)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        return out
    }
}
