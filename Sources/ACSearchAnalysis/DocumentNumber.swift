import Foundation

/// A document number such as "67-QĐ/TW", "05/2022/NĐ-CP" or "1843/KL-TTCP",
/// canonicalised so that every spelling meets: folded, upper case, no spaces, no
/// leading zeros ("67 - QĐ/TW", "67-QD/TW" → "67-QD/TW").
public struct DocumentNumber: Sendable, Hashable, Codable {
    /// The canonical form: what terms and comparisons use.
    public let canonical: String
    /// As first written in the text.
    public let written: String
    /// The type code ("QD", "CT", "NQ", "ND", "TT", "KL"...).
    public let code: String

    /// What the index's number terms hold: the canonical form's parts in order, each
    /// separator a "/". People swap the party form's separators for the state
    /// form's ("67/QĐ-TW" for "67-QĐ/TW") or leave them out ("67QĐ/TW"); the digits,
    /// the code and the issuing body still name one document, so every spelling of
    /// them is one term (schema 4).
    public var key: String { DocumentNumber.key(ofCanonical: canonical) }

    /// The key of a canonical form as stored ("67-QD/TW" → "67/qd/tw").
    public static func key(ofCanonical canonical: String) -> String {
        canonical.split(whereSeparator: { $0 == "-" || $0 == "/" }).joined(separator: "/").lowercased()
    }

    /// The code of the body that issued it, the number's last part ("TU" of
    /// "12-CT/TU", "TTCP" of "1843/KL-TTCP", "CP" of "5/2022/ND-CP", "QH14").
    public var issuingBody: String {
        canonical.split(whereSeparator: { $0 == "/" || $0 == "-" }).last.map(String.init) ?? ""
    }

    /// Whether a local body issued it, so that the number alone does not name one
    /// document: every provincial Party committee ("TU"), people's committee ("UBND"),
    /// inspectorate ("TTr") and department numbers its own from 1 each year. Numbers of
    /// the national bodies (the Party centre, the Government, the National Assembly,
    /// ministries) are unique; any other body is taken to be local.
    public var isLocal: Bool {
        let body = issuingBody
        return !DocumentNumber.nationalBodies.contains(body) && !body.hasPrefix("QH") && !body.hasPrefix("UBTVQH")
    }

    /// Codes of national bodies, as canonical numbers write them (folded, upper case);
    /// "BCT" is both the Politburo and the Ministry of Industry and Trade.
    static let nationalBodies: Set<String> = [
        "TW", "BCT", "BBT", "BCDTW", "BNCTW", "BTCTW", "BTGTW", "BDVTW", "UBKTTW", "VPTW",
        "CP", "TTG", "VPCP", "TTCP", "KTNN", "TANDTC", "VKSNDTC", "HDTP", "NHNN",
        "BCA", "BQP", "BTC", "BNV", "BTP", "BYT", "BXD", "BTNMT", "BKHDT", "BGDDT", "BGTVT", "BNNPTNT",
        "BLDTBXH", "BTTTT", "BVHTTDL", "BKHCN", "BNG", "UBDT",
    ]

    /// The kind of document the code names, in English, when it is clear.
    public var documentType: String? { DocumentNumber.types[code] }

    static let types = [
        "QD": "regulation or decision", "CT": "directive", "NQ": "resolution", "ND": "decree", "TT": "circular",
        "KL": "conclusion", "HD": "guidance", "TB": "notice", "QC": "regulation", "QH": "law",
    ]

    /// Canonicalises one number; nil if it is not shaped like a document number.
    public init?(_ text: String) {
        let numbers = DocumentNumber.find(in: text)
        guard numbers.count == 1 else { return nil }
        self = numbers[0].number
    }

    init(canonical: String, written: String, code: String) {
        self.canonical = canonical
        self.written = written
        self.code = code
    }

    /// Type codes of Vietnamese party and state documents. Numbers are matched in
    /// any case ("67-qđ/TW") only with one of these codes.
    static let codes = "QD|CT|NQ|ND|TT|KL|HD|TB|QC|BC|KH|CV|TTR|TTLT|NQLT|QDLT|TTG|L"

