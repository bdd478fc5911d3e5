import Foundation

/// Bytes to text: UTF-8 (with or without BOM) and UTF-16 (by BOM, or by the shape of
/// its zero bytes). Invalid bytes become U+FFFD; binary content is refused.
public enum TextDecoding {
    public static func decode(_ data: Data) throws(ExtractionError) -> String {
        let bytes = [UInt8](data)
        if bytes.isEmpty { throw .empty }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: bytes.dropFirst(3), as: UTF8.self) }
        if bytes.starts(with: [0xFF, 0xFE]) { return utf16(bytes.dropFirst(2), littleEndian: true) }
        if bytes.starts(with: [0xFE, 0xFF]) { return utf16(bytes.dropFirst(2), littleEndian: false) }
        let sample = bytes.prefix(8192)
        let zeros = sample.filter { $0 == 0 }.count
        if zeros == 0 { return String(decoding: bytes, as: UTF8.self) }
        // UTF-16 without a BOM: ASCII-range text puts its zeros all on odd (LE) or
        // all on even (BE) positions.
        let evenZeros = stride(from: 0, to: sample.count, by: 2).filter { sample[sample.startIndex + $0] == 0 }.count
        let oddZeros = zeros - evenZeros
        let half = sample.count / 2
        if oddZeros > half * 6 / 10, evenZeros < half / 10 { return utf16(bytes[...], littleEndian: true) }
        if evenZeros > half * 6 / 10, oddZeros < half / 10 { return utf16(bytes[...], littleEndian: false) }
        throw .binary
    }

    static func utf16(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let a = UInt16(bytes[index]), b = UInt16(bytes[index + 1])
            units.append(littleEndian ? a | b << 8 : a << 8 | b)
            index += 2
        }
        return String(decoding: units, as: UTF16.self)
    }
}

/// Why a file or record could not be indexed: said so a person can fix it.
public enum ExtractionError: Error, Equatable, CustomStringConvertible {
    case empty
    case binary
    case tooLarge(bytes: Int, limit: Int)
    case notRegularFile(String)
    case unreadable(String)
    case invalidFrontMatter(String)
    case invalidJSON(String)
    case invalidRecord(String)
    case filterFailed(String)
    case zipBomb(String)
    case invalidDocument(String)
    case noText

    public var description: String {
        switch self {
        case .empty: return "empty file"
        case .binary: return "binary content, not text"
        case .tooLarge(let bytes, let limit):
            return "too large (\(bytes / 1_048_576) MiB; the limit is \(limit / 1_048_576) MiB, see --max-file-size)"
        case .notRegularFile(let what): return "not a regular file (\(what))"
        case .unreadable(let why): return "cannot read: \(why)"
        case .invalidFrontMatter(let why): return "invalid front matter: \(why)"
        case .invalidJSON(let why): return "invalid JSON: \(why)"
        case .invalidRecord(let why): return "invalid record: \(why)"
        case .filterFailed(let why): return why
        case .zipBomb(let why): return "refused as a zip bomb: \(why)"
        case .invalidDocument(let why): return "not a valid document: \(why)"
        case .noText: return "no text found"
        }
    }
}
