import Foundation

/// Bytes to text: UTF-8 (with or without BOM), UTF-32 by its BOM, and UTF-16 (by BOM,
/// or by the shape of its zero bytes); binary content is refused. Bytes that are not
/// UTF-8 are tried as the legacy encodings (`LegacyEncoding`: TCVN3, VNI, VISCII,
/// Windows-1258, Windows-1252) and converted when one fits; otherwise invalid bytes
/// become U+FFFD. Line breaks come back as LF whatever they were (CRLF from Windows, a lone
/// CR from old Macs): Swift takes CRLF for one Character, so text split on "\n" would
/// not see them.
public enum TextDecoding {
    public static func decode(_ data: Data) throws(ExtractionError) -> String {
        try decodeReporting(data).text
    }

    /// The text, and the legacy encoding it was converted from, if it was.
    public static func decodeReporting(_ data: Data) throws(ExtractionError) -> (text: String, converted: LegacyEncoding?) {
        let (text, converted) = try decodeBytes(data)
        return (unifyingLineBreaks(text), converted)
    }

    /// A BOM that says the text is not UTF-8 (UTF-16 or UTF-32), if there is one.
    static func hasWideBOM(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0, 0, 0xFE, 0xFF])
    }

    private static func decodeBytes(_ data: Data) throws(ExtractionError) -> (String, LegacyEncoding?) {
        let bytes = [UInt8](data)
        if bytes.isEmpty { throw .empty }
        if !bytes.contains(0), !bytes.starts(with: [0xEF, 0xBB, 0xBF]), !hasWideBOM(bytes),
           String(validating: bytes, as: UTF8.self) == nil, !mostlyUTF8(bytes), let encoding = LegacyEncoding.detect(bytes) {
            return (encoding.decode(bytes[...]), encoding)
        }
        return (try decodeUnicode(bytes), nil)
    }

    /// UTF-8 with a few bad bytes (a cut, a stray byte) stays UTF-8: more of its bytes
    /// past ASCII are in valid sequences than not.
    static func mostlyUTF8(_ bytes: [UInt8]) -> Bool {
        var valid = 0, invalid = 0
        var decoder = UTF8()
        var iterator = bytes.prefix(65_536).makeIterator()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if !scalar.isASCII { valid += 1 }
            case .error: invalid += 1
            case .emptyInput: break loop
            }
        }
        return valid > invalid
    }

    private static func decodeUnicode(_ bytes: [UInt8]) throws(ExtractionError) -> String {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return String(decoding: bytes.dropFirst(3), as: UTF8.self) }
        // UTF-32 LE's BOM begins as UTF-16 LE's does: it is tried first.
        if bytes.starts(with: [0xFF, 0xFE, 0, 0]) { return utf32(bytes.dropFirst(4), littleEndian: true) }
        if bytes.starts(with: [0, 0, 0xFE, 0xFF]) { return utf32(bytes.dropFirst(4), littleEndian: false) }
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

    static func unifyingLineBreaks(_ text: String) -> String {
        guard text.utf8.contains(0x0D) else { return text }
        return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// Code units that are not scalars (surrogates, past U+10FFFF) become U+FFFD.
    static func utf32(_ bytes: ArraySlice<UInt8>, littleEndian: Bool) -> String {
        var scalars = String.UnicodeScalarView()
        var index = bytes.startIndex
        while index + 3 < bytes.endIndex {
            let b = (0..<4).map { UInt32(bytes[index + $0]) }
            let value = littleEndian ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
            index += 4
        }
        return String(scalars)
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
    /// A PDF without a text layer (a scan, most likely) while OCR is off.
    case scanWithoutOCR
    /// OCR was asked for and cannot run here (no tesseract, no Vietnamese model, no
    /// cache folder it may write): a fault of the machine, not of the file, so the file
    /// is tried again on the next run.
    case ocrUnavailable(String)
    /// OCR ran and found nothing (blank pages, a picture without words).
    case noTextRecognised(pages: Int)

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
        case .scanWithoutOCR:
            return "no text found: a scan? OCR is off (turn it on with --ocr, or ACSEARCH_OCR=1 in /etc/acsearch/index.env)"
        case .ocrUnavailable(let why): return "cannot OCR: \(why)"
        case .noTextRecognised(let pages): return "no text found, not even by OCR of \(pages) page\(pages == 1 ? "" : "s")"
        }
    }
}
