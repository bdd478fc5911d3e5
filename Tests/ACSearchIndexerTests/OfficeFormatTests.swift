import ACSearchTestSupport
import Foundation
import XCTest

/// Word 97-2003 (.doc), OpenDocument (.odt), RTF, .xlsx and .ods files written by LibreOffice
/// (Tests/Fixtures/formats, made once with `soffice --headless --convert-to`), indexed
/// by the real acsearch-index and found through the real acsearchd; broken ones are
/// reported with a reason and the rest is indexed.
final class OfficeFormatTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/formats").path

    func testDocOdtAndRtfAreReadAndFoundThroughTheDaemon() throws {
        let tree = TemporaryDirectory("office")
        for name in ["bandicoot.doc", "bandicoot.odt", "bandicoot.rtf"] {
            tree.write("src/\(name)", try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/\(name)")))
        }
        let doc = try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/bandicoot.doc"))
        tree.write("src/truncated.doc", doc.prefix(4000))
        tree.write("src/not-word.doc", Data("This is plain text named .doc".utf8))
        let odt = try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/bandicoot.odt"))
        tree.write("src/truncated.odt", odt.prefix(odt.count / 2))
        tree.write("src/broken.rtf", Data(#"{\rtf1 {\b unclosed "#.utf8) + Data(repeating: 0x7B, count: 5000))

        let (daemon, summary) = try Fixtures.indexedAndServed(tree)
        defer { daemon.stop() }
        let skipped = (summary["skipped"] as? [[String: Any]] ?? []).map {
            (($0["path"] as? String ?? "") as NSString).lastPathComponent + ": " + ($0["reason"] as? String ?? "")
        }
        XCTAssertTrue(skipped.contains { $0.hasPrefix("truncated.doc: not a valid document: catdoc failed") }, "\(skipped)")
        XCTAssertTrue(skipped.contains("not-word.doc: not a valid document: not a Word 97-2003 document (no OLE header)"), "\(skipped)")
        XCTAssertTrue(skipped.contains { $0.hasPrefix("truncated.odt: not a valid document") }, "\(skipped)")

        func ids(_ query: String) throws -> [String] { try daemon.hitIDs(query).sorted() }
        let all = ["bandicoot.doc", "bandicoot.odt", "bandicoot.rtf"]
        XCTAssertEqual(try ids("bandicoot"), all)
        XCTAssertEqual(try ids("dau thau Quang Ngai"), all, "unaccented")
        XCTAssertEqual(try ids("\"thu hồi 12 tỷ đồng\""), all, "accented phrase")
        for id in all {
            let (status, document) = try daemon.json("/v1/documents/\(id)")
            XCTAssertEqual(status, 200)
            XCTAssertEqual(document["lang"] as? String, "vi", id)
            let body = document["body"] as? String ?? ""
            XCTAssertTrue(body.contains("Đoàn thanh tra phát hiện sai phạm trong gói thầu Bandicoot"), "\(id): \(body)")
            XCTAssertFalse(body.contains("&#") || body.contains("<") || body.contains("\u{FFFD}"), "\(id): \(body)")
        }
        XCTAssertEqual(try daemon.json("/v1/documents/bandicoot.odt").object["title"] as? String, "Kết luận thanh tra Bandicoot")
        XCTAssertEqual(try daemon.json("/v1/documents/bandicoot.doc").object["title"] as? String,
                       "Kết luận thanh tra về đấu thầu tại tỉnh Quảng Ngãi")
    }
}

extension OfficeFormatTests {
    /// Spreadsheets LibreOffice Calc wrote (`soffice --headless --convert-to xlsx|ods` from
    /// a UTF-8 CSV): through the real acsearch-index and acsearchd, each row a line, found
    /// without diacritics, their sums in đồng read; a broken one reported.
    func testXlsxAndOdsMadeByLibreOfficeAreFoundThroughTheDaemon() throws {
        let tree = TemporaryDirectory("sheets-lo")
        let sheets = ["bandicoot.ods", "bandicoot.xlsx"]
        for name in sheets {
            tree.write("src/\(name)", try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/\(name)")))
        }
        let xlsx = try Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/bandicoot.xlsx"))
        tree.write("src/truncated.xlsx", xlsx.prefix(xlsx.count / 2))
        let (daemon, summary) = try Fixtures.indexedAndServed(tree)
        defer { daemon.stop() }
        XCTAssertEqual(summary["added"] as? Int, 2, "\(summary)")
        let skipped = (summary["skipped"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        XCTAssertEqual(skipped.map { ($0 as NSString).lastPathComponent }, ["truncated.xlsx"])

        func ids(_ query: String) throws -> [String] { try daemon.hitIDs(query).sorted() }
        XCTAssertEqual(try ids("goi thau bandicoot"), sheets, "unaccented")
        XCTAssertEqual(try ids("\"Bình Định\""), sheets)
        XCTAssertEqual(try ids("amount:10tỷ.."), sheets, "12 tỷ đồng in a cell")
        for id in sheets {
            let (status, document) = try daemon.json("/v1/documents/\(id)")
            XCTAssertEqual(status, 200)
            XCTAssertEqual(document["title"] as? String, "Kết luận thanh tra Bandicoot", id)
            let body = document["body"] as? String ?? ""
            XCTAssertTrue(body.contains("Quảng Ngãi | Sai phạm trong gói thầu Bandicoot | 12 tỷ đồng"), "\(id): \(body)")
            XCTAssertEqual(document["amount_vnd"] as? Int, 12_000_000_000, id)
        }
    }
}

/// A Word or OpenDocument file's date is the one its text gives itself, the way
/// Vietnamese documents date themselves ("Hà Nội, ngày 10 tháng 2 năm 2023") or an
/// English one ("dated June 2, 2022"), not its metadata's creation date (when the
/// template was made); that stands in only for a text without a date.
final class OfficeDateTests: XCTestCase {
    func testTheTextsDateWinsOverTheFilesCreationDate() throws {
        let tree = TemporaryDirectory("office-dates")
        try FileManager.default.createDirectory(atPath: tree.child("src"), withIntermediateDirectories: true)
        try Fixtures.docx(paragraphs: ["THANH TRA TỈNH HẢI DƯƠNG", "Hải Dương, ngày 10 tháng 2 năm 2023",
                                       "KẾT LUẬN THANH TRA việc quản lý đất đai"],
                          title: "Kết luận thanh tra", created: "2019-03-04T08:00:00Z", at: tree.child("src/kl.docx"))
        try Fixtures.docx(paragraphs: ["Report of the inspection team", "dated June 2, 2022", "Findings on land use"],
                          title: "Report", created: "2019-03-04T08:00:00Z", at: tree.child("src/report.docx"))
        try Fixtures.docx(paragraphs: ["Báo cáo công tác", "Nội dung báo cáo không ghi ngày"],
                          title: "Báo cáo", created: "2019-03-04T08:00:00Z", at: tree.child("src/undated.docx"))
        try Fixtures.odt(paragraphs: ["THANH TRA TỈNH", "Hà Nội, ngày 10 tháng 2 năm 2023", "Kết luận thanh tra"],
                         created: "2019-03-04T08:00:00", at: tree.child("src/kl.odt"))
        let (daemon, _) = try Fixtures.indexedAndServed(tree)
        defer { daemon.stop() }
        func date(_ id: String) throws -> String? { try daemon.json("/v1/documents/\(id)").object["date"] as? String }
        XCTAssertEqual(try date("kl.docx"), "2023-02-10")
        XCTAssertEqual(try date("report.docx"), "2022-06-02")
        XCTAssertEqual(try date("kl.odt"), "2023-02-10")
        XCTAssertEqual(try date("undated.docx"), "2019-03-04", "no date in the text: the metadata's stands in")
    }
}

/// Runs in the TCVN3 font `.VnTime` inside Word files (LibreOffice-made: the font draws
/// Vietnamese over Windows-1252 characters, so the text reads "ViÖt Nam").
final class LegacyFontRunTests: XCTestCase {
    func testVnTimeRunsInDocAndDocxAreConverted() throws {
        let tree = TemporaryDirectory("vntime")
        for name in ["vntime.doc", "vntime.docx"] {
            tree.write("src/\(name)", try Data(contentsOf: URL(fileURLWithPath: "\(OfficeFormatTests.fixtures)/\(name)")))
        }
        // Unicode Vietnamese whose letters are all Latin-1 ones is not mistaken for a legacy run.
        let latinOnly = "Tôi là ai, anh là ai, chúng tôi là ai, các anh là ai"
        try Fixtures.docx(paragraphs: [latinOnly, "Kangaroo"], title: "Latin-1 letters", at: tree.child("src/latin.docx"))
        let (daemon, _) = try Fixtures.indexedAndServed(tree)
        defer { daemon.stop() }
        let latin = try daemon.json("/v1/documents/latin.docx").object
        XCTAssertEqual(latin["body"] as? String, latinOnly + "\nKangaroo\n")
        XCTAssertNil((latin["fields"] as? [String: String])?["encoding"])
        func ids(_ query: String) throws -> [String] { try daemon.hitIDs(query).sorted() }
        XCTAssertEqual(try ids("viec giao dat cho doanh nghiep"), ["vntime.doc", "vntime.docx"], "unaccented")
        XCTAssertEqual(try ids("\"quản lý đất đai\""), ["vntime.doc", "vntime.docx"], "accented")
        // catdoc drops Word's soft hyphen, TCVN3's ư: only the .docx keeps "Dương".
        XCTAssertEqual(try ids("\"Hải Dương\""), ["vntime.docx"])
        for id in ["vntime.doc", "vntime.docx"] {
            let document = try daemon.json("/v1/documents/\(id)").object
            XCTAssertEqual((document["fields"] as? [String: String])?["encoding"], "TCVN3, converted to Unicode", id)
            XCTAssertEqual(document["lang"] as? String, "vi", id)
            let body = document["body"] as? String ?? ""
            XCTAssertTrue(body.contains("Thanh tra tỉnh đã phát hiện nhiều sai phạm trong việc giao đất cho doanh nghiệp Numbat."), body)
            XCTAssertTrue(body.contains("Báo cáo bằng Unicode về Numbat."), "Unicode runs untouched: \(body)")
            XCTAssertTrue(body.contains("L’été à Montréal, les élèves étudient à l’école près du château."), "French untouched: \(body)")
            XCTAssertFalse(body.contains("ViÖt") || body.contains("\u{AD}"), body)
        }
    }
}

extension LegacyFontRunTests {
    /// A run whose font is a legacy one (.VnTime: TCVN3; VNI-Times: VNI) is converted
    /// because the font says so, even a word or two in a line of Unicode text, which
    /// the text alone could not tell; the same characters in another font are left.
    func testARunsLegacyFontConvertsItWhateverItsLength() throws {
        let tree = TemporaryDirectory("fonts")
        try FileManager.default.createDirectory(atPath: tree.child("src"), withIntermediateDirectories: true)
        let encoded = tree.child("ha-noi.tcvn3")
        let tcvn3 = try Run.process("/bin/sh", ["-c", "printf 'Hà Nội' | iconv -f UTF-8 -t TCVN5712-1 > \(encoded)"])
        XCTAssertEqual(tcvn3.status, 0, tcvn3.stderr)
        let raw = try Data(contentsOf: URL(fileURLWithPath: encoded))
        let drawn = try XCTUnwrap(String(data: raw, encoding: .windowsCP1252), "TCVN3's bytes as the .VnTime font draws them")
        func run(_ text: String, font: String?) -> String {
            let properties = font.map { "<w:rPr><w:rFonts w:ascii=\"\($0)\" w:hAnsi=\"\($0)\"/></w:rPr>" } ?? ""
            return "<w:r>\(properties)<w:t xml:space=\"preserve\">\(text)</w:t></w:r>"
        }
        try Fixtures.docx(runs: [
            run("Đoàn thanh tra làm việc tại ", font: "Times New Roman") + run(drawn, font: ".VnTime") + run(".", font: nil),
            run("Báo cáo gửi ", font: nil) + run("Noäi", font: "VNI-Times") + run(" vụ.", font: nil),
        ], title: "Phông chữ", at: tree.child("src/fonts.docx"))
        try Fixtures.docx(runs: [run("Đoàn làm việc tại ", font: nil) + run(drawn, font: "Arial")],
                          title: "Không phải phông cũ", at: tree.child("src/arial.docx"))
        let (daemon, _) = try Fixtures.indexedAndServed(tree)
        defer { daemon.stop() }
        let document = try daemon.json("/v1/documents/fonts.docx").object
        let body = document["body"] as? String ?? ""
        XCTAssertTrue(body.contains("Đoàn thanh tra làm việc tại Hà Nội."), body)
        XCTAssertTrue(body.contains("Báo cáo gửi Nội vụ."), body)
        XCTAssertEqual((document["fields"] as? [String: String])?["encoding"], "TCVN3, converted to Unicode")
        XCTAssertEqual(try daemon.hitIDs("\"ha noi\""), ["fonts.docx"])
        let arial = try daemon.json("/v1/documents/arial.docx").object
        XCTAssertTrue((arial["body"] as? String ?? "").contains(drawn), "no legacy font, no conversion: \(arial)")
    }
}
