import ACSearchTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A search costs what was asked for: the real acsearchd over the sample corpus says
/// how long each stage took when asked (and in /metrics always), leaves out snippets,
/// spelling, facets and the timeline unless they are wanted, and shows that it did
/// so in its timings.
final class SearchCostTests: XCTestCase {
    /// The status, the headers (names in lower case) and the JSON of a GET.
    func exchange(_ daemon: DaemonProcess, _ path: String) throws -> (status: Int, headers: [String: String], object: [String: Any]) {
        let descriptor = try Raw.connect(daemon.socket)
        defer { close(descriptor) }
        _ = Raw.send(descriptor, Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8))
        let response = String(decoding: Raw.readAll(descriptor), as: UTF8.self)
        let (status, body) = Raw.parse(response)
        var headers: [String: String] = [:]
        for line in (response.components(separatedBy: "\r\n\r\n").first ?? "").components(separatedBy: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        return (status, headers, object)
    }

    func stages(_ answer: (status: Int, headers: [String: String], object: [String: Any])) -> Set<String> {
        Set((answer.object["timings"] as? [String: Any])?.keys.map { $0 } ?? [])
    }

    func testEachStageIsTimedWhenAskedAndAlwaysInMetrics() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path, "--cache-mib", "0"])  // every search runs
        defer { XCTAssertEqual(daemon.stop(), 0) }

        let plain = try exchange(daemon, "/v1/search?q=Hai+Duong+inspections")
        XCTAssertEqual(plain.status, 200)
        XCTAssertNil(plain.object["timings"], "no timings unless asked")
        XCTAssertNil(plain.headers["server-timing"])

        let timed = try exchange(daemon, "/v1/search?q=Hai+Duong+inspections&timings=true")
        XCTAssertEqual(timed.status, 200)
        let timings = try XCTUnwrap(timed.object["timings"] as? [String: Double], "\(timed.object)")
        XCTAssertEqual(Set(timings.keys), ["prepare", "match", "hits", "snippets"],
                       "many matches: no spelling; no facets or timeline unless asked")
        XCTAssertTrue(timings.values.allSatisfy { $0 >= 0 })
        let header = try XCTUnwrap(timed.headers["server-timing"])
        for stage in ["prepare", "match", "hits", "snippets", "encode"] {
            XCTAssertTrue(header.contains("\(stage);dur="), header)
        }
        XCTAssertFalse(header.contains("spelling"), header)

        let faceted = try exchange(daemon, "/v1/search?q=Hai+Duong+inspections&timings=true&facets=kind,year,month")
        XCTAssertTrue(stages(faceted).isSuperset(of: ["facets", "timeline"]), "\(stages(faceted))")
        let timeline = try exchange(daemon, "/v1/search?q=Hai+Duong+inspections&timings=true&facets=year,month")
        XCTAssertTrue(stages(timeline).contains("timeline"))
        XCTAssertFalse(stages(timeline).contains("facets"), "the timeline alone reads no other facet")

        let metrics = try daemon.get("/metrics").body
        for stage in ["prepare", "match", "hits", "snippets", "encode", "facets", "timeline"] {
            let line = metrics.split(separator: "\n").first {
                $0.hasPrefix("acsearch_search_stage_duration_seconds_count{") && $0.contains("stage=\"\(stage)\"")
            }
            let count = line.flatMap { $0.split(separator: " ").last }.flatMap { Int($0) }
            XCTAssertGreaterThan(count ?? 0, 0, "\(stage) in /metrics: \(line ?? "absent")")
        }
        XCTAssertEqual(try exchange(daemon, "/v1/search?q=x&timings=maybe").status, 400)
    }

    func testSnippetsFalseLeavesThemOutAndDoesNotMakeThem() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path, "--cache-mib", "0"])  // every search runs
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let with = try exchange(daemon, "/v1/search?q=thanh+tra&timings=true&limit=20")
        let without = try exchange(daemon, "/v1/search?q=thanh+tra&timings=true&limit=20&snippets=false")
        XCTAssertEqual(without.status, 200)
        let withHits = try XCTUnwrap(with.object["hits"] as? [[String: Any]])
        let withoutHits = try XCTUnwrap(without.object["hits"] as? [[String: Any]])
        XCTAssertGreaterThan(withHits.count, 1)
        XCTAssertEqual(withoutHits.map { $0["id"] as? String }, withHits.map { $0["id"] as? String }, "the same hits")
        XCTAssertTrue(withHits.allSatisfy { ($0["snippet"] as? String)?.isEmpty == false })
        XCTAssertTrue(withoutHits.allSatisfy { $0["snippet"] == nil && $0["title"] is String })
        XCTAssertTrue(stages(with).contains("snippets"))
        XCTAssertEqual(stages(without), ["prepare", "match", "hits"], "no snippet was made")
        let similar = try exchange(daemon, "/v1/documents/press%2Fhai-duong-inspections-2023-results.md/similar?snippets=false")
        XCTAssertEqual(similar.status, 200, "\(similar.object)")
        XCTAssertTrue((similar.object["hits"] as? [[String: Any]] ?? []).allSatisfy { $0["snippet"] == nil })
    }

    func testSpellingIsLookedForOnlyWhenItCanHelpOrAsked() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path, "--cache-mib", "0"])  // every search runs
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let misspelt = try exchange(daemon, "/v1/search?q=inspectoins+Hai+Duong&timings=true")
        XCTAssertEqual(misspelt.object["corrected_query"] as? String, "inspections Hai Duong")
        XCTAssertTrue(stages(misspelt).contains("spelling"))
        let found = try exchange(daemon, "/v1/search?q=inspections&timings=true")
        XCTAssertGreaterThan((found.object["total"] as? [String: Any])?["lower"] as? Int ?? 0, 5)
        XCTAssertFalse(stages(found).contains("spelling"), "its words were found")
        let asked = try exchange(daemon, "/v1/search?q=inspections&timings=true&spelling=true")
        XCTAssertTrue(stages(asked).contains("spelling"))
        let refused = try exchange(daemon, "/v1/search?q=inspectoins+Hai+Duong&timings=true&spelling=false")
        XCTAssertFalse(stages(refused).contains("spelling"))
        XCTAssertTrue(refused.object["corrected_query"] is NSNull)
    }
}

