import ACSearchTestSupport
import Foundation
import XCTest

/// Small things a user notices, through the real indexer, daemon and CLI: a page past
/// the last, undated documents under either date order, a merged province's note, and
/// cited numbers as the document wrote them.
final class CLIDetailsTests: XCTestCase {
    func index(_ records: [[String: Any]], into directory: TemporaryDirectory) throws -> DaemonProcess {
        let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let feed = directory.write("feed.jsonl", lines.joined(separator: "\n") + "\n")
        let index = try Run.process(Checkout.executable("acsearch-index"), ["--db", directory.child("db"), feed])
        XCTAssertEqual(index.status, 0, index.stderr)
        return try DaemonProcess(arguments: ["--db", directory.child("db")])
    }

    func acsearch(_ daemon: DaemonProcess, _ arguments: [String]) throws -> ProcessResult {
        try Run.process(Checkout.executable("acsearch"), ["--socket", daemon.socket] + arguments)
    }

    func testAPagePastTheLastSaysWhichIsTheLast() throws {
        let directory = TemporaryDirectory("paging")
        let records: [[String: Any]] = (1...30).map {
            ["id": "p/\($0)", "kind": "press", "title": "Kiểm toán ngân sách \($0)", "body": "kiểm toán ngân sách lần \($0)"]
        }
        let daemon = try index(records, into: directory)
        defer { daemon.stop() }
        let past = try acsearch(daemon, ["--limit", "5", "--page", "9", "kiểm toán"])
        XCTAssertEqual(past.status, 0, past.stderr)
        XCTAssertTrue(past.stdout.hasPrefix("showing nothing: 30 documents match, the last page is 6"), past.stdout)
        XCTAssertFalse(past.stdout.contains("No documents match"), past.stdout)
        let last = try acsearch(daemon, ["--limit", "5", "--page", "6", "kiểm toán"])
        XCTAssertTrue(last.stdout.contains("30 documents match, showing 26–30"), last.stdout)
        let pastByOffset = try acsearch(daemon, ["--limit", "10", "--offset", "40", "kiểm toán"])
        XCTAssertTrue(pastByOffset.stdout.hasPrefix("showing nothing: 30 documents match, the last page is 3"), pastByOffset.stdout)
        let none = try acsearch(daemon, ["zzyzx"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stdout.hasPrefix("No documents match \"zzyzx\"."), none.stdout)
    }

    func testUndatedDocumentsComeLastInEitherDateOrder() throws {
        let directory = TemporaryDirectory("sort")
        let records: [[String: Any]] = [
            ["id": "s/undated-1", "kind": "press", "title": "Kiểm toán A", "body": "kiểm toán"],
            ["id": "s/2023", "kind": "press", "title": "Kiểm toán B", "body": "kiểm toán", "date": "2023-05-01"],
            ["id": "s/2021", "kind": "press", "title": "Kiểm toán C", "body": "kiểm toán", "date": "2021-02-03"],
            ["id": "s/undated-2", "kind": "press", "title": "Kiểm toán D", "body": "kiểm toán"],
            ["id": "s/2022", "kind": "press", "title": "Kiểm toán E", "body": "kiểm toán", "date": "2022-12-31"],
        ]
        let daemon = try index(records, into: directory)
        defer { daemon.stop() }
        func ids(_ sort: String, _ extra: [String] = []) throws -> [String] {
            let run = try acsearch(daemon, ["--json", "--sort", sort] + extra + ["kiểm toán"])
            XCTAssertEqual(run.status, 0, run.stderr)
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            return (object?["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        let oldest = try ids("oldest")
        XCTAssertEqual(Array(oldest.prefix(3)), ["s/2021", "s/2022", "s/2023"], "\(oldest)")
        XCTAssertEqual(Set(oldest.suffix(2)), ["s/undated-1", "s/undated-2"], "\(oldest)")
        let newest = try ids("newest")
        XCTAssertEqual(Array(newest.prefix(3)), ["s/2023", "s/2022", "s/2021"], "\(newest)")
        XCTAssertEqual(Set(newest.suffix(2)), ["s/undated-1", "s/undated-2"], "\(newest)")
        // Paged, the undated are still after every date.
        XCTAssertEqual(try ids("oldest", ["--limit", "2", "--page", "2"]), ["s/2023", oldest[3]])
        let text = try acsearch(daemon, ["--sort", "oldest", "kiểm toán"])
        XCTAssertTrue(text.stdout.contains(" 1. Kiểm toán C"), text.stdout)
    }

    func testShowNamesTheProvinceNowAndCitesNumbersAsWritten() throws {
        let directory = TemporaryDirectory("show")
        let records: [[String: Any]] = [[
            "id": "d/one", "kind": "conclusion", "title": "Kết luận thanh tra đất đai", "lang": "vi",
            "province": "Hải Dương", "date": "2024-01-05", "number": "12/KL-TTr",
            "body": "Căn cứ Quy định số 67-QĐ/TW và Nghị định 05/2022/NĐ-CP, Thanh tra tỉnh Hải Dương kết luận.",
        ]]
        let daemon = try index(records, into: directory)
        defer { daemon.stop() }
        let show = try acsearch(daemon, ["show", "d/one"])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("Hải Dương (now part of Hải Phòng)"), show.stdout)
        XCTAssertFalse(show.stdout.contains("hai-phong"), show.stdout)
        let cites = try XCTUnwrap(show.stdout.split(separator: "\n").first { $0.hasPrefix("Cites ") }, show.stdout)
        XCTAssertEqual(cites, "Cites 67-QĐ/TW, 05/2022/NĐ-CP")
        // The API keeps the canonical numbers (what /v1/citations takes) beside them.
        let json = try acsearch(daemon, ["--json", "show", "d/one"])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["cites"] as? [String], ["67-QD/TW", "5/2022/ND-CP"])
        XCTAssertEqual(object["cites_written"] as? [String], ["67-QĐ/TW", "05/2022/NĐ-CP"])
        let province = try XCTUnwrap((object["provinces"] as? [[String: Any]])?.first)
        XCTAssertEqual(province["now"] as? String, "hai-phong")
        XCTAssertEqual(province["now_name"] as? String, "Hải Phòng")
    }

    /// Two provinces' "12-CT/TU" are two documents: `acsearch cites` shows both, says
    /// whose each is, which one each citation means, and which it cannot tell;
    /// `acsearch show` marks an undecided citation too.
    func testCitesTellsTwoIssuersOfOneNumberApart() throws {
        let directory = TemporaryDirectory("cites")
        let records: [[String: Any]] = [
            ["id": "tb/ct-12", "kind": "regulation", "title": "Chỉ thị về kê khai tài sản", "lang": "vi", "date": "2021-03-05",
             "number": "12-CT/TU", "province": "Thái Bình", "issuer": "Tỉnh ủy Thái Bình",
             "body": "TỈNH ỦY THÁI BÌNH\nSố 12-CT/TU\nChỉ thị về kê khai tài sản."],
            ["id": "hd/ct-12", "kind": "regulation", "title": "Chỉ thị về đất đai", "lang": "vi", "date": "2022-04-11",
             "number": "12-CT/TU", "province": "Hải Dương", "issuer": "Tỉnh ủy Hải Dương",
             "body": "TỈNH ỦY HẢI DƯƠNG\nSố 12-CT/TU\nChỉ thị về đất đai."],
            ["id": "c/named", "kind": "press", "title": "Thái Bình rà soát kê khai", "lang": "vi", "date": "2021-06-01",
             "body": "Thực hiện Chỉ thị số 12-CT/TU của Tỉnh ủy Thái Bình, các huyện đã rà soát."],
            ["id": "c/ambiguous", "kind": "press", "title": "Provinces tighten declarations", "lang": "en", "date": "2022-10-01",
             "body": "Several provincial Party committees issued directives numbered 12-CT/TU."],
        ]
        let daemon = try index(records, into: directory)
        defer { daemon.stop() }
        let cites = try acsearch(daemon, ["cites", "12-CT/TU"])
        XCTAssertEqual(cites.status, 0, cites.stderr)
        let lines = cites.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("12-CT/TU: 2 documents have this number") == true, cites.stdout)
        XCTAssertTrue(lines.contains { $0.contains("Chỉ thị về kê khai tài sản") && $0.contains("Thái Bình") && $0.contains("[tb/ct-12]") },
                      cites.stdout)
        XCTAssertTrue(lines.contains { $0.contains("Chỉ thị về đất đai") && $0.contains("Hải Dương") && $0.contains("[hd/ct-12]") },
                      cites.stdout)
        let named = try XCTUnwrap(lines.first { $0.contains("[c/named]") }, cites.stdout)
        XCTAssertTrue(named.contains("→ Thái Bình's [tb/ct-12]"), named)
        let ambiguous = try XCTUnwrap(lines.first { $0.contains("[c/ambiguous]") }, cites.stdout)
        XCTAssertTrue(ambiguous.contains("ambiguous"), ambiguous)
        XCTAssertTrue(ambiguous.contains("tb/ct-12") && ambiguous.contains("hd/ct-12"), ambiguous)

        let json = try acsearch(daemon, ["--json", "cites", "12-CT/TU"])
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(Set((object["documents"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }), ["tb/ct-12", "hd/ct-12"])
        let citing = object["cited_by"] as? [[String: Any]] ?? []
        XCTAssertEqual(citing.first { $0["id"] as? String == "c/ambiguous" }?["ambiguous"] as? Bool, true)
        XCTAssertEqual(citing.first { $0["id"] as? String == "c/named" }?["resolves_to"] as? String, "tb/ct-12")

        let show = try acsearch(daemon, ["show", "c/ambiguous"])
        XCTAssertEqual(show.status, 0, show.stderr)
        XCTAssertTrue(show.stdout.contains("12-CT/TU Chỉ thị về kê khai tài sản [tb/ct-12] (Thái Bình; ambiguous)"), show.stdout)
        XCTAssertTrue(show.stdout.contains("12-CT/TU Chỉ thị về đất đai [hd/ct-12] (Hải Dương; ambiguous)"), show.stdout)
        let resolved = try acsearch(daemon, ["show", "c/named"])
        XCTAssertTrue(resolved.stdout.contains("12-CT/TU Chỉ thị về kê khai tài sản [tb/ct-12]"), resolved.stdout)
        XCTAssertFalse(resolved.stdout.contains("hd/ct-12"), resolved.stdout)
    }

    /// A news item reporting a conclusion is a press item citing the conclusion's
    /// number, not numbered by it; the conclusion itself keeps its number and is
    /// cited by the news item.
    func testAPressItemCitesTheConclusionItReports() throws {
        let directory = TemporaryDirectory("press-kl")
        let records: [[String: Any]] = [
            ["id": "vna/kl", "body": """
                Government Inspectorate points out violations at land projects in Hai Duong
                Hanoi (VNA) – The Government Inspectorate has issued Conclusion No. 1234/KL-TTCP on the management of land \
                use in Hai Duong province, finding violations that caused losses of 126 billion VND.
                The inspection conclusion recommended that the provincial People's Committee recover the sums.
                """],
            ["id": "ttcp/1234", "body": """
                THANH TRA CHÍNH PHỦ
                Số: 1234/KL-TTCP
                Hà Nội, ngày 10 tháng 2 năm 2023
                KẾT LUẬN THANH TRA việc quản lý, sử dụng đất đai tại tỉnh Hải Dương
                Sai phạm gây thiệt hại 126 tỷ đồng.
                """],
        ]
        let daemon = try index(records, into: directory)
        defer { daemon.stop() }
        let json = try acsearch(daemon, ["--json", "show", "vna/kl"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let press = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(press["kind"] as? String, "press")
        XCTAssertNil(press["number"], "a press item has no number of its own")
        XCTAssertEqual(press["cites"] as? [String], ["1234/KL-TTCP"])
        let show = try acsearch(daemon, ["show", "vna/kl"])
        XCTAssertTrue(show.stdout.contains("Cites 1234/KL-TTCP"), show.stdout)
        XCTAssertTrue(show.stdout.contains("[ttcp/1234]"), "the conclusion is found by its number: \(show.stdout)")
        let conclusion = try acsearch(daemon, ["--json", "show", "ttcp/1234"])
        let kl = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(conclusion.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(kl["kind"] as? String, "conclusion")
        XCTAssertEqual(kl["number"] as? String, "1234/KL-TTCP")
        let citedBy = (kl["cited_by"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        XCTAssertEqual(citedBy, ["vna/kl"])
    }

    /// Sums of money through the real indexer, daemon and CLI: filtered by
    /// `amount:` in each way it is typed, sorted by the largest sum, shown in hits
    /// and in `show`; a bad sum is refused with what is wrong.
    func testAmountsFilterSortAndShow() throws {
        let directory = TemporaryDirectory("amounts")
        let records: [[String: Any]] = [
            ["id": "a/126", "kind": "conclusion", "title": "Kết luận thanh tra đất đai A",
             "body": "Kết luận thanh tra: thu hồi 2,1 tỷ đồng; sai phạm gây thiệt hại 126 tỷ đồng. Điều 126."],
            ["id": "a/48", "kind": "conclusion", "title": "Inspection conclusion on land B",
             "body": "The inspection conclusion found losses of 48 billion VND and fines of VND 500 million."],
            ["id": "a/3200", "kind": "press", "title": "Kết luận thanh tra đất đai C",
             "body": "Thanh tra kết luận sai phạm VND 3.2 trillion, tức 3,2 nghìn tỷ đồng."],
            ["id": "a/small", "kind": "press", "title": "Kết luận thanh tra đất đai D",
             "body": "Kết luận thanh tra phạt 1.234.567.890 đồng."],
            ["id": "a/none", "kind": "press", "title": "Kết luận thanh tra đất đai E",
             "body": "Kết luận thanh tra năm 2022 theo Chỉ thị 12-CT/TU, không nêu số tiền."],
        ]
        let daemon = try index(records, into: directory)
        defer { daemon.stop() }
        func hits(_ arguments: [String]) throws -> [[String: Any]] {
            let run = try acsearch(daemon, ["--json"] + arguments)
            XCTAssertEqual(run.status, 0, "\(arguments): \(run.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            return object?["hits"] as? [[String: Any]] ?? []
        }
        func ids(_ arguments: [String]) throws -> [String] { try hits(arguments).compactMap { $0["id"] as? String } }
        let sorted = try ids(["--sort", "amount", "thanh tra OR inspection"])
        XCTAssertEqual(sorted, ["a/3200", "a/126", "a/48", "a/small", "a/none"], "the largest sum first, none last")
        XCTAssertEqual(Set(try ids(["amount:10e9.."])), ["a/3200", "a/126", "a/48"])
        XCTAssertEqual(Set(try ids(["amount:10000000000..50000000000"])), ["a/48"])
        XCTAssertEqual(Set(try ids(["amount:10tỷ..130tỷ"])), ["a/126", "a/48"])
        XCTAssertEqual(Set(try ids(["amount:..2bn"])), ["a/small"])
        XCTAssertEqual(Set(try ids(["amount:1nghìntỷ..", "kind:press"])), ["a/3200"])
        XCTAssertEqual(Set(try ids(["amount:2,1tỷ..48bn"])), ["a/48"], "a decimal comma, as in the texts")
        let first = try XCTUnwrap(try hits(["--sort", "amount", "amount:1e9.."]).first)
        XCTAssertEqual(first["amount_vnd"] as? Int, 3_200_000_000_000)
        XCTAssertNil(try hits(["năm 2022"]).first { $0["id"] as? String == "a/none" }?["amount_vnd"])
        let text = try acsearch(daemon, ["--sort", "amount", "amount:1e9.."])
        XCTAssertTrue(text.stdout.contains("3.2 trillion VND"), text.stdout)
        XCTAssertTrue(text.stdout.contains("126 billion VND"), text.stdout)
        let show = try acsearch(daemon, ["show", "a/126"])
        let amounts = try XCTUnwrap(show.stdout.split(separator: "\n").first { $0.contains("amounts") }, show.stdout)
        XCTAssertTrue(amounts.hasSuffix("126 tỷ đồng (126 billion VND); 2,1 tỷ đồng (2.1 billion VND)"), String(amounts))
        let json = try acsearch(daemon, ["--json", "show", "a/48"])
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["amount_vnd"] as? Int, 48_000_000_000)
        XCTAssertEqual((document["amounts"] as? [[String: Any]])?.compactMap { $0["written"] as? String },
                       ["48 billion VND", "VND 500 million"])

        for (query, expected) in [
            ("amount:abc..", "\"abc\" is not a sum in đồng"),
            ("amount:..10xyz", "\"10xyz\" is not a sum in đồng"),
            ("amount:50tỷ..10tỷ", "the start is more than the end"),
            ("amount:10tỷ", "amount: takes a range"),
        ] {
            let bad = try acsearch(daemon, [query])
            XCTAssertNotEqual(bad.status, 0, query)
            XCTAssertTrue(bad.stderr.contains(expected), "\(query): \(bad.stderr)")
            let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (status, object) = try daemon.json("/v1/search?q=\(encoded)")
            XCTAssertEqual(status, 400, "\(query): \(object)")
            let message = (object["error"] as? [String: Any])?["message"] as? String ?? ""
            XCTAssertTrue(message.contains(expected), "\(query): \(object)")
        }
        let (status, object) = try daemon.json("/v1/search?q=kiem&sort=largest")
        XCTAssertEqual(status, 400)
        let message = (object["error"] as? [String: Any])?["message"] as? String ?? ""
        XCTAssertTrue(message.contains("relevance, newest, oldest or amount"), "\(object)")
    }
}

extension CLIDetailsTests {
    /// Who a document names, through the real indexer, daemon and CLI: a capital heading
    /// and its number line, a district and a title are no one; the people beside them are
    /// found by `person:` with and without diacritics and listed by `show`.
    func testPeopleAreFoundAndHeadingsDistrictsAndTitlesAreNot() throws {
        let directory = TemporaryDirectory("people")
        let records: [[String: Any]] = [
            ["id": "tb/kl", "body": """
                TỈNH ỦY THÁI BÌNH
                Số 12-CT/TU
                Thái Bình, ngày 5 tháng 3 năm 2021
                Đoàn thanh tra làm việc tại huyện Thái Thụy. Trưởng Ban Chỉ đạo là đồng chí Trương Văn Bình, \
                Bí thư Tỉnh ủy. Ông Hồ Sỹ Long, Trưởng phòng huyện Thái Thụy, báo cáo.
                """],
        ]
        let daemon = try index(records, into: directory)
        defer { daemon.stop() }
        let json = try acsearch(daemon, ["--json", "show", "tb/kl"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let people = (document["people"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        XCTAssertEqual(Set(people), ["Trương Văn Bình", "Hồ Sỹ Long"], "\(people)")
        for query in ["person:\"Truong Van Binh\"", "person:\"Hồ Sỹ Long\"", "person:\"ho sy long\""] {
            let found = try acsearch(daemon, ["--json", query])
            XCTAssertEqual(found.status, 0, found.stderr)
            let object = try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any]
            XCTAssertEqual((object?["hits"] as? [[String: Any]])?.compactMap { $0["id"] as? String }, ["tb/kl"], query)
        }
        for query in ["person:\"Thái Bình Số\"", "person:\"Thái Thụy\"", "person:\"Trưởng Ban Chỉ\""] {
            let found = try acsearch(daemon, ["--json", query])
            let object = try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: Any]
            XCTAssertEqual((object?["hits"] as? [[String: Any]])?.count, 0, "\(query) is no one: \(found.stdout)")
        }
        let show = try acsearch(daemon, ["show", "tb/kl"])
        let line = try XCTUnwrap(show.stdout.split(separator: "\n").first { $0.hasPrefix("people") }, show.stdout)
        XCTAssertTrue(line.contains("Trương Văn Bình") && line.contains("Hồ Sỹ Long"), String(line))
        XCTAssertFalse(line.contains("THÁI BÌNH") || line.contains("Trưởng Ban Chỉ;"), String(line))
    }
}
