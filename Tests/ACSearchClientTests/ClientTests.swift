import ACSearchAPI
import ACSearchClient
import ACSearchTestSupport
import XCTest

/// The client library against the real acsearchd over its socket: the async calls a
/// service makes and the waiting ones the CLI makes send the same requests.
final class ClientTests: XCTestCase {
    func testAsyncAndWaitingCallsGetTheSameAnswers() async throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { daemon.stop() }
        let client = ACSearchClient(socketPath: daemon.socket, timeout: 10)
        let request = SearchRequest(query: "Hai Duong inspections", limit: 5)
        let awaited = try await client.search(request)
        let waited = try client.sendWaiting(.search(request))
        XCTAssertFalse(awaited.value.hits.isEmpty)
        XCTAssertEqual(awaited.value.hits.map(\.id), waited.value.hits.map(\.id))
        XCTAssertEqual(awaited.value.places, ["Hải Dương"])
        let id = try XCTUnwrap(awaited.value.hits.first?.id)
        let document = try client.sendWaiting(.document(id: id))
        XCTAssertEqual(document.value.id, id, "an id with a slash or a space travels as one path segment")
        let status = try await client.status()
        XCTAssertGreaterThan(status.value.documents, 0)
    }

    /// A service asks for ids and fields only: the hits come without snippets, the
    /// same hits as with them; the timings say none was made.
    func testAServiceCanAskForHitsWithoutSnippets() async throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { daemon.stop() }
        let client = ACSearchClient(socketPath: daemon.socket, timeout: 10)
        let people = try await client.search(SearchRequest(query: "thanh tra", limit: 5))
        let service = try await client.search(SearchRequest(query: "thanh tra", limit: 5, snippets: false, timings: true))
        XCTAssertFalse(people.value.hits.isEmpty)
        XCTAssertTrue(people.value.hits.allSatisfy { $0.snippet != nil })
        XCTAssertNil(people.value.timings, "timings only when asked")
        XCTAssertEqual(service.value.hits.map(\.id), people.value.hits.map(\.id))
        XCTAssertTrue(service.value.hits.allSatisfy { $0.snippet == nil })
        let stages = try XCTUnwrap(service.value.timings)
        XCTAssertNotNil(stages["match"])
        XCTAssertNil(stages["snippets"])
    }

    func testFailuresSayWhatWentWrong() async throws {
        let missing = ACSearchClient(socketPath: "/tmp/acsearch-client-test-no-such.sock", timeout: 2)
        XCTAssertThrowsError(try missing.sendWaiting(.status)) { error in
            guard case .unreachable(let path, _) = error as? ClientError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "/tmp/acsearch-client-test-no-such.sock")
        }
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { daemon.stop() }
        let client = ACSearchClient(socketPath: daemon.socket, timeout: 10)
        do {
            _ = try await client.search(SearchRequest(query: "kind:novel"))
            XCTFail("an unknown kind is a bad request")
        } catch {
            guard case .answer(let answer) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(answer.status, 400)
            XCTAssertTrue(answer.message.contains("unknown kind"), answer.message)
        }
    }
}
