import ACSearchAPI
import ACSearchAnalysis
import ACSearchIndex
import ACSearchTestSupport
import XCTest

final class SearcherTests: XCTestCase {
    let records = [
        SourceRecord(id: "p1", kind: "press", title: "Hai Duong inspectors recover funds", body: "Inspections in Hai Duong found land violations.",
                     date: "2023-12-27", issuer: "Vietnam News Agency", lang: "en"),
        SourceRecord(id: "p2", kind: "press", title: "Hải Dương Inspectors Recover the Funds", body: "Hai Duong inspections recovered funds.",
                     date: "2023-12-28", issuer: "Voice of Vietnam", lang: "en"),
        SourceRecord(id: "c1", kind: "conclusion", title: "Kết luận thanh tra 1843/KL-TTCP", body: "Thanh tra Chính phủ kết luận về giao đất tại Hải Dương.",
                     date: "2021-11-12", number: "1843/KL-TTCP", issuer: "Thanh tra Chính phủ", lang: "vi"),
        SourceRecord(id: "r1", kind: "regulation", title: "Regulation 67-QD/TW", body: "Regulation on provincial steering committees.",
                     date: "2022-06-02", number: "67-QĐ/TW", issuer: "Secretariat", lang: "en"),
        SourceRecord(id: "p3", kind: "press", title: "Conference in Da Nang", body: "Da Nang applied Regulation 67-QD/TW and conclusion 1843/KL-TTCP.",
                     date: "2022-08-01", issuer: "Vietnam News Agency", lang: "en"),
    ]

    func testFiltersAndDates() throws {
        let index = try IndexFixture(records)
        XCTAssertEqual(Set(try index.ids("", { $0.kind = "press" })), ["p1", "p2", "p3"])
        XCTAssertEqual(Set(try index.ids("", { $0.kind = "kết luận" })), ["c1"])
        XCTAssertEqual(Set(try index.ids("", { $0.lang = "vi" })), ["c1"])
        XCTAssertEqual(Set(try index.ids("", { $0.from = "2022-01-01"; $0.to = "2022-12-31" })), ["r1", "p3"])
        XCTAssertEqual(Set(try index.ids("date:2022-05-10..2022-08-05")), ["r1", "p3"])
        XCTAssertEqual(Set(try index.ids("date:10/5/2022..5/8/2022")), ["r1", "p3"])
        XCTAssertEqual(Set(try index.ids("year:2023")), ["p1", "p2"])
        XCTAssertEqual(Set(try index.ids("", { $0.issuer = "Vietnam News Agency" })), ["p1", "p3"])
        XCTAssertEqual(Set(try index.ids("issuer:inspectorate OR issuer:\"thanh tra\"")), ["c1"])
    }

    /// Real answers, snippets and facets included, written by hand as the encoder writes them.
    func testRealAnswersWrittenByHandAreTheEncodersBytes() throws {
        let searcher = try IndexFixture(records).searcher()
        for query in ["hai duong inspections", "\"thanh tra\"", "67-QD/TW", "", "nothing-matches-this"] {
            var request = SearchRequest(query: query)
            request.facets = ["kind", "year", "province"]
            let answer = try searcher.search(request)
            XCTAssertEqual(answer.jsonBytes, Array(try APIJSON.encoder().encode(answer)), query)
        }
    }

    func testSortNewestAndOldest() throws {
        let index = try IndexFixture(records)
        XCTAssertEqual(try index.ids("", { $0.sort = .newest }), ["p2", "p1", "p3", "r1", "c1"])
        XCTAssertEqual(try index.ids("", { $0.sort = .oldest }), ["c1", "r1", "p3", "p1", "p2"])
    }

    func testFacetsCountEveryMatch() throws {
        let index = try IndexFixture(records)
        var request = SearchRequest(query: "")
        request.facets = ["kind", "year", "lang", "province"]
        let response = try index.searcher().search(request)
        XCTAssertEqual(response.facets["kind"], [FacetValue(value: "press", count: 3), FacetValue(value: "conclusion", count: 1),
                                                 FacetValue(value: "regulation", count: 1)])
        XCTAssertEqual(response.facets["year"]?.prefix(2).map(\.count), [2, 2], "2022 and 2023, ties by value")
        XCTAssertEqual(response.facets["province"]?.first, FacetValue(value: "Hải Dương", count: 3))
        XCTAssertEqual(response.total.estimated, 5)
    }

    func testCollapseShowsOneItemPerStory() throws {
        let index = try IndexFixture(records)
        let response = try index.searcher().search(SearchRequest(query: "inspectors", collapse: true))
        XCTAssertEqual(response.hits.count, 1)
        XCTAssertEqual(response.hits.first?.collapsed, 1)
        XCTAssertEqual(try index.searcher().search(SearchRequest(query: "inspectors")).hits.count, 2)
    }

