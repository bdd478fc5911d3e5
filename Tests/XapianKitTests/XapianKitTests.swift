import ACSearchTestSupport
import XCTest
@testable import XapianKit

/// A tiny index built through XapianKit alone: English stemming, a kind filter,
/// a date value, a title stored as data.
private struct Fixture {
    static let dateSlot: UInt32 = 0
    static let kindSlot: UInt32 = 1

    let directory = TemporaryDirectory("xapiankit")
    var path: String { directory.child("db") }

    static let documents: [(id: String, kind: String, date: String, text: String)] = [
        ("a", "press", "20220619", "Provincial steering committee reviews inspections in Hai Duong"),
        ("b", "conclusion", "20210304", "The inspection concluded that land was allocated wrongly"),
        ("c", "regulation", "20220602", "Regulation on the functions of provincial steering committees"),
        ("d", "press", "20230115", "Bribery case transferred to the investigation agency"),
    ]

    func build(spelling: Bool = true) throws -> WritableDatabase {
        let writer = try WritableDatabase(path: path)
        let generator = try TermGenerator()
        try generator.setStemmer(Stemmer(language: "english"))
        try generator.setStemmingStrategy(.some)
        if spelling { try generator.enableSpelling(database: writer) }
        for item in Self.documents {
            let document = try Document()
            try generator.setDocument(document)
            try generator.indexText(item.text)
            try document.addBooleanTerm("K" + item.kind)
            try document.setValue(item.date, slot: Self.dateSlot)
            try document.setValue(item.kind, slot: Self.kindSlot)
            try document.setData(Array(item.id.utf8))
            try writer.replace(uniqueTerm: "Q" + item.id, with: document)
        }
        // Synonym keys and values are terms as the parser makes them: "Z" + stem.
        try writer.addSynonym("Z" + Stemmer(language: "english").stem("bribery"), for: "Zgraft")
        try writer.commit()
        return writer
    }

    func parser(_ database: Database) throws -> QueryParser {
        let parser = try QueryParser()
        try parser.setStemmer(Stemmer(language: "english"))
        try parser.setStemmingStrategy(.some)
        try parser.setDatabase(database)
        try parser.addBooleanPrefix(field: "kind", prefix: "K")
        // A range field that is not the dates' sees every range first and passes it on.
        try parser.addRangeField(field: "") { _, _ in .notMine }
        try parser.addRangeField(field: "date:") { start, end in
            let bounds = [start.isEmpty ? "00000000" : start, end.isEmpty ? "99999999" : end].map {
                $0.replacingOccurrences(of: "-", with: "")
            }
            guard bounds.allSatisfy({ $0.count == 8 && Int($0) != nil }) else {
                return .invalid("dates are YYYY-MM-DD (got \(start)..\(end))")
            }
            do {
                return .query(try Query.valueRange(slot: Self.dateSlot, from: bounds[0], to: bounds[1]))
            } catch {
                return .invalid("\(error)")
            }
        }
        return parser
    }

    /// The top ten matches of a query string (the set keeps its database open).
    func matches(_ text: String) throws -> MatchSet {
        let database = try Database(path: path)
        let enquire = try Enquire(database: database)
        try enquire.setQuery(parser(database).parse(text))
        return try enquire.matches(maxItems: 10)
    }

    /// Ids (document data) of the hits for a query string, in rank order.
    func search(_ text: String, features: QueryParser.Features = .default,
                sort: Enquire.Sort = .relevance) throws -> [String] {
        let database = try Database(path: path)
        let enquire = try Enquire(database: database)
        try enquire.setQuery(parser(database).parse(text, features: features))
        try enquire.setSort(sort)
        let matches = try enquire.matches(maxItems: 10)
        return try (0..<matches.count).map { String(decoding: try matches.document(at: $0).data(), as: UTF8.self) }
    }
}

final class XapianKitTests: XCTestCase {
    func testShimVersionMatchesAndXapianIs14() {
        XCTAssertEqual(Xapian.shimAPIVersion, 1)
        XCTAssertTrue(Xapian.version.hasPrefix("1.4."), Xapian.version)
        XCTAssertTrue(Xapian.stemmerLanguages.contains("english"))
    }

