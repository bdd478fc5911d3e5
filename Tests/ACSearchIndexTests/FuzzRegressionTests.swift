import ACSearchTestSupport
import Foundation
import XCTest

/// Every input kept in Tests/Fuzz/query (the seeds and each finding of scripts/fuzz,
/// once fixed) replayed through the query path by the real acsearch-fuzz binary:
/// a crash or an error other than a clean 4xx fails.
final class FuzzRegressionTests: XCTestCase {
    func testEveryKeptFuzzInputIsAnsweredOrRefusedCleanly() throws {
        let inputs = Checkout.root.appendingPathComponent("Tests/Fuzz/query").path
        let count = try FileManager.default.contentsOfDirectory(atPath: inputs).count
        XCTAssertGreaterThan(count, 10)
        let run = try Run.process(Checkout.executable("acsearch-fuzz"), [inputs],
                                  environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("\(count) inputs replayed"), run.stdout)
        // Some are refused (bad parameters) and some answered: both paths ran.
        XCTAssertFalse(run.stdout.contains(" 0 rejected"), run.stdout)
        XCTAssertFalse(run.stdout.contains(" 0 answered"), run.stdout)
    }
}
