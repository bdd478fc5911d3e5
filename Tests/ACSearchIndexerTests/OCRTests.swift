import ACSearchIndexer
import ACSearchTestSupport
import Foundation
import XCTest

/// Scanned PDFs (pictures of pages, no text layer): reported with how to turn OCR on when
/// it is off; with it on, read by tesseract through the real acsearch-index, found through
/// the real acsearchd without diacritics, and read from the OCR cache on a rerun.
final class OCRTests: XCTestCase {
    static let tesseract = "/usr/bin/tesseract"

    /// OCR needs tesseract and its Vietnamese and English models (scripts/bootstrap installs
    /// them), and the fixtures need ghostscript.
    func requireOCR() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.tesseract) else {
            throw XCTSkip("tesseract is not installed (scripts/bootstrap installs tesseract-ocr tesseract-ocr-vie)")
        }
        let langs = try Run.process(Self.tesseract, ["--list-langs"])
        for model in ["vie", "eng"] where !langs.stdout.split(separator: "\n").contains(Substring(model)) {
            throw XCTSkip("tesseract has no \(model) model (scripts/bootstrap installs tesseract-ocr-\(model))")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/gs") else {
            throw XCTSkip("ghostscript is not installed (scripts/bootstrap installs it); it makes the scanned fixtures")
        }
    }

    /// PostScript names of the glyphs of Vietnamese letters outside ASCII that have one in
    /// the Adobe Glyph List; the others (ả, ế, ạ, …) are named uniXXXX by their code point.
    static let glyphNames: [Character: String] = [
        "à": "agrave", "á": "aacute", "â": "acircumflex", "ã": "atilde", "è": "egrave", "é": "eacute",
        "ê": "ecircumflex", "ì": "igrave", "í": "iacute", "ò": "ograve", "ó": "oacute", "ô": "ocircumflex",
        "õ": "otilde", "ù": "ugrave", "ú": "uacute", "ý": "yacute", "ă": "abreve", "đ": "dcroat", "ĩ": "itilde",
        "ũ": "utilde", "ơ": "ohorn", "ư": "uhorn", "Đ": "Dcroat", "Ă": "Abreve", "Â": "Acircumflex", "Ê": "Ecircumflex",
        "Ô": "Ocircumflex", "Ơ": "Ohorn", "Ư": "Uhorn", "Ủ": "uni1EE6",
    ]

    /// A PDF of pages that are pictures of `pages`' lines, as a scanner makes (a line
    /// longer than about 50 letters runs off the page and is not read): ghostscript
    /// draws the text (DejaVu Sans, each Vietnamese letter by its glyph's name, as
    /// PostScript strings are bytes) straight onto a 300 dpi bitmap and writes only that
    /// bitmap (its pdfimage8 device), so the file holds no text and no font. Rasterising a
    /// text PDF with pdftoppm and wrapping the picture again would need img2pdf or
    /// ImageMagick, whose Debian policy refuses to write PDF; tesseract's own PDF output
    /// adds a text layer, which is the point not to have.
    static func scannedPDF(_ pages: [[String]], at path: String) throws {
        var script = ["%!PS", "/DejaVuSans findfont 17 scalefont setfont"]
        for lines in pages {
            for (number, line) in lines.enumerated() {
                script.append("72 \(700 - 32 * number) moveto")
                for character in line {
                    if character.isASCII, !"()\\".contains(character) {
                        script.append("(\(character)) show")
                    } else {
                        let scalar = character.unicodeScalars.first!.value
                        script.append("/\(glyphNames[character] ?? String(format: "uni%04X", scalar)) glyphshow")
                    }
                }
            }
            script.append("showpage")
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let source = path + ".ps"
        try (script.joined(separator: "\n") + "\n").write(toFile: source, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: source) }
        let gs = try Run.process("/usr/bin/gs", ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfimage8", "-r300",
                                                 "-sOutputFile=\(path)", source])
        XCTAssertEqual(gs.status, 0, gs.stderr)
        // The point of the fixture: nothing for pdftotext, and no font to draw text with.
        let text = try Run.process("/usr/bin/pdftotext", [path, "-"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertEqual(text.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "", "the scan has a text layer")
        let fonts = try Run.process("/usr/bin/pdffonts", [path])
        XCTAssertEqual(fonts.stdout.split(separator: "\n").count, 2, "the scan has fonts: \(fonts.stdout)")
    }

    static func summary(_ run: ProcessResult) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any] ?? [:]
    }

    static func skipped(_ summary: [String: Any]) -> [String: String] {
        var reasons: [String: String] = [:]
        for skip in summary["skipped"] as? [[String: Any]] ?? [] {
            reasons[((skip["path"] as? String ?? "") as NSString).lastPathComponent] = skip["reason"] as? String
        }
        return reasons
    }

    func testScansAreReportedWithoutOCRReadWithItAndCachedByContent() throws {
        try requireOCR()
        let tree = TemporaryDirectory("ocr")
        try Self.scannedPDF([["Thanh tra tỉnh Hải Dương kết luận về sai phạm đất đai",
                              "Đoàn thanh tra kiến nghị thu hồi 12 tỷ đồng", "về ngân sách nhà nước."]],
                            at: tree.child("src/scan.pdf"))
        tree.write("src/note.txt", "Ghi chú\nBiên bản họp của Ủy ban kiểm tra.")
        let db = tree.child("db")
        let indexer = Checkout.executable("acsearch-index")
        let data = ["ACSEARCH_DATA": Checkout.indexDirectory]

        // OCR off (the default): the scan is reported with how to turn OCR on; the rest is indexed.
        let off = try Run.process(indexer, ["--db", db, "--json", tree.child("src")], environment: data)
        XCTAssertEqual(off.status, 0, off.stderr)
        var summary = Self.summary(off)
        XCTAssertEqual(Self.skipped(summary)["scan.pdf"],
                       "no text found: a scan? OCR is off (turn it on with --ocr, or ACSEARCH_OCR=1 in /etc/acsearch/index.env)")
        XCTAssertTrue(off.stderr.contains("skipped \(tree.child("src/scan.pdf")): no text found: a scan? OCR is off"), off.stderr)
        XCTAssertEqual(summary["added"] as? Int, 1)
        XCTAssertEqual(summary["ocr_pages"] as? Int, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: tree.child("ocr-cache")), "OCR off writes no cache")

        // --ocr: the scan, unchanged since it was skipped, is read now, by tesseract.
        let on = try Run.process(indexer, ["--db", db, "--json", "--ocr", tree.child("src")], environment: data)
        XCTAssertEqual(on.status, 0, on.stderr)
        summary = Self.summary(on)
        XCTAssertEqual(Self.skipped(summary), [:])
        XCTAssertEqual(summary["added"] as? Int, 1)
        XCTAssertEqual(summary["unchanged"] as? Int, 1)
        XCTAssertEqual(summary["ocr_pages"] as? Int, 1)
        XCTAssertEqual(summary["ocr_cached_pages"] as? Int, 0)
        // The cache is beside the index, keyed by the PDF's SHA-256 (as sha256sum computes it).
        let sha = try Run.process("/usr/bin/sha256sum", [tree.child("src/scan.pdf")]).stdout.prefix(64)
        let cached = tree.child("ocr-cache/\(sha)/vie+eng-300dpi/page-1.txt")
        XCTAssertTrue(try String(contentsOfFile: cached, encoding: .utf8).contains("Hải Dương"), cached)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: db).filter { $0.contains("ocr") }, [])

        do {
            let daemon = try DaemonProcess(arguments: ["--db", db])
            defer { daemon.stop() }
            func ids(_ query: String) throws -> [String] { try daemon.hitIDs(query) }
            let (status, document) = try daemon.json("/v1/documents/scan.pdf")
            XCTAssertEqual(status, 200)
            let body = document["body"] as? String ?? ""
            XCTAssertEqual(try ids("hai duong dat dai"), ["scan.pdf"], "found without diacritics in: \(body)")
            XCTAssertEqual(try ids("\"sai phạm đất đai\""), ["scan.pdf"], body)
            XCTAssertEqual(try ids("ngan sach nha nuoc"), ["scan.pdf"], body)
            XCTAssertEqual(document["lang"] as? String, "vi")
            XCTAssertEqual((document["fields"] as? [String: String])?["ocr"],
                           "text recognised by tesseract (vie+eng, 300 dpi) from 1 page")
            XCTAssertNil((try daemon.json("/v1/documents/note.txt").object["fields"] as? [String: String])?["ocr"])
            let show = try Run.process(Checkout.executable("acsearch"), ["show", "scan.pdf"],
                                       environment: ["ACSEARCH_SOCKET": daemon.socket])
            XCTAssertEqual(show.status, 0, show.stderr)
            XCTAssertNotNil(show.stdout.range(of: #"ocr\s+text recognised by tesseract \(vie\+eng, 300 dpi\) from 1 page"#,
                                              options: .regularExpression), show.stdout)
        }

        // Renamed, with ACSEARCH_OCR=1 (the service's key) and a tesseract that has no
        // models: the renamed scan is read from the cache, never by tesseract, while a new
        // scan beside it cannot be read, is reported so, and is not remembered as bad.
        try FileManager.default.moveItem(atPath: tree.child("src/scan.pdf"), toPath: tree.child("src/renamed.pdf"))
        try Self.scannedPDF([["Ủy ban kiểm tra tỉnh Nghệ An kỷ luật cán bộ"]], at: tree.child("src/new-scan.pdf"))
        let noModels = tree.child("no-models")
        try FileManager.default.createDirectory(atPath: noModels, withIntermediateDirectories: true)
        let broken = try Run.process(indexer, ["--db", db, "--json", tree.child("src")],
                                     environment: data.merging(["ACSEARCH_OCR": "1", "TESSDATA_PREFIX": noModels]) { $1 })
        XCTAssertEqual(broken.status, 0, broken.stderr)
        summary = Self.summary(broken)
        XCTAssertEqual(Self.skipped(summary), ["new-scan.pdf": "cannot OCR: tesseract has no model for vie, eng "
                                                                + "(install tesseract-ocr-vie tesseract-ocr-eng)"])
        XCTAssertEqual(summary["added"] as? Int, 1)
        XCTAssertEqual(summary["deleted"] as? Int, 1)
        XCTAssertEqual(summary["ocr_pages"] as? Int, 0)
        XCTAssertEqual(summary["ocr_cached_pages"] as? Int, 1)
        XCTAssertTrue(broken.stderr.isEmpty || !broken.stderr.contains("renamed.pdf"), broken.stderr)

        // With the models back, the new scan is read (it was not remembered as bad), and
        // nothing else is read again.
        let fixed = try Run.process(indexer, ["--db", db, "--json", "--ocr", tree.child("src")], environment: data)
        XCTAssertEqual(fixed.status, 0, fixed.stderr)
        summary = Self.summary(fixed)
        XCTAssertEqual(Self.skipped(summary), [:])
        XCTAssertEqual(summary["added"] as? Int, 1)
        XCTAssertEqual(summary["ocr_pages"] as? Int, 1)
        XCTAssertEqual(summary["ocr_cached_pages"] as? Int, 0)
        XCTAssertEqual(try Fixtures.ids(db, "hai duong dat dai"), ["renamed.pdf"])
        XCTAssertEqual(try Fixtures.ids(db, "uy ban kiem tra Nghe An"), ["new-scan.pdf"])
    }

    /// Only the first `maxPages` pages are read, and the field says so.
    func testPagesPastTheCapAreNotRead() throws {
        try requireOCR()
        let tree = TemporaryDirectory("ocr-cap")
        try Self.scannedPDF([["Kết luận thanh tra tỉnh Bắc Ninh"], ["Phụ lục về tỉnh Cà Mau"]], at: tree.child("src/two.pdf"))
        let db = tree.child("db")
        let summary = try Fixtures.index([tree.child("src")], db: db) { options in
            var ocr = OCRSettings(cacheDirectory: tree.child("cache"))
            ocr.maxPages = 1
            options.limits.ocr = ocr
        }
        XCTAssertEqual(summary.skipped.map(\.reason), [])
        XCTAssertEqual(summary.ocrPages, 1)
        XCTAssertEqual(try Fixtures.ids(db, "bac ninh"), ["two.pdf"])
        XCTAssertEqual(try Fixtures.ids(db, "ca mau"), [], "the second page is past the cap")
        let stored = try Fixtures.searcher(db).document(id: "two.pdf")
        XCTAssertEqual(stored.fields["ocr"], "text recognised by tesseract (vie+eng, 300 dpi) from the first 1 of 2 pages")
    }

    /// Bad input with OCR on is reported and skipped: a PDF pdftotext cannot read, and
    /// an --ocr-cache inside the index folder (refused before anything is written).
    func testBrokenScansAndABadCacheAreReported() throws {
        try requireOCR()
        let tree = TemporaryDirectory("ocr-bad")
        try Self.scannedPDF([["Thanh tra Chính phủ"]], at: tree.child("whole.pdf"))
        let whole = try Data(contentsOf: URL(fileURLWithPath: tree.child("whole.pdf")))
        tree.write("src/truncated.pdf", whole.prefix(whole.count / 2))
        tree.write("src/good.txt", "Good\nA good report")
        let db = tree.child("db")
        let indexer = Checkout.executable("acsearch-index")
        let run = try Run.process(indexer, ["--db", db, "--json", "--ocr", tree.child("src")],
                                  environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        XCTAssertEqual(run.status, 0, run.stderr)
        let summary = Self.summary(run)
        XCTAssertEqual(summary["added"] as? Int, 1)
        XCTAssertNotNil(Self.skipped(summary)["truncated.pdf"], "\(summary)")

        let inside = try Run.process(indexer, ["--db", db, "--ocr", "--ocr-cache", db + "/cache", tree.child("src")],
                                     environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        XCTAssertEqual(inside.status, 64, inside.stderr)
        XCTAssertTrue(inside.stderr.contains("--ocr-cache must not be inside the index folder"), inside.stderr)
        let badKey = try Run.process(indexer, ["--db", db, tree.child("src")],
                                     environment: ["ACSEARCH_DATA": Checkout.indexDirectory, "ACSEARCH_OCR": "maybe"])
        XCTAssertEqual(badKey.status, 64, badKey.stderr)
        XCTAssertTrue(badKey.stderr.contains("ACSEARCH_OCR is \"maybe\""), badKey.stderr)
    }
}
