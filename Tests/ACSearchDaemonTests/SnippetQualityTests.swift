import ACSearchTestSupport
import Foundation
import XCTest

/// The snippets of a fixed query set (English and Vietnamese, typed with and without
/// diacritics, phrases, places, prefixes) over the sample corpus and 200 generated
/// documents of a few KB, compared with those recorded before snippets were made
/// faster (Fixtures/snippets-before.json, written by the code of that time with
/// ACSEARCH_RECORD_SNIPPETS=1). A snippet may change only to mark at least the same
/// words, at least as many times, within the same length.
final class SnippetQualityTests: XCTestCase {
    static let queries = [
        "Hai Duong inspections", "Hải Dương", "hai duong", "thanh tra đất đai", "thanh tra dat dai",
        "tham nhũng", "tham nhung", "\"Ban Chỉ đạo\"", "\"ban chi dao\"", "\"steering committee\"",
        "anti-corruption inspection", "kết luận thanh tra", "land allocation", "\"land allocation\"",
        "tài sản", "tai san", "inspect*", "điều tra", "dieu tra", "budget recovery", "procurement medical equipment",
        "province:\"Hai Duong\" inspection", "kind:press committee", "đất đai OR land",
    ]
    static let fixture = Checkout.root.appendingPathComponent("Tests/ACSearchDaemonTests/Fixtures/snippets-before.json")

