import Foundation
import Synchronization

/// The first step for every text, indexed or asked: Unicode NFC, and one placement
/// of Vietnamese tone marks, so that "hoà"/"hòa" and "thuỵ"/"thụy" are one word.
public enum TextNormalization {
    /// NFC with canonical tone placement.
    public static func normalize(_ text: String) -> String {
        if Folding.isASCII(text) { return text }
        return canonicalizeTonePlacement(nfc(text))
    }

    /// The same, for text already in NFC (an analysed document's title and body):
    /// composing a long body again costs as much as placing its tones.
    public static func normalize(nfc text: String) -> String {
        Folding.isASCII(text) ? text : canonicalizeTonePlacement(text)
    }

    /// NFC only (for stored text shown to people).
    public static func nfc(_ text: String) -> String {
        isCertainlyNFC(text) ? text : text.precomposedStringWithCanonicalMapping
    }

    /// Whether every scalar is one that NFC leaves alone and never composes with what
    /// comes before (ASCII, Latin below U+0300, Latin Extended Additional: FoldingTests
    /// checks all of them against Unicode's decompositions). Such text is in NFC as it
    /// is; Foundation's composition costs as much on a body that needs none.
    static func isCertainlyNFC(_ text: String) -> Bool {
        for unit in text.utf8 where unit >= 0x80 {
            return text.unicodeScalars.allSatisfy { $0.value < 0x300 || (0x1E00...0x1EFF).contains($0.value) }
        }
        return true
    }

    // Tone marks (combining forms after NFD).
    static let toneMarks: Set<UInt32> = [0x0300, 0x0301, 0x0303, 0x0309, 0x0323]
    // Vowel quality marks: circumflex, breve, horn.
    static let qualityMarks: Set<UInt32> = [0x0302, 0x0306, 0x031B]
    static let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y"]

