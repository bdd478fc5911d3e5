import ACSearchTestSupport
import Foundation
import XCTest

/// docs/openapi.yaml is checked against what the real daemon answers.
final class OpenAPITests: XCTestCase {
    func testRealAnswersMatchTheOpenAPIDocument() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let answers = TemporaryDirectory("oas")
        let conference = "press%2Fvna-2023-06-19-provincial-steering-committees-one-year.md"
        let cases: [(schema: String, path: String, status: Int)] = [
            ("SearchResponse", "/v1/search?q=Hai+Duong+inspections&facets=kind,province,year,month,issuer,lang", 200),
            ("SearchResponse", "/v1/search?q=inspectoins&exact=true", 200),
            ("SearchResponse", "/v1/search?q=thanh+tra&snippets=false&timings=true&spelling=true&facets=kind,year", 200),
            ("SearchResponse", "/v1/search?q=&kind=press&collapse=true&sort=newest&limit=3&offset=1", 200),
            ("SearchResponse", "/v1/documents/\(conference)/similar?limit=3", 200),
            ("DocumentResponse", "/v1/documents/\(conference)", 200),
            ("DocumentResponse", "/v1/documents/regulations%2Fqd-67-2022-ban-chi-dao-cap-tinh.md", 200),
            ("CitationsResponse", "/v1/citations/67-QD%2FTW", 200),
            ("CitationsResponse", "/v1/citations/999-QD%2FTW", 200),
            ("SuggestResponse", "/v1/suggest?q=hai+insp", 200),
            ("StatusResponse", "/v1/status", 200),
            ("HealthResponse", "/v1/health", 200),
            ("ErrorResponse", "/v1/search?q=AND+OR", 400),
            ("ErrorResponse", "/v1/search?limit=9999", 400),
            ("ErrorResponse", "/v1/documents/nope", 404),
            ("ErrorResponse", "/v1/nowhere", 404),
        ]
        var arguments = [Checkout.root.appendingPathComponent("docs/openapi.yaml").path]
        for (index, item) in cases.enumerated() {
            let answer = try daemon.get(item.path)
            XCTAssertEqual(answer.status, item.status, item.path)
            arguments += [item.schema, answers.write("\(index).json", answer.body)]
        }
        let check = try Run.process("/usr/bin/env", ["python3", Checkout.root.appendingPathComponent("scripts/check-openapi").path] + arguments)
        XCTAssertEqual(check.status, 0, check.stderr + check.stdout)
        XCTAssertTrue(check.stdout.contains("0 problems"), check.stdout)
    }
}
