import ACSearchIndexer
import ACSearchTestSupport
import Foundation
import XCTest
import ZIPFoundation

/// .xlsx and .ods tables: rows as lines, cells joined by " | ". The fixtures are written
/// here, part by part, as spreadsheet applications lay them out (LibreOffice is not
/// installed to make them), with what real files hold: shared and inline strings, rich
/// text runs, formulas with their last values, booleans, errors, repeated cells and rows.
final class SpreadsheetTests: XCTestCase {
    static func zip(_ parts: [(String, String)], at path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    static let sheetNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    static func xlsx(at path: String) throws {
        let shared = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="\(sheetNamespace)" count="4" uniqueCount="4"><si><t>Tỉnh</t></si><si><t>Số tiền (tỷ đồng)</t></si>\
            <si><t>Hải Dương</t></si><si><r><rPr><b/></rPr><t xml:space="preserve">Kiến nghị </t></r><r><t>thu hồi</t></r>\
            <rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si></sst>
            """
        let sheet1 = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="\(sheetNamespace)"><sheetData>\
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>\
            <row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>48.5</v></c><c r="C2" t="inlineStr"><is><t>đất đai</t></is></c>\
            <c r="D2"><f>B2*2</f><v>97</v></c><c r="E2" t="b"><v>1</v></c></row>\
            <row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3" t="s"><v>99</v></c><c r="C3" t="e"><v>#DIV/0!</v></c></row>\
            <row r="4"><c r="A4" s="1"/></row>\
            </sheetData></worksheet>
            """
        func sheet(_ text: String) -> String {
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="\(sheetNamespace)"><sheetData><row r="1"><c t="inlineStr"><is><t>\(text)</t></is></c></row></sheetData></worksheet>
            """
        }
        let core = """
            <?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
            xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>Danh sách thu hồi</dc:title>\
            <dcterms:created>2024-03-05T08:00:00Z</dcterms:created></cp:coreProperties>
            """
        // sheet10 after sheet2: sheets go by their number, not their name's letters.
        try zip([("xl/sharedStrings.xml", shared), ("xl/worksheets/sheet10.xml", sheet("Trang mười")),
                 ("xl/worksheets/sheet1.xml", sheet1), ("xl/worksheets/sheet2.xml", sheet("Trang hai Nghệ An")),
                 ("xl/worksheets/_rels/sheet1.xml.rels", "<Relationships/>"), ("docProps/core.xml", core)], at: path)
    }

    static func ods(at path: String) throws {
        let content = """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">\
            <office:body><office:spreadsheet><table:table table:name="Bảng 1">\
            <table:table-row><table:table-cell office:value-type="string"><text:p>Tỉnh</text:p></table:table-cell>\
            <table:table-cell office:value-type="string"><text:p>Kết luận</text:p></table:table-cell></table:table-row>\
            <table:table-row><table:table-cell><text:p>Quảng Ngãi</text:p></table:table-cell>\
            <table:table-cell table:number-columns-repeated="2"/>\
            <table:table-cell office:value-type="float" office:value="12"><text:p>12</text:p>\
            <office:annotation><text:p>COMMENT</text:p></office:annotation></table:table-cell>\
            <table:table-cell><text:p>dòng<text:s/>một</text:p><text:p>dòng hai</text:p></table:table-cell></table:table-row>\
            <table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>\
            <table:table-row><table:table-cell table:number-columns-repeated="1000000"><text:p>lặp</text:p></table:table-cell></table:table-row>\
            </table:table><table:table table:name="Bảng 2"><table:table-row><table:table-cell><text:p>Bình Định</text:p>\
            </table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>
            """
        let meta = """
            <?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" \
            xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0">\
            <office:meta><dc:title>Bảng kết luận</dc:title><meta:creation-date>2023-11-20T09:00:00</meta:creation-date></office:meta>\
            </office:document-meta>
            """
        try zip([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", content), ("meta.xml", meta)],
                at: path)
    }

    func testXlsxAndOdsRowsAreLinesOfCells() throws {
        let tree = TemporaryDirectory("sheets")
        try Self.xlsx(at: tree.child("src/recoveries.xlsx"))
        try Self.ods(at: tree.child("src/conclusions.ods"))
        let whole = try Data(contentsOf: URL(fileURLWithPath: tree.child("src/recoveries.xlsx")))
        tree.write("src/truncated.xlsx", whole.prefix(whole.count / 2))
        try Self.zip([("xl/workbook.xml", "<workbook/>")], at: tree.child("src/no-sheets.xlsx"))
        try Self.zip([("content.xml", "<office:document-content/>")], at: tree.child("src/empty.ods"))
        try Fixtures.zipBomb(megabytes: 80, at: tree.child("src/bomb.xlsx"))
        let db = tree.child("db")

        let summary = try Fixtures.index([tree.child("src")], db: db)
        var reasons: [String: String] = [:]
        for skip in summary.skipped { reasons[(skip.path as NSString).lastPathComponent] = skip.reason }
        XCTAssertEqual(summary.added, 2, "\(reasons)")
        XCTAssertEqual(reasons["no-sheets.xlsx"], "not a valid document: no xl/worksheets/sheet*.xml in the archive")
        XCTAssertEqual(reasons["empty.ods"], "no text found")
        XCTAssertTrue(reasons["truncated.xlsx"]?.hasPrefix("not a valid document") == true, "\(reasons)")
        XCTAssertTrue(reasons["bomb.xlsx"]?.hasPrefix("refused as a zip bomb") == true, "\(reasons)")

        let searcher = try Fixtures.searcher(db)
        let xlsx = try searcher.document(id: "recoveries.xlsx")
        XCTAssertEqual(xlsx.body, """
            Tỉnh | Số tiền (tỷ đồng)
            Hải Dương | 48.5 | đất đai | 97 | TRUE
            Kiến nghị thu hồi
            Trang hai Nghệ An
            Trang mười
            """)
        XCTAssertEqual(xlsx.title, "Danh sách thu hồi")
        XCTAssertEqual(xlsx.date, "2024-03-05")
        let ods = try searcher.document(id: "conclusions.ods")
        XCTAssertEqual(ods.body, "Tỉnh | Kết luận\nQuảng Ngãi | 12 | dòng một dòng hai\n"
            + Array(repeating: "lặp", count: 100).joined(separator: " | ") + "\nBình Định")
        XCTAssertEqual(ods.title, "Bảng kết luận")
        XCTAssertEqual(ods.date, "2023-11-20")

        XCTAssertEqual(try Fixtures.ids(db, "hai duong dat dai"), ["recoveries.xlsx"])
        XCTAssertEqual(try Fixtures.ids(db, "quang ngai"), ["conclusions.ods"])
        XCTAssertEqual(try Fixtures.ids(db, "PHONETIC"), [], "phonetic guides are not text")
        XCTAssertEqual(try Fixtures.ids(db, "COMMENT"), [], "comments on cells are not text")
        XCTAssertEqual(try Fixtures.ids(db, "B2"), [], "formulas are not text")
    }
}
