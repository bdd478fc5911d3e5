import ACSearchAnalysis
import Foundation
import XCTest

/// PeopleExtractor measured over a labelled set (index/eval/people.jsonl): sentences in
/// Vietnamese (with and without diacritics) and English, each with the people it names,
/// and hard negatives (places, bodies, titles, headings) that name no one. The floors
/// sit a few points under the figures measured when they were set (docs/relevance.md,
/// "People extraction"), so that a change that loses names or invents them fails here.
final class PeopleEvaluationTests: XCTestCase {
    struct Example: Decodable {
        let id: String
        let lang: String
        let text: String
        let names: [String]
    }

    static let precisionFloor = 0.95
    static let recallFloor = 0.95

    func examples() throws -> [Example] {
        let path = Repository.root.appendingPathComponent("index/eval/people.jsonl")
        let text = try String(contentsOf: path, encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").map { try decoder.decode(Example.self, from: Data($0.utf8)) }
    }

    /// The set is what it says it is: enough names in both languages, hard negatives,
    /// and every expected name written in its sentence.
    func testTheSetIsLargeEnoughAndConsistent() throws {
        let examples = try examples()
        XCTAssertGreaterThanOrEqual(examples.reduce(0) { $0 + $1.names.count }, 100)
        XCTAssertGreaterThanOrEqual(examples.filter { $0.lang == "en" }.reduce(0) { $0 + $1.names.count }, 30)
        XCTAssertGreaterThanOrEqual(examples.filter { $0.lang == "vi" }.reduce(0) { $0 + $1.names.count }, 60)
        XCTAssertGreaterThanOrEqual(examples.filter(\.names.isEmpty).count, 25, "hard negatives")
        XCTAssertEqual(Set(examples.map(\.id)).count, examples.count, "ids are unique")
        for example in examples {
            for name in example.names { XCTAssertTrue(example.text.contains(name), "\(example.id): \(name)") }
        }
    }

    func testPrecisionAndRecallStayAboveTheirFloors() throws {
        let gazetteer = Repository.resources.gazetteer
        var found = 0, correct = 0, expected = 0
        var misses: [String] = []
        for example in try examples() {
            let extracted = Set(PeopleExtractor.find(in: example.text, words: Words.split(example.text), gazetteer: gazetteer)
                .map(\.key))
            let wanted = Set(example.names.map { Folding.foldKey($0) })
            found += extracted.count
            expected += wanted.count
            correct += extracted.intersection(wanted).count
            for name in extracted.subtracting(wanted).sorted() { misses.append("\(example.id) extra: \(name)") }
            for name in wanted.subtracting(extracted).sorted() { misses.append("\(example.id) missed: \(name)") }
        }
        let precision = found == 0 ? 0 : Double(correct) / Double(found)
        let recall = expected == 0 ? 0 : Double(correct) / Double(expected)
        let figures = "people: precision \(String(format: "%.3f", precision)) (\(correct)/\(found)), "
            + "recall \(String(format: "%.3f", recall)) (\(correct)/\(expected))"
        print(figures)
        for miss in misses { print("  " + miss) }
        XCTAssertGreaterThanOrEqual(precision, Self.precisionFloor, figures + "\n" + misses.joined(separator: "\n"))
        XCTAssertGreaterThanOrEqual(recall, Self.recallFloor, figures + "\n" + misses.joined(separator: "\n"))
    }
}
