import ACSearchTestSupport
import CXapian
import XCTest
@testable import XapianKit

/// The error paths of the shim and of XapianKit: every failure is a status and a
/// message, never a crash or an escaping C++ exception.
final class ErrorPathTests: XCTestCase {
    private func code(_ body: () throws -> Void) -> XapianError.Code? {
        do {
            try body()
            return nil
        } catch let error as XapianError {
            XCTAssertFalse(error.message.isEmpty)
            return error.code
        } catch {
            XCTFail("unexpected error type \(error)")
            return nil
        }
    }

    func testOpeningAMissingDatabase() {
        let directory = TemporaryDirectory()
        XCTAssertEqual(code { _ = try Database(path: directory.child("nothing-here")) }, .notFound)
        XCTAssertEqual(code { _ = try WritableDatabase(path: directory.child("nothing-here"), create: false) },
                       .notFound)
    }

    func testOpeningSomethingThatIsNotADatabase() throws {
        let directory = TemporaryDirectory()
        try Data("not a database".utf8).write(to: directory.url.appendingPathComponent("file"))
        XCTAssertNotNil(code { _ = try Database(path: directory.child("file")) })
    }

    func testSecondWriterIsToldTheDatabaseIsLocked() throws {
        let directory = TemporaryDirectory()
        let first = try WritableDatabase(path: directory.child("db"))
        do {
            _ = try WritableDatabase(path: directory.child("db"))
            XCTFail("a second writer must not open")
        } catch {
            XCTAssertEqual(error.code, .locked)
            XCTAssertTrue(error.description.contains(directory.child("db")), error.description)
        }
        try first.close()
        XCTAssertNoThrow(try WritableDatabase(path: directory.child("db")), "the lock goes with the writer")
    }

    func testMalformedQuery() throws {
        let parser = try QueryParser()
        XCTAssertEqual(code { _ = try parser.parse("(unbalanced AND", features: .default) }, .querySyntax)
        XCTAssertEqual(code { _ = try parser.parse("AND OR NOT", features: .default) }, .querySyntax)
    }

    func testBooleanFieldCanRejectAValue() throws {
        let parser = try QueryParser()
        try parser.addBooleanField(field: "year") { value in
            Int(value) != nil ? .term("Y" + value) : .invalid("year must be a number, got \(value)")
        }
        XCTAssertEqual(try parser.parse("year:2022").terms(), ["Y2022"])
        // Under "-" and "+" too: Xapian 1.4.22 frees a term twice when a field
        // processor throws there, so the shim raises the refusal after parsing
        // ("-kind:foo" crashed acsearchd; found by scripts/fuzz).
        for query in ["year:soon", "-year:soon", "+year:soon", "-year:soon*", "x -year:soon", "-year:soon -year:later"] {
            do {
                _ = try parser.parse(query, features: .default.union(.wildcard))
                XCTFail("expected a syntax error for \(query)")
            } catch {
                XCTAssertEqual(error.code, .querySyntax, query)
                XCTAssertTrue(error.message.contains("year must be a number, got soon"), "\(query): \(error.message)")
            }
        }
        XCTAssertEqual(try parser.parse("-year:2022 x").terms().sorted(), ["Y2022", "x"], "the parser is usable after refusals")
    }

    func testInvalidUTF8IsHandledAtTheShim() throws {
        let invalid: [CChar] = [0x41, -1, -2, 0x20, -61, 0x42] // "A\xff\xfe \xc3B"
        var termgen: OpaquePointer? = nil
        var document: OpaquePointer? = nil
        XCTAssertEqual(cx_termgen_new(&termgen, nil), CX_OK)
        XCTAssertEqual(cx_document_new(&document, nil), CX_OK)
        defer {
            cx_termgen_destroy(termgen)
            cx_document_destroy(document)
        }
        XCTAssertEqual(cx_termgen_set_document(termgen, document, nil), CX_OK)
        XCTAssertEqual(cx_termgen_index_text(termgen, invalid, invalid.count, 1, nil, 0, nil), CX_OK)
        var parser: OpaquePointer? = nil
        var query: OpaquePointer? = nil
        XCTAssertEqual(cx_queryparser_new(&parser, nil), CX_OK)
        defer { cx_queryparser_destroy(parser) }
        let status = cx_queryparser_parse(parser, invalid, invalid.count, Int32(CX_QP_DEFAULT), &query, nil)
        XCTAssertTrue(status == CX_OK || status == CX_QUERY_SYNTAX)
        cx_query_destroy(query)
        // And through Swift: bytes that are not UTF-8 survive as document data.
        let data = try Document()
        try data.setData([0xff, 0x00, 0xfe])
        XCTAssertEqual(try data.data(), [0xff, 0x00, 0xfe])
    }

