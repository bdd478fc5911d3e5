import ACSearchAnalysis
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The records of a record file or of standard input, read in blocks so that memory
/// holds one block and one record whatever the file's size.
///
/// JSON lines: a line ends at LF, CRLF or a lone CR (old Mac files): JSON never holds
/// a raw CR or LF inside a string, so each is a line break. A last line without a
/// break is a line too. A JSON array (`.jsonArray`): each element of the top-level
/// array, found by following strings and nesting byte by byte; `number` counts them.
///
/// A record longer than `maxLine` is not kept: it comes back as `.tooLong`, the rest
/// of it skipped without being held. The FNV-1a hash of every byte read is kept as it
/// goes, for the file's state.
struct LineReader {
    enum Line {
        case text(number: Int, bytes: ArraySlice<UInt8>)
        case tooLong(number: Int, bytes: Int)
    }

    enum Framing { case lines, jsonArray }
    private var framing = Framing.lines
    /// Where a JSON array's scan is: nesting depth, inside a string, after a backslash.
    private var depth = 0
    private var inString = false
    private var escaped = false

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    let maxLine: Int
    private var buffer: [UInt8] = []
    /// What one read(2) fills, then copied to the end of `buffer`.
    private var block = [UInt8](repeating: 0, count: LineReader.blockSize)
    private var start = 0
    private var ended = false
    private var number = 0
    /// After a CR, a LF that follows belongs to the same break.
    private var afterCR = false
    /// Where the search for the next break resumes: a long line arriving block by
    /// block is scanned once, not again from its start at every block.
    private var scanned = 0
    /// Bytes of an over-long line dropped so far, while skipping to its end.
    private var skipping: Int?
    private(set) var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var bytesRead = 0
    static let blockSize = 1 << 20

    /// Standard input, or any descriptor the caller keeps open.
    init(descriptor: Int32, maxLine: Int) {
        self.descriptor = descriptor
        ownsDescriptor = false
        self.maxLine = maxLine
    }

    init(path: String, maxLine: Int, framing: Framing = .lines) throws(ExtractionError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .unreadable(String(cString: strerror(errno))) }
        self.descriptor = descriptor
        ownsDescriptor = true
        self.maxLine = maxLine
        self.framing = framing
    }

    /// Closes a descriptor it opened (a struct has no deinit).
    func close() {
        if ownsDescriptor { _ = Glibc.close(descriptor) }
    }

    var hashHex: String {
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Reads to the end, keeping nothing but the hash.
    mutating func drain() throws(ExtractionError) {
        while !ended {
            buffer.removeAll(keepingCapacity: true)
            start = 0
            try fill()
        }
    }

    mutating func next() throws(ExtractionError) -> Line? {
        while true {
            if let line = framing == .lines ? cut() : cutElement() { return line }
            if ended {
                if let dropped = skipping {
                    skipping = nil
                    number += 1
                    return .tooLong(number: number, bytes: dropped + buffer.count - start)
                }
                guard start < buffer.count else { return nil }
                defer { start = buffer.count }
                number += 1
                return .text(number: number, bytes: buffer[start...])
            }
            if skipping != nil {
                skipping! += buffer.count - start
                buffer.removeAll(keepingCapacity: true)
                scanned = 0
            } else {
                buffer.removeSubrange(0..<start)
                scanned -= start
            }
            start = 0
            try fill()
        }
    }

    /// The next whole line in the buffer, if there is one.
    private mutating func cut() -> Line? {
        let end = buffer.count
        if afterCR, start < end {
            // The LF of a CRLF whose CR ended the line before.
            afterCR = false
            if buffer[start] == 0x0A { start += 1 }
        }
        // A plain loop over the bytes: memchr finds one byte, and a break is either.
        let found: Int? = buffer.withUnsafeBufferPointer { bytes in
            var index = max(start, scanned)
            while index < end {
                let byte = bytes[index]
                if byte == 0x0A || byte == 0x0D { return index }
                index += 1
            }
            return nil
        }
        guard let index = found else {
            scanned = end
            // No break in what is held: past the limit, stop holding this line.
            if skipping == nil, end - start > maxLine { skipping = 0 }
            return nil
        }
        afterCR = buffer[index] == 0x0D
        number += 1
        defer { start = index + 1 }
        if let dropped = skipping {
            skipping = nil
            return .tooLong(number: number, bytes: dropped + index - start)
        }
        if index - start > maxLine { return .tooLong(number: number, bytes: index - start) }
        return .text(number: number, bytes: buffer[start..<index])
    }

    /// The next whole element of a top-level JSON array in the buffer, if there is one.
    /// What comes before the array's "[" is dropped; what comes after its "]" is one
    /// more record (blank, or an error that says so).
    private mutating func cutElement() -> Line? {
        let end = buffer.count
        while true {
            var depth = self.depth, inString = self.inString, escaped = self.escaped
            let found: (index: Int, byte: UInt8)? = buffer.withUnsafeBufferPointer { bytes in
                var index = max(start, scanned)
                while index < end {
                    let byte = bytes[index]
                    if inString {
                        if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                    } else if byte == 0x22 {
                        inString = true
                    } else if byte == 0x5B || byte == 0x7B {
                        depth += 1
                        if depth == 1 { index += 1; return (index - 1, byte) }
                    } else if byte == 0x5D || byte == 0x7D {
                        depth -= 1
                        if depth == 0 { index += 1; return (index - 1, byte) }
                    } else if byte == 0x2C, depth == 1 {
                        return (index, byte)
                    }
                    index += 1
                }
                return nil
            }
            self.depth = depth
            self.inString = inString
            self.escaped = escaped
            guard let (index, byte) = found else {
                scanned = end
                if skipping == nil, end - start > maxLine { skipping = 0 }
                return nil
            }
            scanned = index + 1
            if depth == 1, byte == 0x5B || byte == 0x7B, number == 0, skipping == nil {
                // The array's "[" (or an object where an array was expected, kept whole).
                if byte == 0x5B { start = index + 1 }
                continue
            }
            number += 1
            defer { start = index + 1 }
            if let dropped = skipping {
                skipping = nil
                return .tooLong(number: number, bytes: dropped + index - start)
            }
            if index - start > maxLine { return .tooLong(number: number, bytes: index - start) }
            return .text(number: number, bytes: buffer[start..<index])
        }
    }

    private mutating func fill() throws(ExtractionError) {
        let old = buffer.count
        var failure: Int32 = 0
        let count = block.withUnsafeMutableBytes { raw in
            var count: Int
            repeat {
                count = read(descriptor, raw.baseAddress!, raw.count)
            } while count < 0 && errno == EINTR
            if count < 0 { failure = errno }
            return count
        }
        if count < 0 { throw .unreadable(String(cString: strerror(failure))) }
        if count == 0 { ended = true; return }
        bytesRead += count
        buffer.append(contentsOf: block[0..<count])
        var hash = self.hash
        buffer.withUnsafeBufferPointer { bytes in
            for index in old..<bytes.count {
                hash ^= UInt64(bytes[index])
                hash = hash &* 0x100_0000_01b3
            }
        }
        self.hash = hash
    }
}
