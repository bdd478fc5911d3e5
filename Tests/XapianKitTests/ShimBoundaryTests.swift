import Foundation
import XCTest

/// The shim's promises, checked on its sources: a plain C header, and no exception
/// able to leave an `extern "C"` function.
final class ShimBoundaryTests: XCTestCase {
    static let shim = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/CXapian")

    func testHeaderIsPlainC() throws {
        let header = ShimBoundaryTests.shim.appendingPathComponent("include/cxapian.h").path
        let compiler = Process()
        compiler.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compiler.arguments = ["cc", "-std=c99", "-Wall", "-Werror", "-pedantic", "-fsyntax-only", "-x", "c", header]
        let errors = Pipe()
        compiler.standardError = errors
        try compiler.run()
        compiler.waitUntilExit()
        XCTAssertEqual(compiler.terminationStatus, 0, String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        // Outside comments (which may name Xapian's C++ classes), no C++ at all.
        var text = try String(contentsOfFile: header, encoding: .utf8)
        while let open = text.range(of: "/*"), let close = text.range(of: "*/", range: open.upperBound..<text.endIndex) {
            text.removeSubrange(open.lowerBound..<close.upperBound)
        }
        text = text.split(separator: "\n").map { $0.components(separatedBy: "//")[0] }.joined(separator: "\n")
        for cxx in ["namespace", "class ", "template", "std::", "Xapian::"] {
            XCTAssertFalse(text.contains(cxx), "the header mentions \(cxx)")
        }
    }

    /// Every entry point runs its body inside `guard(...)` or a try/catch, except
    /// these, which cannot throw: destructors, version strings, free(), and
    /// Xapian's XAPIAN_NOTHROW sortable_serialise_.
    func testEveryEntryPointCatches() throws {
        let cannotThrow: Set<String> = [
            "cx_api_version", "cx_xapian_version", "cx_status_name", "cx_free", "cx_sortable_serialise",
            "cx_stem_destroy", "cx_document_destroy", "cx_database_destroy", "cx_query_destroy",
            "cx_queryparser_destroy", "cx_termgen_destroy", "cx_enquire_destroy", "cx_mset_destroy",
        ]
        var checked = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: ShimBoundaryTests.shim.path) where file.hasSuffix(".cc") {
            let source = Array(try String(contentsOf: ShimBoundaryTests.shim.appendingPathComponent(file), encoding: .utf8))
            var index = 0
            let marker = Array("extern \"C\" ")
            while index + marker.count < source.count {
                guard Array(source[index..<(index + marker.count)]) == marker else { index += 1; continue }
                // Name: the identifier before the first "(".
                guard let open = source[index...].firstIndex(of: "("), let brace = source[index...].firstIndex(of: "{") else { break }
                let signature = String(source[index..<open])
                let name = String(signature.split(separator: " ").last ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "*"))
                var depth = 0
                var end = brace
                repeat {
                    if source[end] == "{" { depth += 1 }
                    if source[end] == "}" { depth -= 1 }
                    end += 1
                } while depth > 0 && end < source.count
                let body = String(source[brace..<end])
                if !cannotThrow.contains(name) {
                    XCTAssertTrue(body.contains("guard(") || (body.contains("try {") && body.contains("catch (...)")),
                                  "\(file): \(name) can let an exception out")
                }
                checked += 1
                index = end
            }
        }
        XCTAssertGreaterThan(checked, 100, "the scan found the entry points")
    }
}