/// Repeats come from a bounded cache keyed by the request and the index revision:
/// the real acsearchd, with the real acsearch-index adding a document under it.
final class ResultCacheTests: XCTestCase {
    func counter(_ metrics: String, _ name: String) -> Double {
        metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) } ?? -1
    }

    /// A daemon with a result cache over an index of one document about procurement,
    /// and what indexes a second one under it.
    func cachedIndex(_ name: String) throws -> (DaemonProcess, addSecond: () throws -> Void) {
        let folder = TemporaryDirectory(name)
        let db = folder.child("db"), inbox = folder.child("inbox")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try "Hai Duong inspectors recover funds\n\nThe provincial inspectorate reported on procurement.\n"
            .write(toFile: inbox + "/first.md", atomically: true, encoding: .utf8)
        let index = Checkout.executable("acsearch-index")
        let environment = ["ACSEARCH_DATA": Checkout.indexDirectory]
        XCTAssertEqual(try Run.process(index, ["--db", db, inbox], environment: environment).status, 0)
        let daemon = try DaemonProcess(arguments: ["--db", db, "--cache-mib", "1"])
        return (daemon, {
            withExtendedLifetime(folder) {}
            try "Procurement of medical equipment\n\nA second conclusion on procurement.\n"
                .write(toFile: inbox + "/second.md", atomically: true, encoding: .utf8)
            XCTAssertEqual(try Run.process(index, ["--db", db, inbox], environment: environment).status, 0)
        })
    }

    func testRepeatsComeFromTheCacheUntilTheIndexChanges() throws {
        let (daemon, addSecond) = try cachedIndex("cache")
        defer { XCTAssertEqual(daemon.stop(), 0) }

        let first = try daemon.json("/v1/search?q=procurement&timings=true")
        XCTAssertEqual((first.object["hits"] as? [[String: Any]])?.count, 1)
        XCTAssertNotNil((first.object["timings"] as? [String: Any])?["match"])
        // The same request written otherwise (parameters in another order, timings off) is the same request.
        let plain = try daemon.get("/v1/search?limit=10&q=procurement")
        let again = try daemon.json("/v1/search?q=procurement&timings=true")
        XCTAssertEqual(Set((again.object["timings"] as? [String: Any])?.keys.map { $0 } ?? []), ["cache"], "answered from the cache: no match ran")
        XCTAssertEqual((again.object["hits"] as? [[String: Any]])?.count, 1)
        XCTAssertEqual(plain.status, 200)
        var metrics = try daemon.get("/metrics").body
        XCTAssertEqual(counter(metrics, "acsearch_search_cache_hits_total"), 2, metrics)
        XCTAssertEqual(counter(metrics, "acsearch_search_cache_misses_total"), 1)
        XCTAssertGreaterThan(counter(metrics, "acsearch_search_cache_bytes"), 0)
        XCTAssertEqual(counter(metrics, "acsearch_search_cache_hit_ratio"), 666)

        // A new document: the next answers are of the new revision, never the cached one.
        try addSecond()
        let seen = waitUntil(timeout: 10) {
            ((try? daemon.json("/v1/search?q=procurement").object["hits"] as? [[String: Any]])??.count ?? 0) == 2
        }
        XCTAssertTrue(seen, "the added document is in the next answers")
        metrics = try daemon.get("/metrics").body
        XCTAssertEqual(counter(metrics, "acsearch_search_cache_entries"), 1, "the old revision's answers were dropped")
    }

    func testNoCacheWhenConfiguredOffAndTheBoundIsKept() throws {
        let off = try DaemonProcess(arguments: ["--db", SampleIndex.path, "--cache-mib", "0"])
        for _ in 0..<3 { XCTAssertEqual(try off.get("/v1/search?q=thanh+tra").status, 200) }
        XCTAssertEqual(counter(try off.get("/metrics").body, "acsearch_search_cache_hits_total"), 0)
        XCTAssertEqual(off.stop(), 0)
        XCTAssertNotEqual(try Run.process(Checkout.executable("acsearchd"), ["--db", SampleIndex.path, "--cache-mib", "-1", "--check-config"]).status, 0)

        // A quarter MiB holds a few dozen pages of ten hits: many distinct queries stay under it.
        let small = try DaemonProcess(arguments: ["--db", SampleIndex.path, "--cache-mib", "0.25"])
        defer { XCTAssertEqual(small.stop(), 0) }
        for page in 0..<40 { XCTAssertEqual(try small.get("/v1/search?q=&limit=100&offset=\(page)").status, 200) }
        let metrics = try small.get("/metrics").body
        XCTAssertGreaterThan(counter(metrics, "acsearch_search_cache_bytes"), 0)
        XCTAssertLessThanOrEqual(counter(metrics, "acsearch_search_cache_bytes"), 0.25 * 1_048_576)
        XCTAssertLessThan(counter(metrics, "acsearch_search_cache_entries"), 40, "older answers were let go")
    }
}

