import ACSearchTestSupport
import Foundation
import XCTest

/// Vietnamese text in pre-Unicode encodings (TCVN3, VNI, VISCII), indexed by the real
/// acsearch-index and found through the real acsearchd and acsearch; Western text
/// that is not UTF-8 is never taken for Vietnamese.
final class LegacyEncodingTests: XCTestCase {
    /// Text as it looks in an 8-bit encoding whose bytes are the Latin-1 code points.
    static func latin1(_ text: String) -> Data { text.data(using: .isoLatin1)! }

    /// glibc iconv's table, used only to write the TCVN3 and VISCII fixtures; the
    /// bytes the notes verified by hand are checked on their own below.
    static func iconv(_ text: String, to encoding: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", encoding]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return data
    }

    static let tcvnText = """
        Kết luận thanh tra về quản lý tài sản công tại Sở Y tế tỉnh Thanh Hóa
        Đoàn thanh tra đã kiến nghị thu hồi tiền về ngân sách nhà nước và xử lý trách nhiệm cá nhân.
        """
    static let visciiText = """
        Báo cáo kiểm tra việc đấu thầu mua sắm thiết bị y tế tại tỉnh Nghệ An
        Ủy ban kiểm tra phát hiện nhiều sai phạm trong việc chấm thầu.
        """
    /// VNI as it looks read as Windows-1252: "Kết luận thanh tra về quản lý đất đai tại
    /// tỉnh Hải Dương / Thanh tra tỉnh đã phát hiện nhiều sai phạm trong việc giao đất."
    static let vniBytes = latin1("""
        Keát luaän thanh tra veà quaûn lyù ñaát ñai taïi tænh Haûi Döông
        Thanh tra tænh ñaõ phaùt hieän nhieàu sai phaïm trong vieäc giao ñaát cho doanh nghieäp.
        """)
    static let french = "L’été dernier, la Cour des comptes a relevé des irrégularités à Montréal : les élèves "
        + "étudient à l’école près du château, où la forêt coûte très cher. Ça suffit, déjà !"
    static let german = "Die Prüfung der Behörde ergab, dass öffentliche Gelder für überhöhte Aufträge "
        + "ausgegeben wurden. Größere Schäden entstanden bei der Vergabe für Straßenbau in München."

