import ACSearchAPI
import ACSearchAnalysis
@testable import ACSearchDaemon
import ACSearchIndex
import ACSearchTestSupport
import Foundation
import Logging
import XapianKit
import XCTest

/// The router without a socket: how a URL is read, which requests need a reader,
/// and the one switch that turns every error into a status.
final class RouterTests: XCTestCase {
    static let resources = try! AnalysisResources(directory: Checkout.indexDirectory)

    /// A router whose readers count the searchers they open (none can open: there is no index).
    func router(opened: LockedArray<Int>) -> (Router, ReaderPool) {
        let pool = ReaderPool(workers: 1, maxQueue: 4, logger: Logger(label: "test")) {
            opened.append(1)
            throw SearchError.noShardAnswering(["nowhere"])
        }
        return (Router(readers: pool, gazetteer: RouterTests.resources.gazetteer, metrics: DaemonMetrics(),
                       logger: Logger(label: "test")), pool)
    }

    func testURLsAreReadWithoutASocket() throws {
        let (segments, parameters) = try Router.parse("/v1/documents/press%2Fx.md?q=hai+duong&exact&to=2022%2D01")
        XCTAssertEqual(segments, ["v1", "documents", "press/x.md"])
        XCTAssertEqual(parameters.map(\.name), ["q", "exact", "to"])
        XCTAssertEqual(parameters.map(\.value), ["hai duong", "", "2022-01"])
        XCTAssertEqual(Router.originForm("http://localhost/v1/health?x=1"), "/v1/health?x=1")
        XCTAssertEqual(Router.originForm("HTTP://localhost"), "/")
        XCTAssertThrowsError(try Router.parse("/v1/search?q=%zz")) { XCTAssertEqual(($0 as? APIError)?.status, 400) }
        XCTAssertThrowsError(try Router.parse("/v1/search?q=a%00b")) {
            XCTAssertTrue(($0 as? APIError)?.message.contains("control character") == true, "\($0)")
        }
    }

    /// A bad filter is refused where the request arrives, with the field's message:
    /// no reader is taken for it (and none is opened).
    func testBadFiltersAreAnsweredBeforeAReaderIsTaken() throws {
        let opened = LockedArray<Int>()
        let (router, pool) = router(opened: opened)
        defer { pool.shutdown() }
        let refused = [
            "/v1/search?q=x&kind=poem": "unknown kind \"poem\": kinds are regulation, conclusion and press",
            "/v1/search?province=Atlantis": "unknown province \"Atlantis\"",
            "/v1/search?lang=fr": "unknown language \"fr\": use en or vi",
            "/v1/documents/r1/similar?kind=poem": "unknown kind \"poem\": kinds are regulation, conclusion and press",
        ]
        for (uri, message) in refused {
            guard case .answered(_, let answer) = router.route(method: "GET", uri: uri) else {
                XCTFail("\(uri) was sent to a reader")
                continue
            }
            let body = try JSONDecoder().decode(ErrorResponse.self, from: Data(answer.body))
            XCTAssertEqual(answer.status, 400, uri)
            XCTAssertEqual(body.error.code, "bad_request", uri)
            XCTAssertEqual(body.error.message, message, uri)
        }
        guard case .reading = router.route(method: "GET", uri: "/v1/search?q=x&kind=press&province=hai+duong&lang=vi")
        else { return XCTFail("a good search needs a reader") }
        XCTAssertTrue(opened.values.isEmpty, "routing opened a searcher")
    }

    /// Every error, whatever layer it comes from, gets its status and code here.
    func testEveryErrorBecomesItsStatusInOneSwitch() {
        let logger = Logger(label: "test")
        let cases: [(Error, Int, String)] = [
            (SearchError.badFieldValue(field: "kind", message: "m"), 400, "bad_request"),
            (SearchError.querySyntax("m"), 400, "query_syntax"),
            (SearchError.tooCostly("m"), 400, "query_too_costly"),
            (SearchError.documentNotFound(id: "x"), 404, "not_found"),
            (SearchError.schemaMismatch(path: "db", found: "2", expected: 3), 503, "unavailable"),
            (SearchError.shardsMissing(["a"]), 503, "unavailable"),
            (SearchError.noShardAnswering(["a"]), 503, "unavailable"),
            (APIError.badRequest("m"), 400, "bad_request"),
            (ReaderPool.Overloaded(), 503, "overloaded"),
            (ReaderPool.Stopped(), 503, "unavailable"),
            (XapianError(code: .querySyntax, message: "m", operation: "o"), 400, "query_syntax"),
            (XapianError(code: .wildcard, message: "m", operation: "o"), 400, "query_syntax"),
            (XapianError(code: .opening, message: "m", operation: "o"), 503, "unavailable"),
            (XapianError(code: .network, message: "m", operation: "o"), 503, "unavailable"),
            (XapianError(code: .modified, message: "m", operation: "o"), 503, "unavailable"),
            (XapianError(code: .corrupt, message: "m", operation: "o"), 500, "internal"),
            (CocoaError(.fileNoSuchFile), 500, "internal"),
        ]
        for (error, status, code) in cases {
            let mapped = Router.apiError(for: error, logger: logger)
            XCTAssertEqual(mapped.status, status, "\(error)")
            XCTAssertEqual(mapped.code, code, "\(error)")
        }
        XCTAssertEqual(Router.apiError(for: SearchError.documentNotFound(id: "x"), logger: logger).message,
                       "no document with id \"x\"")
        XCTAssertEqual(Router.apiError(for: SearchError.shardsMissing(["a", "b"]), logger: logger).message,
                       "shards not answering: a, b (all shards are required)")
    }
}