extension ResultCacheTests {
    /// The web page's results come from the same cache as the API's, under the same key
    /// (the page's search is the API's search with the page's facets), and never from an
    /// older revision than the reader's.
    func testTheWebPageSharesTheCacheAndSeesNewDocuments() throws {
        let (daemon, addSecond) = try cachedIndex("web-cache")
        defer { XCTAssertEqual(daemon.stop(), 0) }

        func page() throws -> String { try daemon.get("/?q=procurement&ui=en").body }
        let first = try page()
        XCTAssertTrue(first.contains("<strong>1</strong> document"), first)
        XCTAssertEqual(try page(), first)
        var metrics = try daemon.get("/metrics").body
        XCTAssertEqual(counter(metrics, "acsearch_search_cache_misses_total"), 1, metrics)
        XCTAssertEqual(counter(metrics, "acsearch_search_cache_hits_total"), 1, "the second page came from the cache")
        // The API asking what the page asked (its facets, in any order) is answered from it too.
        let api = try daemon.json("/v1/search?q=procurement&facets=lang,kind,province,year,month,issuer&timings=true")
        XCTAssertEqual(Set((api.object["timings"] as? [String: Any])?.keys.map { $0 } ?? []), ["cache"], "\(api.object)")

        try addSecond()
        let seen = waitUntil(timeout: 10) { ((try? page()) ?? "").contains("<strong>2</strong> documents") }
        let latest = (try? page()) ?? ""
        XCTAssertTrue(seen, "the page shows the added document: \(latest)")
        metrics = try daemon.get("/metrics").body
        XCTAssertGreaterThanOrEqual(counter(metrics, "acsearch_search_cache_misses_total"), 2)
    }
}