    func testLegacyVietnameseIsConvertedAndFoundThroughTheDaemon() throws {
        let tree = TemporaryDirectory("legacy")
        tree.write("src/tcvn3.txt", try Self.iconv(Self.tcvnText, to: "TCVN5712-1"))
        tree.write("src/vni.txt", Self.vniBytes)
        tree.write("src/viscii.txt", try Self.iconv(Self.visciiText, to: "VISCII"))
        // The bytes VIETNAMESE-NOTES verified by hand: "Việt Nam", "Trường", in TCVN3.
        tree.write("src/tcvn3-notes.md", Data("Vi".utf8) + Data([0xD6]) + Data("t Nam: ".utf8)
            + Data([0x54, 0x72, 0xAD, 0xEA, 0x6E, 0x67]) + Data(" ".utf8) + (try Self.iconv("đại học và cao đẳng", to: "TCVN5712-1")))
        tree.write("src/english.txt", "Audit of procurement in Hanoi\nThe inspectorate reviewed contracts worth 12 billion VND.")
        tree.write("src/french-cp1252.txt", Self.latin1("Rapport de la Cour\n" + Self.french.replacingOccurrences(of: "’", with: "'"))
            + Data([0x92]) + Data(" fin".utf8))  // 0x92 is Windows-1252's ’
        tree.write("src/german-latin1.txt", Self.latin1("Bericht des Rechnungshofs\n" + Self.german))
        tree.write("src/french-utf8.txt", "Rapport\n" + Self.french)

        let (daemon, _) = try Fixtures.indexedAndServed(tree)
        defer { daemon.stop() }

        func ids(_ query: String) throws -> [String] { try daemon.hitIDs(query) }
        func document(_ id: String) throws -> [String: Any] {
            let (status, object) = try daemon.json("/v1/documents/\(id)")
            XCTAssertEqual(status, 200, "\(id): \(object)")
            return object
        }
        func fields(_ id: String) throws -> [String: String] { (try document(id)["fields"] as? [String: String]) ?? [:] }

        XCTAssertEqual(try ids("tai san cong Thanh Hoa"), ["tcvn3.txt"])
        XCTAssertEqual(try ids("tài sản công"), ["tcvn3.txt"])
        XCTAssertEqual(try ids("quan ly dat dai Hai Duong"), ["vni.txt"])
        XCTAssertEqual(try ids("\"quản lý đất đai\""), ["vni.txt"])
        XCTAssertEqual(try ids("dau thau thiet bi Nghe An"), ["viscii.txt"])
        XCTAssertEqual(try ids("\"Việt Nam\" Trường"), ["tcvn3-notes.md"])
        for (id, encoding) in [("tcvn3.txt", "TCVN3"), ("vni.txt", "VNI"), ("viscii.txt", "VISCII"), ("tcvn3-notes.md", "TCVN3")] {
            let shown = try document(id)
            XCTAssertEqual(shown["lang"] as? String, "vi", id)
            XCTAssertEqual(try fields(id)["encoding"], "\(encoding), converted to Unicode", id)
            XCTAssertFalse((shown["body"] as? String ?? "").contains("\u{FFFD}"), id)
        }
        XCTAssertEqual(try document("tcvn3.txt")["title"] as? String, Self.tcvnText.components(separatedBy: "\n")[0])
        // To the last character: iconv's TCVN3 table holds one back until it is flushed.
        XCTAssertTrue((try document("tcvn3.txt")["body"] as? String ?? "").hasSuffix("xử lý trách nhiệm cá nhân."))
        XCTAssertTrue((try document("viscii.txt")["body"] as? String ?? "").hasSuffix("trong việc chấm thầu."))
        XCTAssertEqual(try document("vni.txt")["title"] as? String, "Kết luận thanh tra về quản lý đất đai tại tỉnh Hải Dương")
        XCTAssertEqual(try document("viscii.txt")["title"] as? String, Self.visciiText.components(separatedBy: "\n")[0])

        // Western text: never Vietnamese; Windows-1252 and Latin-1 read as such, UTF-8 untouched.
        XCTAssertEqual(try document("french-cp1252.txt")["body"] as? String, "Rapport de la Cour\n"
            + Self.french.replacingOccurrences(of: "’", with: "'") + "’ fin")
        XCTAssertEqual(try document("german-latin1.txt")["body"] as? String, "Bericht des Rechnungshofs\n" + Self.german)
        XCTAssertEqual(try fields("french-cp1252.txt")["encoding"], "Windows-1252, converted to Unicode")
        XCTAssertEqual(try fields("german-latin1.txt")["encoding"], "Windows-1252, converted to Unicode")
        for id in ["english.txt", "french-utf8.txt"] { XCTAssertNil(try fields(id)["encoding"], id) }
        // The language detector knows English and Vietnamese only; French is left out
        // here, as its "la" counts as a Vietnamese word when a text has no English ones.
        for id in ["english.txt", "german-latin1.txt"] { XCTAssertEqual(try document(id)["lang"] as? String, "en", id) }
        XCTAssertEqual(Set(try ids("irrégularités")), ["french-cp1252.txt", "french-utf8.txt"])
        XCTAssertEqual(try ids("Straßenbau"), ["german-latin1.txt"])

        // `acsearch show` says what was converted.
        var environment = ProcessInfo.processInfo.environment
        environment["ACSEARCH_SOCKET"] = daemon.socket
        let show = try Run.process(Checkout.executable("acsearch"), ["show", "vni.txt"], environment: environment)
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertNotNil(show.stdout.range(of: #"encoding\s+VNI, converted to Unicode"#, options: .regularExpression), show.stdout)
        XCTAssertTrue(show.stdout.contains("Thanh tra tỉnh đã phát hiện nhiều sai phạm"), show.stdout)
    }
}
