import Foundation

/// The API's snippets are HTML fragments: text escaped, matches in `<mark>…</mark>`.
///
/// Xapian escapes the snippet's text itself (`&`, `<`, `>`) but would escape tags
/// given as highlight marks too, so it is given marks that cannot occur in text
/// (private-use characters) and they become tags here, in one pass over the bytes.
enum SnippetHTML {
    static let markStart = "\u{E000}"
    static let markEnd = "\u{E001}"

    /// Xapian's snippet (already escaped) with the private-use marks turned to tags.
    static func render(_ raw: String) -> String {
        let bytes = Array(raw.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var index = 0
        while index < bytes.count {
            // U+E000 and U+E001 are EE 80 80 and EE 80 81 in UTF-8.
            if bytes[index] == 0xEE, index + 2 < bytes.count, bytes[index + 1] == 0x80,
               bytes[index + 2] == 0x80 || bytes[index + 2] == 0x81 {
                out += bytes[index + 2] == 0x80 ? openTag : closeTag
                index += 3
                continue
            }
            out.append(bytes[index])
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text with any of the marks it holds itself replaced by U+FFFD (same length
    /// in UTF-8), so that only Xapian's highlights become tags.
    static func withoutMarks(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard let first = markPosition(in: text, from: text.startIndex) else { return text }
        var copy = Array(text)
        var index = first - text.startIndex
        while let found = markPosition(in: copy[...], from: index) {
            copy.replaceSubrange(found..<(found + 3), with: [0xEF, 0xBF, 0xBD])
            index = found + 3
        }
        return copy[...]
    }

    /// memchr for the marks' first byte, 0xEE (U+E000–U+EFFF, private use), which
    /// almost no text holds: a loop over every byte of every hit's body was the
    /// largest part of a page's time in Swift (perf, docs/benchmarks.md).
    private static func markPosition(in bytes: ArraySlice<UInt8>, from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = start - bytes.startIndex
            while offset + 2 < buffer.count {
                guard let found = memchr(base + offset, 0xEE, buffer.count - 2 - offset) else { return nil }
                let at = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if buffer[at + 1] == 0x80, buffer[at + 2] == 0x80 || buffer[at + 2] == 0x81 { return bytes.startIndex + at }
                offset = at + 1
            }
            return nil
        }
    }

    private static let openTag = Array("<mark>".utf8)
    private static let closeTag = Array("</mark>".utf8)

    static func escape(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 { append(byte, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func append(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "&"): out += [0x26, 0x61, 0x6D, 0x70, 0x3B]  // &amp;
        case UInt8(ascii: "<"): out += [0x26, 0x6C, 0x74, 0x3B]  // &lt;
        case UInt8(ascii: ">"): out += [0x26, 0x67, 0x74, 0x3B]  // &gt;
        default: out.append(byte)
        }
    }
}
