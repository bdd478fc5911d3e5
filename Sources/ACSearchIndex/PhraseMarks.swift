import ACSearchAnalysis
import Foundation

/// Only the words of a phrase where the phrase is: Xapian marks every word of a
/// snippet whose term the query has, so `"land allocation"` marked each "land" of the
/// text, also where no "allocation" followed. After Xapian has marked, a marked word
/// that the query has only inside phrases stays marked where it and the marked words
/// beside it make one of the phrases, and is unmarked elsewhere; the query's other
/// words stay marked wherever they are.
struct PhraseMarks {
    /// Each phrase of the query, as the stems of its words.
    let phrases: [[String]]
    /// Each phrase as typed, its ASCII letters lower-cased: what `occurrence(in:)` looks for.
    let typed: [[UInt8]]
    /// The stems that only phrases have.
    let phraseOnly: Set<String>
    let stem: (String) -> String

    /// nil when the query quotes no phrase of two words or more (a plain query's
    /// phrases, as `QueryText.plainPhrases` reads them).
    init?(query text: String, stem: @escaping (String) -> String) {
        let quoted = QueryText.plainPhrases(in: text).filter { Words.split($0.words).count > 1 }
        let phrases = quoted.map { Words.split($0.words).map { stem($0.text) } }
        guard !phrases.isEmpty else { return nil }
        typed = quoted.map { PhraseMarks.asciiLowercased(Array($0.words.trimmingCharacters(in: .whitespaces).utf8)) }
        var loose = Set<String>()
        for (range, word) in QueryText.plainWords(text) where !quoted.contains(where: { $0.range.contains(range.lowerBound) }) {
            loose.insert(stem(word))
        }
        self.phrases = phrases
        phraseOnly = Set(phrases.joined()).subtracting(loose)
        self.stem = stem
    }

    /// Where a phrase is first written in `text` as it was typed (ASCII letters in
    /// either case; "land allocation" also finds "Land allocations"), as a byte offset:
    /// where a snippet's window should be when Xapian's first good one missed it. A
    /// phrase typed without its diacritics, or spelled otherwise in the text, is not found.
    func occurrence(in text: ArraySlice<UInt8>) -> Int? {
        let lowered = PhraseMarks.asciiLowercased(text)
        let offsets = lowered.withUnsafeBufferPointer { haystack in
            typed.compactMap { PhraseMarks.find($0, in: haystack) }
        }
        return offsets.min().map { text.startIndex + $0 }
    }

    static func asciiLowercased<Bytes: Collection>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var out = [UInt8](repeating: 0, count: bytes.count)
        var index = 0
        for byte in bytes {
            out[index] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            index += 1
        }
        return out
    }

    /// The first offset of `needle` in `haystack`: memchr for its first byte, memcmp for the rest.
    static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = needle.first, let base = haystack.baseAddress, needle.count <= haystack.count else { return nil }
        var start = 0
        while start + needle.count <= haystack.count {
            guard let hit = memchr(base + start, Int32(first), haystack.count - needle.count + 1 - start) else { return nil }
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + at, needle, needle.count) == 0 { return at }
            start = at + 1
        }
        return nil
    }

    /// A snippet as Xapian made it (`SnippetHTML.markStart`/`markEnd` around matches),
    /// with the marks of phrase words outside their phrases taken out; `found`: it
    /// holds a whole phrase.
    func apply(_ raw: String) -> (text: String, found: Bool) {
        let start = Character(SnippetHTML.markStart), end = Character(SnippetHTML.markEnd)
        // The marked words: where their marks are, their stems, and whether nothing but
        // spaces and punctuation lies between each and the one before (a phrase's words
        // are adjacent positions, whatever punctuation is between them).
        var marked: [(open: String.Index, close: String.Index, stem: String, adjacent: Bool)] = []
        var index = raw.startIndex
        var betweenHasWord = true
        while index < raw.endIndex {
            let character = raw[index]
            if character == start, let close = raw[index...].firstIndex(of: end) {
                let word = String(raw[raw.index(after: index)..<close])
                marked.append((index, close, stem(word), !betweenHasWord))
                betweenHasWord = false
                index = raw.index(after: close)
                continue
            }
            if character.isLetter || character.isNumber { betweenHasWord = true }
            index = raw.index(after: index)
        }
        var kept = [Bool](repeating: false, count: marked.count)
        for phrase in phrases where phrase.count <= marked.count {
            for first in 0...(marked.count - phrase.count) {
                let run = first..<(first + phrase.count)
                if run.allSatisfy({ marked[$0].stem == phrase[$0 - first] && ($0 == first || marked[$0].adjacent) }) {
                    for position in run { kept[position] = true }
                }
            }
        }
        var out = ""
        out.reserveCapacity(raw.utf8.count)
        var copied = raw.startIndex
        for (position, mark) in marked.enumerated() where !kept[position] && phraseOnly.contains(mark.stem) {
            out += raw[copied..<mark.open]
            out += raw[raw.index(after: mark.open)..<mark.close]
            copied = raw.index(after: mark.close)
        }
        out += raw[copied...]
        return (out, kept.contains(true))
    }
}