    func testPagingAndExactCounts() throws {
        let index = try IndexFixture(records)
        let page = try index.searcher().search(SearchRequest(query: "", sort: .newest, limit: 2, offset: 2, exact: true))
        XCTAssertEqual(page.hits.map(\.id), ["p3", "r1"])
        XCTAssertEqual(page.hits.map(\.rank), [3, 4])
        XCTAssertEqual(page.total, SearchResponse.Total(lower: 5, estimated: 5, upper: 5))
    }

    func testBadQueriesAreClearErrors() throws {
        let searcher = try IndexFixture(records).searcher()
        func error(_ query: String, _ configure: (inout SearchRequest) -> Void = { _ in }) -> SearchError? {
            var request = SearchRequest(query: query)
            configure(&request)
            do {
                _ = try searcher.search(request)
                return nil
            } catch let error as SearchError {
                return error
            } catch {
                XCTFail("\(error)")
                return nil
            }
        }
        func isSyntax(_ error: SearchError?) -> Bool { if case .querySyntax = error { true } else { false } }
        XCTAssertTrue(isSyntax(error("(inspection AND")))
        XCTAssertTrue(isSyntax(error("province:Atlantis")))
        XCTAssertEqual(error("province:Atlantis")?.message,
                       "unknown province \"Atlantis\" (quote names of several words: province:\"Hai Duong\")")
        XCTAssertTrue(error("number:hello")?.message.contains("not a document number") == true)
        XCTAssertTrue(isSyntax(error("kind:poem")))
        XCTAssertEqual(error("", { $0.kind = "poem" }),
                       .badFieldValue(field: "kind", message: "unknown kind \"poem\": kinds are regulation, conclusion and press"))
        XCTAssertEqual(error("", { $0.province = "Atlantis" }),
                       .badFieldValue(field: "province", message: "unknown province \"Atlantis\""))
        XCTAssertTrue(isSyntax(error("year:22")))
    }

    func testWildcardsAreBounded() throws {
        let index = try IndexFixture(records)
        XCTAssertEqual(Set(try index.ids("inspect*")), ["p1", "p2"])
        // Twelve words of one prefix, the k-th in k + 1 documents of its own: a
        // wildcard bounded to three keeps the three most frequent words (12 + 11 + 10
        // documents); unbounded, it would match all 78.
        let letters = ["b", "c", "d", "f", "g", "h", "j", "k", "m", "n", "p", "r"]
        var words: [SourceRecord] = []
        for (k, letter) in letters.enumerated() {
            for copy in 0...k { words.append(SourceRecord(id: "\(k)-\(copy)", body: "wombat\(letter) lives here")) }
        }
        let wordIndex = try IndexFixture(words)
        var limits = SearchLimits()
        limits.maxWildcardExpansion = 3
        let bounded = try Searcher(shards: [.local(path: wordIndex.path)], resources: IndexFixture.resources, limits: limits)
        let answer = try bounded.search(SearchRequest(query: "wombat*", limit: 100, exact: true))
        XCTAssertEqual(answer.total.lower, 33)
        XCTAssertEqual(Set(answer.hits.map { $0.id.split(separator: "-")[0] }), ["9", "10", "11"])
        XCTAssertEqual(try wordIndex.searcher().search(SearchRequest(query: "wombat*", limit: 100, exact: true)).total.lower, 78,
                       "the default bound (200) keeps every word")
    }

    /// A wildcard of nothing ("*" alone, ":*") is no wildcard: the rest of the
    /// query is answered (it trapped with an index out of range, scripts/fuzz).
    func testAWildcardOfNothingIsAnsweredNotATrap() throws {
        let searcher = try IndexFixture(records).searcher()
        for query in ["inspect* *", "inspect* :*"] {
            XCTAssertEqual(Set(try searcher.search(SearchRequest(query: query)).hits.map(\.id)), ["p1", "p2"], query)
        }
    }

    func testSpellingCorrectionOnlyForUnknownWords() throws {
        let searcher = try IndexFixture(records).searcher()
        XCTAssertEqual(try searcher.search(SearchRequest(query: "inspectoins Hai Duong")).correctedQuery, "inspections Hai Duong")
        XCTAssertNil(try searcher.search(SearchRequest(query: "inspections Hai Duong")).correctedQuery)
    }

    func testDocumentCitationsAndSimilar() throws {
        let searcher = try IndexFixture(records).searcher()
        let regulation = try searcher.document(id: "r1")
        XCTAssertEqual(regulation.number, "67-QĐ/TW")
        XCTAssertEqual(regulation.citedBy.map(\.id), ["p3"])
        let press = try searcher.document(id: "p3")
        XCTAssertEqual(Set(press.citesDocuments.map(\.id)), ["r1", "c1"])
        let citations = try searcher.citations(number: "67-QD/TW")
        XCTAssertEqual(citations.document?.id, "r1")
        XCTAssertEqual(citations.citedBy.map(\.id), ["p3"])
        XCTAssertThrowsError(try searcher.document(id: "nope")) { XCTAssertEqual($0 as? SearchError, .documentNotFound(id: "nope")) }
        let similar = try searcher.similar(id: "p1", request: SearchRequest())
        XCTAssertEqual(similar.hits.first?.id, "p2")
        XCTAssertFalse(similar.hits.map(\.id).contains("p1"))
    }

