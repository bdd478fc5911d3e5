import ACSearchTestSupport
import Foundation
import XCTest

/// The query language as a new user meets it (issue 23): numbers typed in every
/// spelling, negations alone, wildcards, dates, phrases, spelling and snippets,
/// through the real acsearchd over the relevance set's documents.
final class QueryLanguageTests: XCTestCase {
    nonisolated(unsafe) static var daemon: DaemonProcess!

    override class func setUp() {
        super.setUp()
        daemon = try! DaemonProcess(arguments: ["--db", EvalIndex.path])
    }

    override class func tearDown() {
        XCTAssertEqual(daemon.stop(), 0, daemon.logText)
        daemon = nil
        super.tearDown()
    }

    func search(_ query: String, _ extra: String = "") throws -> (status: Int, object: [String: Any]) {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        return try Self.daemon.json("/v1/search?q=\(encoded)&limit=20\(extra)")
    }

    func hits(_ query: String, _ extra: String = "") throws -> [[String: Any]] {
        let answer = try search(query, extra)
        XCTAssertEqual(answer.status, 200, "\(query): \(answer.object)")
        return answer.object["hits"] as? [[String: Any]] ?? []
    }

    func ids(_ query: String, _ extra: String = "") throws -> [String] {
        try hits(query, extra).compactMap { $0["id"] as? String }
    }

    // MARK: - Numbers

    /// reg-01 (Vietnamese) and reg-02 (English, its number only in its front matter)
    /// are 67-QĐ/TW; reg-26, pen-05 and others cite it.
    func testANumberTypedInAnySpellingFindsTheDocumentThatIsItFirst() throws {
        for query in ["67-QD/TW", "67-QĐ/TW", "67/QĐ-TW", "\"67 QĐ/TW\"", "67QĐ/TW", "Quy định 67-QĐ/TW"] {
            let found = try ids(query)
            XCTAssertEqual(Set(found.prefix(2)), ["reg-01", "reg-02"], "\(query): \(found)")
        }
        // A conclusion whose number is only in its metadata, above the press items citing it.
        for query in ["215/KL-TTr", "215/KL-TTR"] {
            let found = try ids(query)
            XCTAssertEqual(Set(found.prefix(2)), ["con-01", "con-02"], "\(query): \(found)")
        }
    }

