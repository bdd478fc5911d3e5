@testable import ACSearchDaemon
import ACSearchTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The web page at `/` without a browser: the real acsearchd over a real index, its
/// HTML and headers read as bytes (scripts/test_web.py drives it in Chromium).
final class WebPageTests: XCTestCase {
    /// One GET, the whole answer: status, headers (lower-cased names), body.
    func get(_ daemon: DaemonProcess, _ path: String, method: String = "GET", headers: [String] = [])
        throws -> (status: Int, headers: [String: String], body: String) {
        let descriptor = try Raw.connect(daemon.socket)
        defer { close(descriptor) }
        let extra = headers.map { $0 + "\r\n" }.joined()
        _ = Raw.send(descriptor, Array("\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n\(extra)Connection: close\r\n\r\n".utf8))
        let text = String(decoding: Raw.readAll(descriptor), as: UTF8.self)
        let (status, body) = Raw.parse(text)
        var fields: [String: String] = [:]
        for line in text.components(separatedBy: "\r\n\r\n").first?.components(separatedBy: "\r\n").dropFirst() ?? [] {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, fields, body)
    }

    static let hostileTitle = "<script>alert(\"title\")</script> Zirconium & \"quotes\""

    /// An index of two documents written to attack the page: every field holds markup,
    /// the URL is a `javascript:` one, and the second cites the first.
    func hostileIndex(_ work: TemporaryDirectory) throws -> String {
        let records: [[String: Any]] = [
            ["id": "evil/<b>one</b>.md", "kind": "regulation", "title": WebPageTests.hostileTitle,
             "body": "Zirconium </textarea><script>alert('body')</script> <img src=x onerror=alert(1)> mine.",
             "date": "2023-04-05", "number": "99-QĐ/TW", "issuer": "<img src=x onerror=alert('issuer')>",
             "url": "javascript:alert('url')", "extra": "\"><svg onload=alert('field')>"],
            ["id": "evil/two.md", "kind": "press", "title": "Zirconium follow-up <i>italic</i>",
             "body": "The press item cites Regulation 99-QĐ/TW on zirconium.", "date": "2024-01-02",
             "issuer": "O'Brien & Co", "url": "https://example.org/a?b=1&c=\"2\""],
        ]
        let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let source = work.write("src/hostile.jsonl", lines.joined(separator: "\n") + "\n")
        let db = work.child("db")
        let run = try Run.process(Checkout.executable("acsearch-index"), ["--db", db, source])
        XCTAssertEqual(run.status, 0, run.stderr)
        return db
    }

    func testEveryDocumentFieldIsEscapedAndTheCSPForbidsInlineScript() throws {
        let work = TemporaryDirectory("web")
        let daemon = try DaemonProcess(arguments: ["--db", try hostileIndex(work)])
        defer { XCTAssertEqual(daemon.stop(), 0) }

        let results = try get(daemon, "/?q=zirconium")
        XCTAssertEqual(results.status, 200, results.body)
        XCTAssertEqual(results.headers["content-type"], "text/html; charset=utf-8")
        let policy = try XCTUnwrap(results.headers["content-security-policy"])
        XCTAssertTrue(policy.contains("default-src 'none'"), policy)
        XCTAssertTrue(policy.contains("script-src 'self'"), policy)
        XCTAssertFalse(policy.contains("unsafe-inline"), policy)
        XCTAssertEqual(results.headers["x-content-type-options"], "nosniff")
        let document = try get(daemon, "/doc/evil/%3Cb%3Eone%3C%2Fb%3E.md?q=zirconium")
        XCTAssertEqual(document.status, 200, document.body)
        XCTAssertEqual(document.headers["content-security-policy"], policy)
        let citing = try get(daemon, "/doc/evil/two.md")
        XCTAssertEqual(citing.status, 200, citing.body)

        for (name, page) in [("results", results.body), ("document", document.body), ("citing", citing.body)] {
            // The page's one script is its file; every other tag is the page's own.
            XCTAssertEqual(page.components(separatedBy: "<script").count - 1, 1, "\(name): \(page)")
            XCTAssertTrue(page.contains("<script src=\"/static/acsearch.js?v="), name)
            for attack in ["<img", "<svg onload", "<b>one", "<i>italic", "onerror=alert(1)>"]
                where page.contains(attack) {
                XCTFail("\(name) holds \(attack) unescaped: \(page)")
            }
            XCTAssertFalse(page.contains("href=\"javascript:"), name)
        }
        XCTAssertTrue(results.body.contains("&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; Zirconium &amp; &quot;quotes&quot;"),
                      results.body)
        XCTAssertTrue(document.body.contains("<title>&lt;script&gt;alert(&quot;title&quot;)"), document.body)
        // The body is escaped once (by the index layer) with the query's word marked.
        XCTAssertTrue(document.body.contains("<mark>Zirconium</mark> &lt;/textarea&gt;&lt;script&gt;alert('body')"), document.body)
        XCTAssertTrue(document.body.contains("&lt;img src=x onerror=alert(&#39;issuer&#39;)&gt;"), "issuer")
        XCTAssertTrue(document.body.contains("&quot;&gt;&lt;svg onload=alert(&#39;field&#39;)&gt;"), "an extra field")
        // A javascript: URL is shown as text, never a link; an http one is a link, escaped.
        XCTAssertTrue(document.body.contains("<dd>javascript:alert(&#39;url&#39;)</dd>"), document.body)
        XCTAssertTrue(citing.body.contains("href=\"https://example.org/a?b=1&amp;c=&quot;2&quot;\""), citing.body)
        // Citations both ways, as links to the documents' pages (the id's "<" encoded).
        XCTAssertTrue(citing.body.contains("href=\"/doc/evil/%3Cb%3Eone%3C/b%3E.md\""), citing.body)
        XCTAssertTrue(document.body.contains("href=\"/doc/evil/two.md?q=zirconium\""), document.body)
    }