    func testNullArgumentsAreAStatusNotACrash() {
        var message: UnsafeMutablePointer<CChar>? = nil
        XCTAssertEqual(cx_database_doc_count(nil, nil, &message), CX_INVALID_ARGUMENT)
        XCTAssertTrue(String(cString: message!).hasSuffix("database is NULL"))
        cx_free(message)
        XCTAssertEqual(cx_query_new_term(nil, 3, 1, nil, nil), CX_INVALID_ARGUMENT)
    }

    func testTermLongerThanXapianAllows() throws {
        let directory = TemporaryDirectory()
        let writer = try WritableDatabase(path: directory.child("db"))
        let document = try Document()
        try document.addBooleanTerm("X" + String(repeating: "a", count: Xapian.maxTermLength + 10))
        XCTAssertEqual(code { try writer.replace(uniqueTerm: "Q1", with: document) }, .invalidArgument)
        // The writer is still usable: the bad document was rejected, nothing else.
        let good = try Document()
        try good.addBooleanTerm("X" + String(repeating: "a", count: Xapian.maxTermLength - 1))
        XCTAssertNoThrow(try writer.replace(uniqueTerm: "Q2", with: good))
        try writer.commit()
        XCTAssertEqual(try Database(path: directory.child("db")).documentCount, 1)
    }

    func testUnknownStemmerLanguage() {
        XCTAssertEqual(code { _ = try Stemmer(language: "klingon") }, .invalidArgument)
    }

    func testReaderSeesNewRevisionAfterReopen() throws {
        let directory = TemporaryDirectory()
        let writer = try WritableDatabase(path: directory.child("db"))
        try writer.commit()
        let reader = try Database(path: directory.child("db"))
        let before = try reader.revision
        let document = try Document()
        try document.addTerm("hello")
        try writer.replace(uniqueTerm: "Q1", with: document)
        try writer.commit()
        XCTAssertEqual(try reader.documentCount, 0, "a reader stays on its revision")
        XCTAssertTrue(try reader.reopen())
        XCTAssertEqual(try reader.documentCount, 1)
        XCTAssertGreaterThan(try reader.revision, before)
        XCTAssertFalse(try reader.reopen(), "nothing new")
    }

    func testReaderThatMeetsDatabaseModifiedRecovers() throws {
        let directory = TemporaryDirectory()
        let writer = try WritableDatabase(path: directory.child("db"))
        func rewrite(_ round: Int) throws {
            for index in 0..<2000 {
                let document = try Document()
                try document.addTerm("common")
                try document.addTerm("round\(round)")
                try document.setData(Array(String(repeating: "x", count: 200).utf8))
                try writer.replace(uniqueTerm: "Q\(index)", with: document)
            }
            try writer.commit()
        }
        try rewrite(0)
        let reader = try Database(path: directory.child("db"))
        // Two more revisions: the blocks the reader's revision used are reused.
        try rewrite(1)
        try rewrite(2)
        try rewrite(3)
        var sawModified = false
        let count = try reader.retryingIfModified { database -> Int in
            do {
                let enquire = try Enquire(database: database)
                try enquire.setQuery(Query.term("common"))
                let matches = try enquire.matches(maxItems: 2000)
                for index in 0..<matches.count { _ = try matches.document(at: index).data() }
                return matches.count
            } catch let error as XapianError where error.code == .modified {
                sawModified = true
                throw error
            }
        }
        XCTAssertTrue(sawModified, "the scenario must provoke DatabaseModifiedError")
        XCTAssertEqual(count, 2000)
    }
}