    func testIndexAndSearchRoundTrip() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        let database = try Database(path: fixture.path)
        XCTAssertEqual(try database.documentCount, 4)
        XCTAssertEqual(try fixture.search("bribery"), ["d"])
        // Replacing by unique term does not duplicate.
        let writer = try WritableDatabase(path: fixture.path)
        let document = try Document()
        try document.setData(Array("d2".utf8))
        try document.addTerm("Z" + Stemmer(language: "english").stem("bribery"))
        try writer.replace(uniqueTerm: "Qd", with: document)
        try writer.commit()
        try database.reopen()
        XCTAssertEqual(try database.documentCount, 4)
        XCTAssertEqual(try fixture.search("bribery"), ["d2"])
        XCTAssertNotNil(try database.documentID(withTerm: "Qd"))
        XCTAssertNil(try database.documentID(withTerm: "Qnope"))
    }

    /// A set of document numbers as a filter: exactly those, whatever their order or
    /// repeats, ANDed with a query as a watch's is; number 0 is refused, not matched.
    func testDocumentSetQueryMatchesExactlyItsDocuments() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        let database = try Database(path: fixture.path)
        let numbers = try ["d", "a", "c"].map { try XCTUnwrap(try database.documentID(withTerm: "Q" + $0)) }
        func ids(_ query: Query) throws -> [String] {
            let enquire = try Enquire(database: database)
            try enquire.setQuery(query)
            let matches = try enquire.matches(maxItems: 10)
            return try (0..<matches.count).map { String(decoding: try matches.document(at: $0).data(), as: UTF8.self) }.sorted()
        }
        XCTAssertEqual(try ids(Query.documents(numbers + [numbers[0]])), ["a", "c", "d"])
        let steering = try Query.combine(.or, [Query.term("Zsteer"), Query.term("Zbriberi")])
        XCTAssertEqual(try ids(steering), ["a", "c", "d"], "the terms the filters below narrow")
        XCTAssertEqual(try ids(Query.combine(.filter, [Query.term("Zsteer"), Query.documents([numbers[0], numbers[1]])])), ["a"])
        XCTAssertEqual(try ids(Query.combine(.filter, [Query.term("Kpress"), Query.documents(numbers)])), ["a", "d"])
        XCTAssertEqual(try ids(Query.documents([])), [])
        XCTAssertThrowsError(try Query.documents([0])) { error in
            XCTAssertEqual((error as? XapianError)?.code, .invalidArgument, "\(error)")
        }
    }

    func testStemmingFindsInflectedForms() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        XCTAssertEqual(Set(try fixture.search("inspections")), ["a", "b"])
        XCTAssertEqual(try Stemmer(language: "english").stem("inspections"), "inspect")
    }

    func testPhraseSearch() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        XCTAssertEqual(Set(try fixture.search("\"steering committee\"")), ["a"])
        XCTAssertEqual(Set(try fixture.search("\"provincial steering\"")), ["a", "c"])
        XCTAssertEqual(try fixture.search("\"committee steering\""), [])
    }

    func testQueriesSayWhetherTheyNeedPositions() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        let parser = try fixture.parser(try Database(path: fixture.path))
        XCTAssertTrue(try parser.parse("\"steering committee\"").needsPositions())
        XCTAssertTrue(try parser.parse("land (\"steering committee\" OR bribery) kind:press").needsPositions(), "nested")
        XCTAssertTrue(try parser.parse("steering NEAR committee").needsPositions())
        XCTAssertFalse(try parser.parse("steering committee kind:press").needsPositions())
        XCTAssertFalse(try Query.matchAll().needsPositions())
    }

    func testSynonymPairsGiveWayToTheirPrefixedTerm() throws {
        let pair = try Query.combine(.synonym, [Query.term("Zinspect"), Query.term("XCinspection")])
        let phrase = try Query.combine(.phrase, [Query.term("Zanti"), Query.term("Zcorrupt")], window: 2)
        let several = try Query.combine(.synonym, [Query.term("Zland"), Query.term("XCland"), Query.term("XCother")])
        let both = try Query.combine(.synonym, [Query.term("XCa"), Query.term("XCb")])
        let words = try Query.combine(.synonym, [Query.combine(.and, [Query.term("Zthanh"), Query.term("Ztra")]),
                                                 Query.term("XCinspection")])
        let query = try Query.combine(.and, [pair, phrase, Query.combine(.or, [several, both, words])])
        let rewritten = try query.preferringSynonyms(withPrefix: "XC").description
        XCTAssertFalse(rewritten.contains("Zinspect"), rewritten)
        XCTAssertTrue(rewritten.contains("XCinspection"), rewritten)
        XCTAssertTrue(rewritten.contains("(Zanti PHRASE 2 Zcorrupt)"), "a phrase is kept whole: \(rewritten)")
        for kept in ["Zland", "XCother", "XCa", "XCb", "Zthanh"] { XCTAssertTrue(rewritten.contains(kept), "\(kept): \(rewritten)") }
        let untouched = try Query.term("Zland")
        XCTAssertEqual(try untouched.preferringSynonyms(withPrefix: "XC").description, untouched.description)
    }

    func testDocumentTermsFilteredByBytesAndPositionsDropped() throws {
        let document = try Document()
        try document.addPosting("steering", position: 1)
        try document.addPosting("steering", position: 4)
        try document.addPosting("Zsteer", position: 1)
        try document.addPosting("Zsteer", position: 4)
        try document.addPosting("67", position: 2)
        try document.addBooleanTerm("Kpress")
        var seen: [String] = []
        let digits = try document.terms { bytes in
            seen.append(String(decoding: bytes, as: UTF8.self))
            return bytes.first.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false
        }
        XCTAssertEqual(seen, ["67", "Kpress", "Zsteer", "steering"], "every term is offered, in order")
        XCTAssertEqual(digits.map(\.term), ["67"])

        try document.dropPositions(exceptPrefix: "Z")
        XCTAssertEqual(try document.positions(of: "steering"), [])
        XCTAssertEqual(try document.positions(of: "67"), [])
        XCTAssertEqual(try document.positions(of: "Zsteer"), [1, 4])
        let wdf = Dictionary(uniqueKeysWithValues: try document.terms().map { ($0.term, $0.wdf) })
        XCTAssertEqual(wdf, ["67": 1, "Kpress": 0, "Zsteer": 2, "steering": 2], "frequencies stay")
    }

    func testBooleanFilter() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        XCTAssertEqual(Set(try fixture.search("steering kind:press")), ["a"])
        XCTAssertEqual(Set(try fixture.search("kind:press", features: [.boolean, .pureNot])), ["a", "d"])
    }

    func testDateRange() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        XCTAssertEqual(Set(try fixture.search("date:2022-01-01..2022-12-31")), ["a", "c"])
        XCTAssertEqual(Set(try fixture.search("steering date:2022-06-10..")), ["a"])
        XCTAssertEqual(Set(try fixture.search("date:..2021-12-31")), ["b"])
        // The field's refusal is the query's error, with the field's message.
        XCTAssertThrowsError(try fixture.search("date:01/06/2022..30/06/2022")) { error in
            XCTAssertEqual((error as? XapianError)?.code, .querySyntax)
            XCTAssertTrue("\(error)".contains("dates are YYYY-MM-DD (got 01/06/2022..30/06/2022)"), "\(error)")
        }
    }

    /// Closures lent to the shim (fields, ranges, stemmers) live as long as what holds
    /// them, and no longer.
    func testTheShimLetsGoOfCallbacksWithTheirOwners() throws {
        final class Token {}
        weak var token: Token?
        do {
            let captured = Token()
            token = captured
            let parser = try QueryParser()
            try parser.addBooleanField(field: "kind") { _ in withExtendedLifetime(captured) { .nothing } }
            try parser.addRangeField(field: "date:") { _, _ in withExtendedLifetime(captured) { .notMine } }
            let stemmer = try Stemmer { word in withExtendedLifetime(captured) { word } }
            XCTAssertEqual(try stemmer.stem("inspections"), "inspections")
            XCTAssertThrowsError(try parser.parse("date:1..2"), "no range field took it")
            XCTAssertNotNil(token)
        }
        XCTAssertNil(token, "released with the parser and the stemmer")
    }

    func testValueBounds() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        let database = try Database(path: fixture.path)
        XCTAssertEqual(try database.valueBounds(slot: Fixture.dateSlot).lower, "20210304")
        XCTAssertEqual(try database.valueBounds(slot: Fixture.dateSlot).upper, "20230115")
        let unused = try database.valueBounds(slot: 9)
        XCTAssertEqual([unused.lower, unused.upper], ["", ""])
    }

    func testSortByDate() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        let newest = try fixture.search("date:2000-01-01..2030-01-01",
                                        sort: .value(slot: Fixture.dateSlot, descending: true))
        XCTAssertEqual(newest, ["d", "a", "c", "b"])
        let oldest = try fixture.search("date:2000-01-01..2030-01-01",
                                        sort: .value(slot: Fixture.dateSlot, descending: false))
        XCTAssertEqual(oldest, ["b", "c", "a", "d"])
    }

    func testSnippetHighlightsStemmedMatches() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        let matches = try fixture.matches("inspections")
        let stemmer = try Stemmer(language: "english")
        let snippet = try matches.snippet(of: Fixture.documents[1].text, stemmer: stemmer, highlight: ("[", "]"))
        XCTAssertTrue(snippet.contains("[inspection]"), snippet)
        // Without the indexing stemmer, the stemmed match is not marked.
        let plain = try matches.snippet(of: Fixture.documents[1].text, stemmer: nil, highlight: ("[", "]"))
        XCTAssertFalse(plain.contains("[inspection]"), plain)
    }

    /// The background model weighs the other words of a window by their rarity in the
    /// database: "bribery" (one document) draws an exhaustive snippet to its window.
    func testSnippetBackgroundModelIsAskedFor() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        let matches = try fixture.matches("inspection")
        let stemmer = try Stemmer(language: "english")
        let text = "Inspection found bribery transferred. " + String(repeating: "Nothing else to say here. ", count: 20)
            + "Inspection as planned so far so good so on."
        func snippet(exhaustive: Bool, backgroundModel: Bool = false) throws -> String {
            try matches.snippet(of: text, length: 40, stemmer: stemmer, highlight: ("[", "]"), exhaustive: exhaustive,
                                backgroundModel: backgroundModel)
        }
        let plain = try snippet(exhaustive: true)
        let weighed = try snippet(exhaustive: true, backgroundModel: true)
        XCTAssertTrue(plain.contains("[Inspection] as planned"), plain)
        XCTAssertTrue(weighed.contains("bribery"), weighed)
        // Not exhaustive, Xapian stops at the first window with the query's words.
        let quick = try snippet(exhaustive: false)
        XCTAssertTrue(quick.hasPrefix("[Inspection] found"), quick)
    }

    func testFacetCounts() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        let database = try Database(path: fixture.path)
        let enquire = try Enquire(database: database)
        try enquire.setQuery(Query.matchAll())
        let facet = try enquire.addFacet(slot: Fixture.kindSlot)
        _ = try enquire.matches(maxItems: 1, checkAtLeast: 100)
        let counts = Dictionary(uniqueKeysWithValues: try enquire.values(of: facet).map {
            (String(decoding: $0.value, as: UTF8.self), $0.count)
        })
        XCTAssertEqual(counts, ["press": 2, "conclusion": 1, "regulation": 1])
    }

    func testMoreLikeThisExcludesTheDocument() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        let database = try Database(path: fixture.path)
        let enquire = try Enquire(database: database)
        let source = try XCTUnwrap(try database.documentID(withTerm: "Qa"))
        let terms = try enquire.expandTerms(relevant: [source], maxTerms: 8, prefix: "Z")
        XCTAssertFalse(terms.isEmpty)
        XCTAssertTrue(terms.allSatisfy { $0.term.hasPrefix("Z") })
        let similar = try Query.combine(.andNot, [
            Query.combine(.or, try terms.map { try Query.term($0.term) }),
            Query.term("Qa"),
        ])
        try enquire.setQuery(similar)
        let matches = try enquire.matches(maxItems: 10)
        let ids = try (0..<matches.count).map { String(decoding: try matches.document(at: $0).data(), as: UTF8.self) }
        XCTAssertFalse(ids.contains("a"))
        XCTAssertEqual(ids.first, "c", "the other document about provincial steering committees")
    }

    func testSpellingSuggestion() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        let database = try Database(path: fixture.path)
        XCTAssertEqual(try database.spellingSuggestion(for: "bribary"), "bribery")
        XCTAssertEqual(try database.spellings(prefix: "insp").map(\.word), ["inspection", "inspections"])
        XCTAssertEqual(try database.spellings(prefix: "prov").map(\.frequency), [2])
        let parser = try fixture.parser(database)
        _ = try parser.parse("steerng", features: [.default, .spellingCorrection])
        XCTAssertEqual(try parser.correctedQuery(), "steering")
        // Xapian 1.4 also "corrects" words that are in the index when a neighbour is
        // as frequent ("committee" -> "committees"): acsearch's search layer therefore
        // asks for corrections only of words the index does not have.
        XCTAssertEqual(try database.spellingSuggestion(for: "committee"), "committees")
    }

    func testSynonyms() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        let database = try Database(path: fixture.path)
        XCTAssertEqual(try database.synonyms(of: "Zgraft"), ["Zbriberi"])
        XCTAssertEqual(try fixture.search("graft", features: [.default, .autoSynonyms]), ["d"])
        XCTAssertEqual(try fixture.search("graft"), [])
    }

    func testMetadataAndTransactions() throws {
        let fixture = Fixture()
        let writer = try fixture.build()
        try writer.setMetadata("3", forKey: "acsearch.schema")
        try writer.commit()
        XCTAssertEqual(try Database(path: fixture.path).metadata("acsearch.schema"), "3")
        struct Abort: Error {}
        XCTAssertThrowsError(try writer.transaction {
            try writer.delete(uniqueTerm: "Qa")
            throw Abort()
        })
        XCTAssertEqual(try Database(path: fixture.path).documentCount, 4, "a failed transaction changes nothing")
        try writer.transaction { try writer.delete(uniqueTerm: "Qa") }
        XCTAssertEqual(try Database(path: fixture.path).documentCount, 3)
    }

    func testCollapseKeepsOnePerKey() throws {
        let fixture = Fixture()
        _ = try fixture.build()
        let database = try Database(path: fixture.path)
        let enquire = try Enquire(database: database)
        try enquire.setQuery(Query.matchAll())
        try enquire.setCollapseKey(slot: Fixture.kindSlot)
        let matches = try enquire.matches(maxItems: 10)
        XCTAssertEqual(matches.count, 3)
        let press = try (0..<matches.count).first { String(decoding: try matches.collapseKey(at: $0), as: UTF8.self) == "press" }
        XCTAssertEqual(try matches.hit(at: try XCTUnwrap(press)).collapseCount, 1)
    }

    func testCustomStemmerIsUsedByTermGeneratorAndSnippets() throws {
        let directory = TemporaryDirectory()
        let writer = try WritableDatabase(path: directory.child("db"))
        // A stand-in folding stemmer: drops "ả"/"ư" marks for this test only.
        let folding = try Stemmer { word in
            word.replacingOccurrences(of: "ả", with: "a").replacingOccurrences(of: "ư", with: "u")
                .replacingOccurrences(of: "ơ", with: "o")
        }
        let generator = try TermGenerator()
        try generator.setStemmer(folding)
        try generator.setStemmingStrategy(.someFullPositions)
        let document = try Document()
        try generator.setDocument(document)
        try generator.indexText("Tỉnh Hải Dương")
        try writer.replace(uniqueTerm: "Q1", with: document)
        try writer.commit()
        let terms = Set(try document.terms().map(\.term))
        XCTAssertTrue(terms.isSuperset(of: ["hải", "dương", "Zhai", "Zduong"]), "\(terms)")

        let database = try Database(path: directory.child("db"))
        let parser = try QueryParser()
        try parser.setStemmer(folding)
        try parser.setStemmingStrategy(.allZ)
        let enquire = try Enquire(database: database)
        try enquire.setQuery(parser.parse("\"Hai Duong\""))
        XCTAssertEqual(try enquire.matches(maxItems: 10).count, 1, "phrases match on folded terms")
        // Xapian highlights a phrase only by its raw words, so snippets come from
        // the query's loose terms.
        try enquire.setQuery(parser.parse("Hai Duong"))
        let matches = try enquire.matches(maxItems: 10)
        XCTAssertEqual(matches.count, 1)
        let snippet = try matches.snippet(of: "Tỉnh Hải Dương", stemmer: folding, highlight: ("<", ">"))
        XCTAssertEqual(snippet, "Tỉnh <Hải> <Dương>")
    }
}