    func testTheURLIsTheStateAndLinksRefineIt() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { XCTAssertEqual(daemon.stop(), 0) }

        let page = try get(daemon, "/?q=Hai+Duong")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("<html lang=\"en\">"))
        // A facet is a link adding its filter; a year keeps its dates; a bar of the timeline its own.
        XCTAssertTrue(page.body.contains("href=\"/?q=Hai%20Duong&amp;kind=press\""), page.body)
        XCTAssertTrue(page.body.contains("href=\"/?q=Hai%20Duong&amp;from=2022&amp;to=2022\""), page.body)
        XCTAssertTrue(page.body.contains("<a href=\"/?q=Hai%20Duong&amp;from=2023&amp;to=2023\" class=\"bar\""), page.body)
        XCTAssertTrue(page.body.contains("href=\"/export.csv?q=Hai%20Duong\""), page.body)

        let refined = try get(daemon, "/?q=Hai+Duong&kind=press&from=2023&to=2023")
        XCTAssertEqual(refined.status, 200)
        XCTAssertTrue(refined.body.contains("<strong>2</strong> documents match"), refined.body)
        XCTAssertTrue(refined.body.contains("Hai Duong inspectors recover billions"), refined.body)
        // The filters in force are kept by the search box and can each be dropped.
        XCTAssertTrue(refined.body.contains("<input type=\"hidden\" name=\"kind\" value=\"press\">"), refined.body)
        XCTAssertTrue(refined.body.contains("href=\"/?q=Hai%20Duong&amp;from=2023&amp;to=2023\" class=\"remove\""), refined.body)
        // A narrow span is drawn by month.
        XCTAssertTrue(refined.body.contains("data-from=\"2023-12\""), refined.body)

        // Vietnamese when the browser asks for it, English when the switch says so.
        let vietnamese = try get(daemon, "/?q=thanh+tra", headers: ["Accept-Language: vi-VN,vi;q=0.9,en;q=0.8"])
        XCTAssertTrue(vietnamese.body.contains("<html lang=\"vi\">"))
        XCTAssertTrue(vietnamese.body.contains("văn bản khớp"), vietnamese.body)
        XCTAssertTrue(vietnamese.body.contains("href=\"/?q=thanh%20tra&amp;ui=en\""), "the switch")
        let english = try get(daemon, "/?q=thanh+tra&ui=en", headers: ["Accept-Language: vi"])
        XCTAssertTrue(english.body.contains("documents match"))

        // Paging: page 2 of everything, with links both ways.
        let second = try get(daemon, "/?page=2")
        XCTAssertTrue(second.body.contains("<ol class=\"hits\" start=\"11\">"), second.body)
        XCTAssertTrue(second.body.contains("href=\"/\" rel=\"prev\"") && second.body.contains("href=\"/?page=3\" rel=\"next\""))

        // The export: every match as CSV, the CLI's columns.
        let csv = try get(daemon, "/export.csv?q=Hai+Duong")
        XCTAssertEqual(csv.status, 200)
        XCTAssertEqual(csv.headers["content-type"], "text/csv; charset=utf-8")
        XCTAssertEqual(csv.headers["content-disposition"], "attachment; filename=\"acsearch.csv\"")
        let rows = csv.body.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(rows.first, "id,kind,date,number,issuer,provinces,title,url")
        XCTAssertEqual(rows.count, 8, csv.body)

        // A document's page: what it cites and what cites it, and documents like it.
        let regulation = try get(daemon, "/doc/regulations/qd-67-2022-ban-chi-dao-cap-tinh.md?q=steering")
        XCTAssertEqual(regulation.status, 200)
        XCTAssertTrue(regulation.body.contains("href=\"/doc/press/vna-2023-06-19-provincial-steering-committees-one-year.md?q=steering\""))
        XCTAssertTrue(regulation.body.contains("<h2>Similar documents</h2>"), regulation.body)
        // The switch keeps the page: the same document in the other language.
        XCTAssertTrue(regulation.body.contains("class=\"switch\" href=\"/doc/regulations/qd-67-2022-ban-chi-dao-cap-tinh.md?q=steering&amp;ui=vi\""),
                      regulation.body)
        XCTAssertTrue(regulation.body.contains("href=\"/?q=cites%3A%2267-Q%C4%90%2FTW%22\""), regulation.body)
    }

    func testBadRequestsAreAnsweredWithAPageSayingWhy() throws {
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let syntax = try get(daemon, "/?q=kind%3Anonsense")
        XCTAssertEqual(syntax.status, 400, syntax.body)
        XCTAssertTrue(syntax.body.contains("<p class=\"error\" role=\"alert\">"), syntax.body)
        let badKind = try get(daemon, "/?kind=%3Cscript%3E")
        XCTAssertEqual(badKind.status, 400)
        XCTAssertFalse(badKind.body.contains("<script>"), badKind.body)
        XCTAssertEqual(try get(daemon, "/doc/no/such.md").status, 404)
        XCTAssertEqual(try get(daemon, "/?page=2000").status, 400)
        XCTAssertEqual(try get(daemon, "/static/nothing.js").status, 404)
        // A watch that is not there, and a name no watch can have, are pages saying so.
        let noWatch = try get(daemon, "/watches/no-such-watch")
        XCTAssertEqual(noWatch.status, 404)
        XCTAssertTrue(noWatch.body.contains("no watch named &quot;no-such-watch&quot;"), noWatch.body)
        XCTAssertEqual(try get(daemon, "/watches/.hidden").status, 400)
        XCTAssertEqual(try get(daemon, "/watches", method: "POST").status, 405)
        // Read-only: no method but GET and HEAD.
        XCTAssertEqual(try get(daemon, "/?q=x", method: "POST").status, 405)
        let head = try get(daemon, "/?q=x", method: "HEAD")
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.body, "")
        let script = try get(daemon, "/static/acsearch.js")
        XCTAssertEqual(script.headers["content-type"], "text/javascript; charset=utf-8")
        XCTAssertTrue(script.body.contains("/v1/suggest"))
    }

    func testTemplatesParseAndTheLanguageIsChosen() throws {
        XCTAssertNoThrow(try WebSite.library.get())
        XCTAssertEqual(WebLanguage.chosen(parameter: nil, acceptLanguage: "fr-FR,vi;q=0.5,en;q=0.4"), .vi)
        XCTAssertEqual(WebLanguage.chosen(parameter: nil, acceptLanguage: "vi;q=0.2,en-GB"), .en)
        XCTAssertEqual(WebLanguage.chosen(parameter: "vi", acceptLanguage: "en"), .vi)
        XCTAssertEqual(WebLanguage.chosen(parameter: nil, acceptLanguage: nil), .en)
        XCTAssertEqual(Set(WebLanguage.english.keys), Set(WebLanguage.vietnamese.keys), "both languages have every word")
    }

    func testCSVFieldsAreQuotedAndFormulasDisarmed() {
        XCTAssertEqual(WebExport.line(["a,b", "say \"hi\"", "=HYPERLINK(\"x\")", "plain", "line\nbreak"]),
                       "\"a,b\",\"say \"\"hi\"\"\",\"'=HYPERLINK(\"\"x\"\")\",plain,\"line\nbreak\"\r\n")
        XCTAssertEqual(WebURL.encode("Hải Dương/&=?"), "H%E1%BA%A3i%20D%C6%B0%C6%A1ng%2F%26%3D%3F")
        XCTAssertFalse(WebURL.isWeb("javascript:alert(1)"))
        XCTAssertFalse(WebURL.isWeb(" https://x"))
        XCTAssertTrue(WebURL.isWeb("HTTPS://example.org"))
    }

    /// The command a results page offers to save its search as a watch is one a shell
    /// reads back word for word, whatever the query holds.
    func testTheWatchCommandIsWhatAShellReadsBack() throws {
        XCTAssertEqual(WebSite.shellQuoted("Hải-Dương_2023"), "Hải-Dương_2023")
        XCTAssertEqual(WebSite.shellQuoted("O'Brien & $(rm -rf ~)"), #"'O'\''Brien & $(rm -rf ~)'"#)
        XCTAssertEqual(WebSite.shellQuoted(""), "''")
        var state = WebState(parameters: [("q", "đất đai \"Ban Chỉ đạo\""), ("province", "Hải Dương"), ("from", "2023"),
                                          ("sort", "newest"), ("page", "3")])
        XCTAssertEqual(WebSite.watchCommand(state),
                       #"acsearch watch add NAME 'đất đai "Ban Chỉ đạo"' --province 'Hải Dương' --since 2023"#)
        state = WebState(parameters: [("sort", "newest")])
        XCTAssertNil(WebSite.watchCommand(state), "no search, nothing to watch")
        let echoed = try Run.process("/bin/sh", ["-c", "printf '%s\\n' " + WebSite.shellQuoted("it's $HOME `id`")])
        XCTAssertEqual(echoed.stdout, "it's $HOME `id`\n")
    }
}

extension WebPageTests {
    /// Sums on the page: a sort by the largest, each hit's largest sum and a document's
    /// sums as written, in the page's language.
    func testSumsAreSortedByAndShownInThePagesLanguage() throws {
        let work = TemporaryDirectory("web-amounts")
        let records: [[String: Any]] = [
            ["id": "kl/small", "kind": "conclusion", "title": "Kết luận thanh tra đất đai nhỏ", "date": "2023-01-02",
             "body": "Kết luận thanh tra: thu hồi 2,1 tỷ đồng."],
            ["id": "kl/large", "kind": "conclusion", "title": "Kết luận thanh tra đất đai lớn", "date": "2021-01-02",
             "body": "Kết luận thanh tra: sai phạm gây thiệt hại 126 tỷ đồng; phạt 500 triệu đồng."],
        ]
        let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let source = work.write("src/sums.jsonl", lines.joined(separator: "\n") + "\n")
        let db = work.child("db")
        let run = try Run.process(Checkout.executable("acsearch-index"), ["--db", db, source])
        XCTAssertEqual(run.status, 0, run.stderr)
        let daemon = try DaemonProcess(arguments: ["--db", db])
        defer { XCTAssertEqual(daemon.stop(), 0) }

        let newest = try get(daemon, "/?q=thanh+tra&sort=newest&ui=en")
        XCTAssertTrue(newest.body.contains("<a href=\"/?q=thanh%20tra&amp;sort=amount&amp;ui=en\">largest sum</a>"), newest.body)
        let titles = { (body: String) -> [String] in
            ["nhỏ", "lớn"].sorted { body.range(of: "đai " + $0)!.lowerBound < body.range(of: "đai " + $1)!.lowerBound }
        }
        XCTAssertEqual(titles(newest.body), ["nhỏ", "lớn"], "newest first")
        let largest = try get(daemon, "/?q=thanh+tra&sort=amount&ui=en")
        XCTAssertEqual(largest.status, 200)
        XCTAssertEqual(titles(largest.body), ["lớn", "nhỏ"], "the largest sum first")
        XCTAssertTrue(largest.body.contains("<span class=\"amount\">126 billion VND</span>"), largest.body)
        XCTAssertTrue(largest.body.contains("<span class=\"amount\">2.1 billion VND</span>"), largest.body)
        let vietnamese = try get(daemon, "/?q=thanh+tra&sort=amount&ui=vi")
        XCTAssertTrue(vietnamese.body.contains(">số tiền lớn nhất</a>"), vietnamese.body)
        XCTAssertTrue(vietnamese.body.contains("<span class=\"amount\">2,1 tỷ đồng</span>"), vietnamese.body)
        let document = try get(daemon, "/doc/kl/large?ui=en")
        XCTAssertEqual(document.status, 200)
        XCTAssertTrue(document.body.contains("126 tỷ đồng (126 billion VND); 500 triệu đồng (500 million VND)"), document.body)
    }
}