    func testSuggestCompletesTheLastWord() throws {
        let searcher = try IndexFixture(records).searcher()
        let suggestions = try searcher.suggest("hai inspe")
        XCTAssertTrue(suggestions.completions.contains("hai inspections"), "\(suggestions.completions)")
        XCTAssertEqual(try searcher.suggest("inspectoins").correction, "inspections")
    }

    func testReaderPicksUpNewRevisions() throws {
        let index = try IndexFixture(records)
        let searcher = try index.searcher()
        let writer = try IndexWriter(path: index.path, resources: IndexFixture.resources)
        try writer.add(SourceRecord(id: "new", body: "Brand new inspection report"))
        try writer.commit()
        XCTAssertFalse(try searcher.search(SearchRequest(query: "brand")).hits.contains { $0.id == "new" })
        XCTAssertTrue(try searcher.reopen())
        XCTAssertEqual(try searcher.search(SearchRequest(query: "brand")).hits.map(\.id), ["new"])
    }

    func testSchemaVersionIsStoredAndChecked() throws {
        let index = try IndexFixture(records)
        let statistics = try index.searcher().statistics()
        XCTAssertEqual(statistics.schemaVersion, Schema.version)
        XCTAssertEqual(statistics.kinds["press"], 3)
        XCTAssertEqual(statistics.languages["vi"], 1)
        let writer = try IndexWriter(path: index.path, resources: IndexFixture.resources)
        try writer.setMetadata("999", forKey: Schema.Metadata.schemaVersion)
        try writer.commit()
        try writer.database.close()
        XCTAssertThrowsError(try IndexWriter(path: index.path, resources: IndexFixture.resources)) {
            XCTAssertTrue("\($0)".contains("schema version 999"), "\($0)")
        }
    }

    func testSecondWriterIsToldAnotherIndexerIsRunning() throws {
        let index = try IndexFixture(records)
        let first = try IndexWriter(path: index.path, resources: IndexFixture.resources)
        XCTAssertThrowsError(try IndexWriter(path: index.path, resources: IndexFixture.resources)) {
            XCTAssertTrue("\($0)".contains("another indexer"), "\($0)")
        }
        withExtendedLifetime(first) {}
    }
}

final class InterruptedCreationTests: XCTestCase {
    /// A writer killed while creating the database leaves a folder with no iamglass;
    /// the next writer must still open it (kill -9 must not stop convergence).
    func testAFolderLeftByAnInterruptedCreationIsReused() throws {
        let index = try IndexFixture([])
        let path = index.directory.child("half")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path + "/flintlock", contents: Data())
        FileManager.default.createFile(atPath: path + "/postlist.glass", contents: Data([1, 2, 3]))
        FileManager.default.createFile(atPath: path + "/notes.txt", contents: Data("keep".utf8))
        let writer = try IndexWriter(path: path, resources: IndexFixture.resources)
        try writer.add(SourceRecord(id: "x", body: "hello"))
        try writer.commit()
        XCTAssertEqual(try writer.documentCount, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "/notes.txt"), "other files are left alone")
    }
}

final class GlossaryVersionTests: XCTestCase {
    /// A changed glossary is written into the index on the next writer's start: the
    /// synonyms follow the data under index/, versioned by its digest.
    func testAChangedGlossaryRewritesTheSynonyms() throws {
        let index = try IndexFixture([SourceRecord(id: "a", body: "thanh tra tỉnh")])
        XCTAssertFalse(try index.searcher().search(SearchRequest(query: "wombatology")).hits.contains { $0.id == "a" })
        let data = TemporaryDirectory()
        for name in AnalysisResources.requiredFiles where name != "glossary.tsv" {
            try FileManager.default.copyItem(atPath: IndexFixture.root.appendingPathComponent("index/\(name)").path,
                                             toPath: data.child(name))
        }
        let original = try String(contentsOfFile: IndexFixture.root.appendingPathComponent("index/glossary.tsv").path, encoding: .utf8)
        try (original + "inspection-science\twombatology\tthanh tra\t\n").write(toFile: data.child("glossary.tsv"), atomically: true, encoding: .utf8)
        let changed = try AnalysisResources(directory: data.path)
        let writer = try IndexWriter(path: index.path, resources: changed)
        try writer.add(SourceRecord(id: "a", body: "thanh tra tỉnh"))  // reindexed: it gets the new concept
        try writer.commit()
        let searcher = try Searcher(shards: [.local(path: index.path)], resources: changed)
        XCTAssertEqual(try searcher.search(SearchRequest(query: "wombatology")).hits.map(\.id), ["a"])
        XCTAssertEqual(try searcher.database.metadata(Schema.Metadata.glossaryVersion), changed.glossary.version)
    }
}