    func testTheFieldsTakeTheSameSpellingsAsPlainText() throws {
        for query in ["number:67-QD/TW", "number:67/QĐ-TW", "number:\"67 QĐ/TW\"", "number:67QĐ/TW"] {
            XCTAssertEqual(Set(try ids(query)), ["reg-01", "reg-02"], query)
        }
        let citing = Set(try ids("cites:67-QD/TW"))
        XCTAssertFalse(citing.isEmpty)
        for query in ["cites:67/QĐ-TW", "cites:\"67 QĐ/TW\"", "cites:67QĐ/TW"] {
            XCTAssertEqual(Set(try ids(query)), citing, query)
        }
        // Press items that wrote it "67/QĐ-TW" and "67 QĐ/TW" cite it too.
        XCTAssertTrue(citing.isSuperset(of: ["pvi-05", "pvi-43"]), "\(citing.sorted())")
        XCTAssertEqual(Set(try ids("number:215/KL-TTr")), ["con-01", "con-02"])
        // A document's page lists the same citing documents, and what it cites.
        let page = try Self.daemon.json("/v1/documents/reg-01").object
        let citedBy = Set((page["cited_by"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        XCTAssertEqual(citedBy, citing.subtracting(["reg-01", "reg-02"]), "\(page["cited_by"] ?? "")")
    }

    // MARK: - Sharp edges

    func total(_ query: String, _ extra: String = "") throws -> Int {
        let answer = try search(query, extra + "&exact=true")
        XCTAssertEqual(answer.status, 200, "\(query): \(answer.object)")
        return (answer.object["total"] as? [String: Any])?["lower"] as? Int ?? -1
    }

    func testAQueryOfNegationsAloneReturnsTheDocumentsWithoutThem() throws {
        let all = try total("")
        XCTAssertEqual(all, 159)
        for (negated, positive) in [("-kind:press", "kind:press"), ("-đất", "đất"), ("-dat -\"Ban Chỉ đạo\"", "dat OR \"Ban Chỉ đạo\"")] {
            let without = Set(try ids(negated, "&limit=100"))
            let having = Set(try ids(positive, "&limit=100"))
            XCTAssertFalse(having.isEmpty, positive)
            XCTAssertTrue(without.isDisjoint(with: having), "\(negated) returned documents with it: \(without.intersection(having).sorted())")
            XCTAssertEqual(try total(negated) + (try total(positive)), all, negated)
        }
        // Filters still apply.
        XCTAssertTrue(try hits("-đất", "&kind=regulation&limit=100").allSatisfy { $0["kind"] as? String == "regulation" })
    }

    func testWildcardsFoldDiacritics() throws {
        let exact = Set(try ids("kiểm", "&limit=100"))
        XCTAssertFalse(exact.isEmpty)
        for query in ["kiem*", "kiểm*", "KIEM*"] {
            let found = Set(try ids(query, "&limit=100"))
            XCTAssertTrue(found.isSuperset(of: exact), "\(query) misses \(exact.subtracting(found).sorted())")
        }
        // Words as written still expand: the stem of "inspections" is "inspect".
        XCTAssertFalse(try ids("inspection*").isEmpty)
    }

    func testADateIsThatYearOrThatDayAndJunkIsRefused() throws {
        let year = Set(try ids("year:2022", "&limit=100"))
        XCTAssertFalse(year.isEmpty)
        XCTAssertEqual(Set(try ids("date:2022", "&limit=100")), year)
        let day = try hits("date:2022-06-02", "&limit=100")
        XCTAssertTrue(day.contains { $0["id"] as? String == "reg-01" }, "\(day)")
        XCTAssertTrue(day.allSatisfy { $0["date"] as? String == "2022-06-02" }, "\(day.map { $0["date"] ?? "" })")
        XCTAssertEqual(Set(try ids("date:2/6/2022", "&limit=100")), Set(day.compactMap { $0["id"] as? String }))
        for junk in ["date:junk", "date:2022-13-40", "tham nhũng date:soon"] {
            let answer = try search(junk)
            XCTAssertEqual(answer.status, 400, "\(junk): \(answer.object)")
            let message = (answer.object["error"] as? [String: Any])?["message"] as? String ?? ""
            XCTAssertTrue(message.contains("date"), "\(junk): \(message)")
        }
    }

    func testAPhraseReachesTheGlossary() throws {
        let unquoted = Set(try ids("steering committee", "&limit=100"))
        let quoted = Set(try ids("\"steering committee\"", "&limit=100"))
        // Vietnamese documents about the Ban Chỉ đạo, as the words unquoted find them.
        XCTAssertTrue(quoted.contains("reg-01"), "\(quoted.sorted())")
        XCTAssertEqual(quoted, unquoted)
        XCTAssertTrue(Set(try ids("\"ban chỉ đạo\"", "&limit=100")).contains("reg-02"))
        // With other words: still ANDed with them.
        let both = Set(try ids("\"steering committee\" Hải Dương", "&limit=100"))
        XCTAssertFalse(both.isEmpty)
        XCTAssertTrue(both.isSubset(of: quoted))
    }

    func testSpellingKeepsDiacriticsAndLeavesAPrefixBeingTyped() throws {
        XCTAssertEqual(try search("tham nhũg").object["corrected_query"] as? String, "tham nhũng")
        XCTAssertEqual(try search("tham nhug").object["corrected_query"] as? String, "tham nhung")
        let suggest = try Self.daemon.json("/v1/suggest?q=insp")
        XCTAssertEqual(suggest.status, 200)
        XCTAssertNil(suggest.object["correction"] as? String, "\(suggest.object)")
        let completions = suggest.object["completions"] as? [String] ?? []
        XCTAssertFalse(completions.isEmpty)
        XCTAssertTrue(completions.allSatisfy { $0.hasPrefix("insp") }, "\(completions)")
        // An earlier word is still corrected.
        let earlier = try Self.daemon.json("/v1/suggest?q=tham%20nh%C5%A9g%20insp")
        XCTAssertEqual(earlier.object["correction"] as? String, "tham nhũng insp", "\(earlier.object)")
    }

    func testAWildcardCutAtItsLimitSaysSo() throws {
        let folder = TemporaryDirectory("cfg")
        let daemon = try DaemonProcess(arguments: ["--db", EvalIndex.path, "--config",
                                                   folder.write("acsearch.toml", "max_wildcard_expansion = 3\n")])
        defer { XCTAssertEqual(daemon.stop(), 0, daemon.logText) }
        let cut = try daemon.json("/v1/search?q=t*&limit=5")
        XCTAssertEqual(cut.status, 200)
        XCTAssertEqual((cut.object["total"] as? [String: Any])?["exact"] as? Bool, false, "\(cut.object)")
        let notes = cut.object["notes"] as? [String] ?? []
        XCTAssertEqual(notes.count, 1, "\(notes)")
        XCTAssertTrue(notes.first?.contains("t* matches more than 3 words") == true, "\(notes)")
        // A wildcard within its limit: exact, nothing to say.
        let whole = try daemon.json("/v1/search?q=kho%C3%A1ng*&limit=5")
        XCTAssertEqual(whole.status, 200)
        XCTAssertEqual(whole.object["notes"] as? [String], [], "\(whole.object)")
        XCTAssertEqual((whole.object["total"] as? [String: Any])?["exact"] as? Bool, true, "\(whole.object)")
    }

    /// The marked words of each hit's snippet, lowercased.
    func marked(_ query: String, _ extra: String = "") throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for hit in try hits(query, extra) {
            let snippet = hit["snippet"] as? String ?? ""
            var words: [String] = []
            var rest = Substring(snippet)
            while let open = rest.range(of: "<mark>"), let close = rest[open.upperBound...].range(of: "</mark>") {
                words.append(rest[open.upperBound..<close.lowerBound].lowercased())
                rest = rest[close.upperBound...]
            }
            result[hit["id"] as? String ?? ""] = words
        }
        return result
    }

    func testSnippetsMarkNumberPersonAndWildcardMatches() throws {
        // A number typed without its hyphen marks the number as the text writes it.
        let number = try marked("67QĐ/TW")
        XCTAssertTrue(number["reg-26"]?.contains("67") == true && number["reg-26"]?.contains("qđ") == true, "\(number)")
        // person: marks the name.
        let person = try marked("person:\"Lê Quang Vinh\"")
        XCTAssertFalse(person.isEmpty)
        XCTAssertTrue(person.values.allSatisfy { $0.contains("vinh") }, "\(person)")
        // A folded wildcard marks the words it matched.
        let wildcard = try marked("kiem*")
        XCTAssertFalse(wildcard.isEmpty)
        XCTAssertTrue(wildcard.values.allSatisfy { $0.contains { $0.hasPrefix("kiểm") || $0.hasPrefix("kiem") } }, "\(wildcard)")
    }

    // MARK: - Words typed together

    /// reg-32 says "Điều 1 … thanh tra" and never "điều tra"; reg-36 "tài nguyên …
    /// khoáng sản" and never "tài sản": scattered syllables rank below the word.
    func testSyllablesTypedTogetherRankTheDocumentsWritingThemTogetherFirst() throws {
        for (query, word, scattered) in [("điều tra", "điều tra", "reg-32"), ("dieu tra", "điều tra", "reg-32"),
                                         ("tài sản", "tài sản", "reg-36"), ("tai san", "tài sản", "reg-36")] {
            let found = try ids(query)
            XCTAssertFalse(found.prefix(5).contains(scattered), "\(query): \(found)")
            for id in found.prefix(5) {
                let document = try Self.daemon.json("/v1/documents/\(id)").object
                let text = ((document["title"] as? String ?? "") + " " + (document["body"] as? String ?? "")).lowercased()
                XCTAssertTrue(text.contains(word), "\(query): \(id) does not write \"\(word)\"")
            }
        }
    }
}

/// Snippets mark a phrase's words only where the phrase is (issue 23), through the real
/// indexer and acsearchd: the hit's snippet and the web page's document view.
final class PhraseHighlightTests: XCTestCase {
    func testAPhrasesWordsAreMarkedOnlyWhereThePhraseIs() throws {
        let work = TemporaryDirectory("phrase-marks")
        _ = work.write("src/land.md", """
            # Land allocation in Hai Duong

            The land register was reviewed. Land prices rose, and the allocation of budget funds was late.
            Inspectors found that land allocations to three firms broke the rules.
            """)
        _ = work.write("src/other.md", "# Budget\n\nThe allocation of land is reviewed each year.\n")
        let db = work.child("db")
        let run = try Run.process(Checkout.executable("acsearch-index"), ["--db", db, work.child("src")],
                                  environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        XCTAssertEqual(run.status, 0, run.stderr)
        let daemon = try DaemonProcess(arguments: ["--db", db])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        func snippet(_ query: String) throws -> String {
            let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let answer = try daemon.json("/v1/search?q=\(encoded)")
            let hits = answer.object["hits"] as? [[String: Any]] ?? []
            XCTAssertEqual(hits.compactMap { $0["id"] as? String }, ["land.md"], "\(query): \(answer.object)")
            return hits.first?["snippet"] as? String ?? ""
        }

        let phrase = try snippet("\"land allocation\"")
        XCTAssertTrue(phrase.contains("<mark>Land</mark> <mark>allocation</mark>")
                      || phrase.contains("<mark>land</mark> <mark>allocations</mark>"), phrase)
        XCTAssertFalse(phrase.contains("<mark>Land</mark> prices") || phrase.contains("The <mark>land</mark> register")
                       || phrase.contains("the <mark>allocation</mark> of"), "a word of the phrase alone: \(phrase)")
        // A word typed outside the phrase is marked wherever it is.
        let mixed = try snippet("land \"land allocation\"")
        XCTAssertTrue(mixed.contains("<mark>land</mark> register") || mixed.contains("<mark>Land</mark> prices"), mixed)
        XCTAssertFalse(mixed.contains("the <mark>allocation</mark> of"), mixed)

        let page = try daemon.get("/doc/land.md?q=%22land+allocation%22").body
        XCTAssertTrue(page.contains("<mark>land</mark> <mark>allocations</mark>"), page)
        XCTAssertTrue(page.contains("The land register") && page.contains("Land prices"), "unmarked where alone: \(page)")
    }
}
