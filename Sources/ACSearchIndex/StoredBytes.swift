/// The byte layout of stored document data: strings as a LEB128 length and UTF-8,
/// optional strings with the length plus one (0 is nil), lists as a count and their
/// items. A hit's summary reads far faster from these bytes than from JSON
/// (index/SCHEMA.md, docs/benchmark-findings.md).
struct StoredBytesWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func number(_ value: Int) {
        var rest = UInt(value)
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func string(_ value: String) {
        number(value.utf8.count)
        bytes += value.utf8
    }

    mutating func optional(_ value: String?) {
        guard let value else { return number(0) }
        number(value.utf8.count + 1)
        bytes += value.utf8
    }

    mutating func append(_ raw: [UInt8]) { bytes += raw }
}

/// Reads what `StoredBytesWriter` wrote; data cut short or of another layout is an
/// error that says so, never a crash.
struct StoredBytesReader {
    private let bytes: [UInt8]
    private(set) var position: Int

    init(_ bytes: [UInt8], from position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    struct Malformed: Error, CustomStringConvertible {
        let position: Int
        var description: String { "stored document data is malformed at byte \(position) (rebuild the index)" }
    }

    mutating func number() throws -> Int {
        var value = 0
        var shift = 0
        while position < bytes.count, shift < 63 {
            let byte = bytes[position]
            position += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return value }  // at most 9 bytes: bit 63 is never set
            shift += 7
        }
        throw Malformed(position: position)
    }

    mutating func string() throws -> String {
        try text(length: try number())
    }

    mutating func optional() throws -> String? {
        let length = try number()
        return length == 0 ? nil : try text(length: length - 1)
    }

    mutating func skip(_ count: Int) throws {
        guard count >= 0, count <= bytes.count - position else { throw Malformed(position: position) }
        position += count
    }

    /// Everything after the position.
    var rest: ArraySlice<UInt8> { bytes[position...] }

    private mutating func text(length: Int) throws -> String {
        guard length >= 0, length <= bytes.count - position else { throw Malformed(position: position) }
        defer { position += length }
        return String(decoding: bytes[position..<(position + length)], as: UTF8.self)
    }
}