    /// query → [id, snippet] in rank order.
    func snippets() throws -> [String: [[String]]] {
        let folder = TemporaryDirectory("snip")
        let db = folder.child("db")
        let index = Checkout.executable("acsearch-index")
        let environment = ["ACSEARCH_DATA": Checkout.indexDirectory]
        let sample = try Run.process(index, ["--db", db, Checkout.corpus], environment: environment)
        XCTAssertEqual(sample.status, 0, sample.stderr)
        let generated = try Run.process("/usr/bin/env", ["python3", Checkout.root.appendingPathComponent("scripts/gen-corpus").path,
                                                         "--count", "200", "--seed", "29"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let added = try Run.process(index, ["--db", db, "-"], environment: environment, stdin: Data(generated.stdout.utf8))
        XCTAssertEqual(added.status, 0, added.stderr)
        let daemon = try DaemonProcess(arguments: ["--db", db])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        var out: [String: [[String]]] = [:]
        for query in SnippetQualityTests.queries {
            let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
            let answer = try daemon.json("/v1/search?q=\(encoded)&limit=10")
            XCTAssertEqual(answer.status, 200, query)
            let hits = answer.object["hits"] as? [[String: Any]] ?? []
            out[query] = hits.map { [$0["id"] as? String ?? "", $0["snippet"] as? String ?? ""] }
        }
        return out
    }

    /// The words marked in a snippet, lower-cased, with how often each is.
    static func marked(_ snippet: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        var rest = snippet[...]
        while let open = rest.range(of: "<mark>"), let close = rest[open.upperBound...].range(of: "</mark>") {
            counts[rest[open.upperBound..<close.lowerBound].lowercased(), default: 0] += 1
            rest = rest[close.upperBound...]
        }
        return counts
    }

    /// A query that is one quoted phrase: its words, folded.
    static func phrase(of query: String) -> [String]? {
        guard query.hasPrefix("\""), query.hasSuffix("\""), query.filter({ $0 == "\"" }).count == 2 else { return nil }
        return query.dropFirst().dropLast().split(separator: " ").map { fold(String($0)) }
    }

    static func fold(_ word: String) -> String {
        word.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "d").lowercased()
    }

    /// The runs of marked words of a snippet (folded), words in one run when nothing but
    /// spaces and punctuation is between them.
    static func markedRuns(_ snippet: String) -> [[String]] {
        var runs: [[String]] = []
        var rest = snippet[...]
        var adjacent = false
        while let open = rest.range(of: "<mark>"), let close = rest[open.upperBound...].range(of: "</mark>") {
            let between = rest[..<open.lowerBound]
            if !adjacent || between.contains(where: { $0.isLetter || $0.isNumber }) { runs.append([]) }
            runs[runs.count - 1].append(fold(String(rest[open.upperBound..<close.lowerBound])))
            adjacent = true
            rest = rest[close.upperBound...]
        }
        return runs
    }

    /// The visible length of a snippet (tags and entities counted as what they show).
    static func visibleLength(_ snippet: String) -> Int {
        snippet.replacingOccurrences(of: "<mark>", with: "").replacingOccurrences(of: "</mark>", with: "")
            .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").count
    }

    func testSnippetsMarkAtLeastWhatTheyMarkedBefore() throws {
        let now = try snippets()
        if ProcessInfo.processInfo.environment["ACSEARCH_RECORD_SNIPPETS"] == "1" {
            let data = try JSONSerialization.data(withJSONObject: now, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            try data.write(to: SnippetQualityTests.fixture)
            return
        }
        let before = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: SnippetQualityTests.fixture)) as? [String: [[String]]])
        XCTAssertEqual(Set(before.keys), Set(SnippetQualityTests.queries), "the fixture is of this query set")
        var same = 0, total = 0
        for query in SnippetQualityTests.queries {
            let old = before[query] ?? [], new = now[query] ?? []
            XCTAssertFalse(old.isEmpty, "\(query) finds something")
            // Ranking is judged by scripts/relevance and may change; the snippets of the
            // documents found both times are compared document by document.
            let newByID = Dictionary(new.map { ($0[0], $0) }, uniquingKeysWith: { first, _ in first })
            let both = old.compactMap { was in newByID[was[0]].map { (was, $0) } }
            XCTAssertFalse(both.isEmpty, "\(query): none of the documents found before is found now")
            for (was, is_) in both {
                total += 1
                if was[1] == is_[1] { same += 1; continue }
                let wasMarked = SnippetQualityTests.marked(was[1]), isMarked = SnippetQualityTests.marked(is_[1])
                if let phrase = SnippetQualityTests.phrase(of: query) {
                    // A phrase's words are marked only where the phrase is (issue 23): at
                    // least as many whole phrases marked, and none of its words alone.
                    // A run is the phrase when its words are the phrase's, stemmed
                    // ("steering committees" is "steering committee").
                    func isPhrase(_ run: [String]) -> Bool {
                        run.count == phrase.count && zip(run, phrase).allSatisfy { $0.hasPrefix($1) }
                    }
                    let runs = SnippetQualityTests.markedRuns(is_[1])
                    XCTAssertGreaterThanOrEqual(runs.filter(isPhrase).count,
                                                min(SnippetQualityTests.markedRuns(was[1]).filter(isPhrase).count, 1),
                                                "\(query) \(was[0]): the phrase is no longer marked\nbefore: \(was[1])\nnow: \(is_[1])")
                    for run in runs where !isPhrase(run) {
                        XCTAssertTrue(Set(run).isDisjoint(with: phrase), "\(query) \(was[0]): \(run) marked outside the phrase: \(is_[1])")
                    }
                } else {
                    for (word, count) in wasMarked {
                        XCTAssertGreaterThanOrEqual(isMarked[word] ?? 0, min(count, 1), "\(query) \(was[0]): \(word) no longer marked\nbefore: \(was[1])\nnow: \(is_[1])")
                    }
                    XCTAssertGreaterThanOrEqual(isMarked.values.reduce(0, +), wasMarked.values.reduce(0, +),
                                                "\(query) \(was[0]): fewer marks\nbefore: \(was[1])\nnow: \(is_[1])")
                }
                XCTAssertLessThanOrEqual(SnippetQualityTests.visibleLength(is_[1]), max(SnippetQualityTests.visibleLength(was[1]), 262),
                                         "\(query) \(was[0]): longer")
            }
        }
        print("snippets unchanged: \(same) of \(total)")
    }
}