final class MultiValueFacetTests: XCTestCase {
    /// Each value of a multi-valued slot counts, the same whether the shim's one-pass
    /// counter (local) or Xapian's ValueCountMatchSpy (what remote shards run) counted
    /// it; several facets of one search are counted apart; a limit keeps the most
    /// frequent (ties by value).
    func testEachValueOfAMultiValuedSlotIsCountedByEitherCounter() throws {
        let directory = TemporaryDirectory()
        let writer = try WritableDatabase(path: directory.child("db"))
        let rows = [("1", "Hải Dương\u{1F}Hà Nội", "press"), ("2", "Hà Nội", "press"), ("3", "", "regulation"),
                    ("4", "\u{1F}Nghệ An\u{1F}", "press"), ("5", "Nghệ An\u{1F}Hà Nội", "conclusion")]
        for (id, provinces, kind) in rows {
            let document = try Document()
            try document.setValue(provinces, slot: 3)
            try document.setValue(kind, slot: 4)
            try writer.replace(uniqueTerm: "Q" + id, with: document)
        }
        try writer.commit()
        for remote in [false, true] {
            let enquire = try Enquire(database: try Database(path: directory.child("db")))
            try enquire.setQuery(Query.matchAll())
            let provinces = try enquire.addFacet(slot: 3, separator: 0x1F, remote: remote)
            let kinds = try enquire.addFacet(slot: 4, remote: remote)
            _ = try enquire.matches(maxItems: 0, checkAtLeast: 10)
            func counts(_ facet: Enquire.Facet, limit: Int = 0) throws -> [String] {
                try enquire.values(of: facet, limit: limit).map { "\(String(decoding: $0.value, as: UTF8.self))=\($0.count)" }
            }
            XCTAssertEqual(try counts(provinces), ["Hà Nội=3", "Nghệ An=2", "Hải Dương=1"], "remote: \(remote)")
            XCTAssertEqual(try counts(kinds), ["press=3", "conclusion=1", "regulation=1"], "remote: \(remote)")
            XCTAssertEqual(try counts(kinds, limit: 2), ["press=3", "conclusion=1"], "remote: \(remote)")
        }
    }
}

final class StemmerMemoTests: XCTestCase {
    /// The shim memoises a custom stemmer: each distinct word crosses into Swift once.
    func testEachDistinctWordIsStemmedOnce() throws {
        final class Calls { var count = 0 }
        let calls = Calls()
        let stemmer = try Stemmer { word in
            calls.count += 1
            return word.uppercased()
        }
        XCTAssertEqual(try stemmer.stem("hai"), "HAI")
        XCTAssertEqual(try stemmer.stem("hai"), "HAI")
        XCTAssertEqual(try stemmer.stem("duong"), "DUONG")
        XCTAssertEqual(calls.count, 2)
    }
}
