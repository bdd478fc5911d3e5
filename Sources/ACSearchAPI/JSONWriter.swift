/// Writes JSON text straight into bytes, for the one answer on every search's path.
///
/// Foundation's `JSONEncoder` builds a tree of boxed values, sorts each object's keys
/// and then writes: several times slower for a search answer than writing it directly
/// (docs/benchmark-findings.md).
/// The output is byte for byte what `APIJSON.encoder()` makes (tests compare the two),
/// so callers choose by speed only: every other answer keeps the encoder.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// No value written yet in the object or array being written (no comma before the next).
    private var first = true

    init(capacity: Int = 8192) {
        bytes.reserveCapacity(capacity)
    }

    /// An object; `body` writes its members with `member`, in sorted key order (as
    /// `APIJSON`'s `.sortedKeys` does).
    mutating func object(_ body: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        first = true
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    /// `"key":` and the value `write` writes, inside `object`.
    mutating func member(_ key: String, _ write: (inout JSONWriter) -> Void) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        string(key)
        bytes.append(UInt8(ascii: ":"))
        write(&self)
        first = false
    }

    mutating func array<C: Collection>(_ elements: C, _ write: (inout JSONWriter, C.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        first = true
        for element in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            write(&self, element)
            first = false
        }
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    mutating func strings(_ values: [String]) {
        array(values) { $0.string($1) }
    }

    mutating func int(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func null() {
        bytes.append(contentsOf: "null".utf8)
    }

    /// As `JSONEncoder` writes a Double: whole numbers without a fraction, the others
    /// in Swift's shortest round-tripping form.
    mutating func double(_ value: Double) {
        if value.rounded() == value, abs(value) < 1e15 {
            int(Int(value))
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// A string, escaped as RFC 8259 requires and as `JSONEncoder` with
    /// `.withoutEscapingSlashes` does: quote, backslash and control characters.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count where utf8[index] < 0x20 || utf8[index] == 0x22 || utf8[index] == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(utf8[index])
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func optional(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    private mutating func escape(_ byte: UInt8) {
        let short: UInt8? = switch byte {
        case 0x22: UInt8(ascii: "\"")
        case 0x5C: UInt8(ascii: "\\")
        case 0x08: UInt8(ascii: "b")
        case 0x0C: UInt8(ascii: "f")
        case 0x0A: UInt8(ascii: "n")
        case 0x0D: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        default: nil
        }
        bytes.append(UInt8(ascii: "\\"))
        if let short {
            bytes.append(short)
        } else {
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }
}