    // Party form "67-QĐ/TW" (the hyphen may be a space or missing: "67 QĐ/TW",
    // "67QĐ/TW"); state forms "05/2022/NĐ-CP", "1843/KL-TTCP"; laws "36/2018/QH14".
    private static let party = try! NSRegularExpression(
        pattern: #"(?<![\p{L}\p{N}/-])(\d{1,5})\s{0,2}-?\s{0,2}("# + codes + #")\s{0,2}/\s{0,2}([A-Z]{1,10}\d{0,2})(?![\p{L}\p{N}])"#,
        options: [.caseInsensitive])
    private static let state = try! NSRegularExpression(
        pattern: #"(?<![\p{L}\p{N}/-])(\d{1,5})\s{0,2}/\s{0,2}(?:(\d{4})\s{0,2}/\s{0,2})?("# + codes + #")\s{0,2}-\s{0,2}([A-Z]{1,10}(?:-[A-Z]{1,10})?)(?![\p{L}\p{N}])"#,
        options: [.caseInsensitive])
    private static let law = try! NSRegularExpression(
        pattern: #"(?<![\p{L}\p{N}/-])(\d{1,5})\s{0,2}/\s{0,2}(\d{4})\s{0,2}/\s{0,2}(QH\d{1,2})(?![\p{L}\p{N}])"#)

    /// Every document number in text, with its position (UTF-16 offset in the folded
    /// text), in order.
    ///
    /// Folding a whole body and running three expressions over it was a tenth of the
    /// indexer's time, and most text holds no number: only windows around the places
    /// where a number can begin (digits, then "-" or "/" within nine characters) are
    /// folded and searched.
    public static func find(in text: String) -> [(number: DocumentNumber, offset: Int)] {
        find(in: text, windowed: true)
    }

    /// `windowed: false` searches the whole text: what the windows must agree with (tests).
    static func find(in text: String, windowed: Bool) -> [(number: DocumentNumber, offset: Int)] {
        let scan = windowed ? Windows(text) : Windows(whole: text)
        var found: [(DocumentNumber, Int)] = []
        var original: NSString? = nil
        for window in scan.windows {
            let folded = Folding.fold(String(text.unicodeScalars[window.range])) as NSString
            func written(_ range: NSRange) -> String {
                guard scan.foldingKeepsLength else { return folded.substring(with: range) }
                // The old shape of this search: positions in the folded text, read in the original.
                if original == nil { original = text as NSString }
                return original!.substring(with: NSRange(location: window.foldedOffset + range.location, length: range.length))
            }
            for (number, offset) in numbers(inFolded: folded, written: written) {
                found.append((number, window.foldedOffset + offset))
            }
        }
        return found.sorted { $0.1 < $1.1 }
    }

    /// The numbers of one piece of folded text, with their offsets in it.
    private static func numbers(inFolded folded: NSString,
                                written: (NSRange) -> String) -> [(number: DocumentNumber, offset: Int)] {
        var found: [(DocumentNumber, Int)] = []
        let range = NSRange(location: 0, length: folded.length)
        let text = folded as String
        func group(_ match: NSTextCheckingResult, _ index: Int) -> String? {
            let range = match.range(at: index)
            return range.location == NSNotFound ? nil : folded.substring(with: range).uppercased()
        }
        func number(_ digits: String) -> String {
            let trimmed = digits.drop { $0 == "0" }
            return trimmed.isEmpty ? "0" : String(trimmed)
        }
        for match in party.matches(in: text, range: range) {
            guard let digits = group(match, 1), let code = group(match, 2), let body = group(match, 3) else { continue }
            found.append((DocumentNumber(canonical: "\(number(digits))-\(code)/\(body)", written: written(match.range),
                                         code: code), match.range.location))
        }
        for match in state.matches(in: text, range: range) {
            guard let digits = group(match, 1), let code = group(match, 3), let body = group(match, 4) else { continue }
            let year = group(match, 2).map { "/\($0)" } ?? ""
            found.append((DocumentNumber(canonical: "\(number(digits))\(year)/\(code)-\(body)", written: written(match.range),
                                         code: code), match.range.location))
        }
        for match in law.matches(in: text, range: range) {
            guard let digits = group(match, 1), let year = group(match, 2), let body = group(match, 3) else { continue }
            found.append((DocumentNumber(canonical: "\(number(digits))/\(year)/\(body)", written: written(match.range),
                                         code: "QH"), match.range.location))
        }
        return found
    }

    /// The stretches of a text where a number can be, and where each begins in the
    /// folded text (UTF-16), found in one pass over the scalars without folding.
    ///
    /// Every expression begins with digits not after a letter, digit, "/" or "-", then
    /// at most two spaces, a code of at most four letters, two spaces, and "-" or "/"
    /// (at most nine characters after the digits), and a whole match is under 50 folded
    /// characters; a window runs from the character before such digits to 64 characters
    /// after them, and windows that meet are joined. Combining marks fold to nothing, so
    /// they are not counted as characters.
    struct Windows {
        struct Window {
            var range: Range<String.Index>
            var foldedOffset: Int
        }
        private(set) var windows: [Window] = []
        /// Whether the folded text has as many UTF-16 units as the original.
        private(set) var foldingKeepsLength = true

        init(whole text: String) {
            let length = FoldedLength.of(text)
            windows = [Window(range: text.startIndex..<text.endIndex, foldedOffset: 0)]
            foldingKeepsLength = length == text.utf16.count
        }

        init(_ text: String) {
            let scalars = text.unicodeScalars
            var foldedOffset = 0
            var previous: (index: String.Index, foldedOffset: Int)? = nil  // the last character, marks aside
            var runStart: (index: String.Index, foldedOffset: Int)? = nil  // the character before a run of digits
            var sinceRun = 0  // characters after the run of digits, while looking for "-" or "/"
            var open: Window? = nil
            var charactersLeft = 0  // characters the open window still takes
            var index = scalars.startIndex
            while index < scalars.endIndex {
                let scalar = scalars[index]
                let length = FoldedLength.of(scalar)
                let next = scalars.index(after: index)
                foldedOffset += length
                guard length > 0 else { index = next; continue }  // a mark: folds away
                let isDigit = scalar.value < 0x80 ? (0x30...0x39).contains(scalar.value)
                    : scalar.value >= 0x660 && scalar.properties.numericType == .decimal
                if isDigit {
                    if runStart == nil || sinceRun > 0 {
                        runStart = previous ?? (index, foldedOffset - length)
                        sinceRun = 0
                    }
                } else if let start = runStart {
                    sinceRun += 1
                    if scalar == "-" || scalar == "/" {
                        // A number can begin here: open a window, or stretch the open one.
                        if open == nil {
                            if let last = windows.last, last.range.upperBound > start.index {
                                open = windows.removeLast()  // the digits began inside it
                            } else {
                                open = Window(range: start.index..<next, foldedOffset: start.foldedOffset)
                            }
                        }
                        charactersLeft = 64
                        runStart = nil
                    } else if sinceRun >= 9 {
                        runStart = nil
                    }
                }
                if open != nil {
                    open!.range = open!.range.lowerBound..<next
                    charactersLeft -= 1
                    if charactersLeft <= 0 { windows.append(open!); open = nil }
                }
                previous = (index, foldedOffset - length)
                index = next
            }
            if let open { windows.append(open) }
            foldingKeepsLength = foldedOffset == text.utf16.count
        }
    }
}

/// How many UTF-16 units `Folding.fold` makes of a scalar, read from a table below
/// U+1F00 (where all the folding happens).
enum FoldedLength {
    private static let table: [UInt8] = (0..<0x1F00).map { value in
        guard let scalar = Unicode.Scalar(UInt32(value)) else { return 0 }
        return UInt8(Folding.fold(String(scalar)).utf16.count)
    }

    @inline(__always)
    static func of(_ scalar: Unicode.Scalar) -> Int {
        if scalar.value < 0x1F00 { return Int(table[Int(scalar.value)]) }
        return Folding.isCombiningMark(scalar.value) ? 0 : scalar.utf16.count
    }

    static func of(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + of($1) } }
}