    /// Moves each syllable's tone mark to its canonical vowel. Words without a
    /// tone mark, or that are not Vietnamese-shaped, are left as they are.
    ///
    /// Only stretches of text between ASCII non-letters that hold a non-ASCII byte can
    /// change, so those alone are walked as Characters (grapheme breaking is the
    /// expensive part); an ASCII non-letter always begins a Character of its own, or
    /// sits inside one that is not a letter, so it ends a word either way.
    static func canonicalizeTonePlacement(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var result = ""
        var copiedUpTo = scalars.startIndex
        var stretchStart = scalars.startIndex
        var stretchIsASCII = true
        func finishStretch(at end: String.Index) {
            guard !stretchIsASCII, stretchStart < end, hasTwoPlaceCluster(scalars[stretchStart..<end]) else { return }
            let stretch = String(scalars[stretchStart..<end])
            let placed = placeTones(inWordsOf: stretch)
            guard placed != stretch else { return }
            result += String(scalars[copiedUpTo..<stretchStart])
            result += placed
            copiedUpTo = end
        }
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let value = scalars[index].value
            let next = scalars.index(after: index)
            if value >= 0x80 {
                stretchIsASCII = false
            } else if !((0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)) {
                finishStretch(at: index)
                stretchStart = next
                stretchIsASCII = true
            }
            index = next
        }
        finishStretch(at: scalars.endIndex)
        guard copiedUpTo > scalars.startIndex else { return text }
        return result + String(scalars[copiedUpTo...])
    }

    /// Whether the folded, lowercased text holds "oa", "oe" or "uy": only words with
    /// one of those can have their tone moved (see `placeTone`). It reads each scalar's
    /// folded letters from a table, so it builds no String; a stretch of text that
    /// fails it has no word that `placeTone` would change.
    static func hasTwoPlaceCluster<Scalars: Sequence<Unicode.Scalar>>(_ scalars: Scalars) -> Bool {
        let table = Folding.KeyPieces.table
        var previous: UInt8 = 0
        for scalar in scalars {
            let value = scalar.value
            let piece: UInt16
            if value < UInt32(table.count) {
                piece = table[Int(value)]
            } else {
                // Beyond the table nothing folds or lowercases to a, e, o, u or y
                // (FoldingTests checks); combining marks are dropped.
                piece = Folding.isCombiningMark(value) ? Folding.KeyPieces.dropped : Folding.KeyPieces.foreign
            }
            switch piece {
            case Folding.KeyPieces.dropped: continue
            case Folding.KeyPieces.mixed: return true
            case Folding.KeyPieces.foreign: previous = 0
            default:
                let first = UInt8(truncatingIfNeeded: piece), second = UInt8(truncatingIfNeeded: piece >> 8)
                if startsTwoPlaceCluster(previous, first) { return true }
                if second == 0 {
                    previous = first
                } else {
                    if startsTwoPlaceCluster(first, second) { return true }
                    previous = second
                }
            }
        }
        return false
    }

    @inline(__always)
    private static func startsTwoPlaceCluster(_ first: UInt8, _ second: UInt8) -> Bool {
        switch (first, second) {
        case (UInt8(ascii: "o"), UInt8(ascii: "a")), (UInt8(ascii: "o"), UInt8(ascii: "e")),
             (UInt8(ascii: "u"), UInt8(ascii: "y")): return true
        default: return false
        }
    }

    /// The tone placement of every word (run of letters) of a text, walked as Characters.
    static func placeTones(inWordsOf text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var word = ""
        for character in text {
            if character.isLetter {
                word.append(character)
            } else {
                if !word.isEmpty { result += placeTone(word); word = "" }
                result.append(character)
            }
        }
        if !word.isEmpty { result += placeTone(word) }
        return result
    }

    /// One letter of a decomposed syllable: its base and its marks.
    struct Letter {
        var base: Unicode.Scalar
        var quality: [Unicode.Scalar] = []
        var isVowel: Bool { TextNormalization.vowels.contains(Character(String(base).lowercased())) }
    }

    static func placeTone(_ word: String) -> String {
        // Fast path: only words with a non-ASCII letter can carry a tone, and only the
        // clusters oa, oe and uy are written with the tone in two places (hoà/hòa,
        // khoẻ/khỏe, thuỵ/thụy); every other syllable has one accepted placement.
        if Folding.isASCII(word) || !hasTwoPlaceCluster(word.unicodeScalars) || word.count > 8 { return word }
        if let placed = placedWords.withLock({ $0[word] }) { return placed }
        let placed = placeToneOfCluster(word)
        placedWords.withLock { cache in
            if cache.count >= 50_000 { cache.removeAll(keepingCapacity: true) }
            cache[word] = placed
        }
        return placed
    }

    /// Words whose tone was placed, by their written form: a language has a few thousand
    /// syllables, and decomposing and recomposing one goes through Foundation.
    private static let placedWords = Mutex<[String: String]>([:])

    private static func placeToneOfCluster(_ word: String) -> String {
        var letters: [Letter] = []
        var tone: Unicode.Scalar? = nil
        for scalar in word.decomposedStringWithCanonicalMapping.unicodeScalars {
            if toneMarks.contains(scalar.value) {
                if tone != nil { return word }  // two tones: not a Vietnamese syllable
                tone = scalar
            } else if qualityMarks.contains(scalar.value) || (0x0300...0x036F).contains(scalar.value) {
                guard !letters.isEmpty else { return word }
                letters[letters.count - 1].quality.append(scalar)
            } else {
                letters.append(Letter(base: scalar))
            }
        }
        guard let tone, let target = toneVowelIndex(letters) else { return word }
        var scalars = String.UnicodeScalarView()
        for (index, letter) in letters.enumerated() {
            scalars.append(letter.base)
            scalars.append(contentsOf: letter.quality)
            if index == target { scalars.append(tone) }
        }
        return String(scalars).precomposedStringWithCanonicalMapping
    }

    /// Which vowel carries the tone: a vowel with a quality mark (the last one, for
    /// ươ); else the only vowel; else, with a final consonant, the last vowel; else
    /// in an open syllable the first of two vowels or the middle of three.
    static func toneVowelIndex(_ letters: [Letter]) -> Int? {
        let lower = letters.map { String($0.base).lowercased() }
        var start = 0
        // "qu" and "gi" + vowel: the u/i belongs to the initial consonant.
        if lower.count > 2, lower[0] == "q", lower[1] == "u" { start = 2 }
        if lower.count > 2, lower[0] == "g", lower[1] == "i", letters[2].isVowel { start = 2 }
        while start < letters.count, !letters[start].isVowel { start += 1 }
        var end = start
        while end < letters.count, letters[end].isVowel { end += 1 }
        guard start < end else { return nil }
        let cluster = Array(start..<end)
        if end < letters.count, letters[end...].contains(where: { $0.isVowel }) { return nil }  // not one syllable
        if let marked = cluster.last(where: { !letters[$0].quality.isEmpty }) { return marked }
        if cluster.count == 1 { return cluster[0] }
        let hasFinalConsonant = end < letters.count
        if hasFinalConsonant { return cluster.last }
        return cluster.count == 2 ? cluster[0] : cluster[1]
    }
}
