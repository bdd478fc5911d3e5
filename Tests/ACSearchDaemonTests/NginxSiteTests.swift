import ACSearchTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The nginx site shipped in systemd/acsearch-web.nginx, run by a real nginx in front
/// of the real acsearchd: the page and the API reached over loopback TCP through the
/// daemon's Unix socket, only GET let through, /metrics kept back. The site file is
/// used as shipped, but for its socket path and port.
final class NginxSiteTests: XCTestCase {
    static let nginx = "/usr/sbin/nginx"
    static let site = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("systemd/acsearch-web.nginx").path

    /// An nginx of its own in `work`, running `site` (with the socket and port put in).
    final class Nginx {
        let process = Process()
        let port: UInt16

        init(work: TemporaryDirectory, socket: String) throws {
            port = ShardServer.freePort()
            var site = try String(contentsOfFile: NginxSiteTests.site, encoding: .utf8)
            XCTAssertTrue(site.contains("server unix:/run/acsearch/acsearch.sock;"), "the shipped socket path")
            XCTAssertTrue(site.contains("listen 127.0.0.1:8080;"), "the shipped address")
            site = site.replacingOccurrences(of: "unix:/run/acsearch/acsearch.sock", with: "unix:" + socket)
                .replacingOccurrences(of: "listen 127.0.0.1:8080;", with: "listen 127.0.0.1:\(port);")
            let prefix = work.child("nginx")
            try FileManager.default.createDirectory(atPath: prefix + "/logs", withIntermediateDirectories: true)
            _ = work.write("nginx/site.conf", site)
            // Workers as the test's own user: the socket is the test's, 0660.
            let user = getuid() == 0 ? "user root;\n" : ""
            _ = work.write("nginx/nginx.conf", """
                \(user)daemon off;
                worker_processes 1;
                pid \(prefix)/nginx.pid;
                error_log \(prefix)/logs/error.log warn;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path \(prefix)/body;
                    proxy_temp_path \(prefix)/proxy;
                    fastcgi_temp_path \(prefix)/fastcgi;
                    uwsgi_temp_path \(prefix)/uwsgi;
                    scgi_temp_path \(prefix)/scgi;
                    include \(prefix)/site.conf;
                }
                """)
            let check = try Run.process(NginxSiteTests.nginx, ["-t", "-p", prefix, "-c", prefix + "/nginx.conf"])
            XCTAssertEqual(check.status, 0, "nginx -t: \(check.stderr)")
            process.executableURL = URL(fileURLWithPath: NginxSiteTests.nginx)
            process.arguments = ["-p", prefix, "-c", prefix + "/nginx.conf"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let port = self.port
            guard waitUntil(timeout: 10, { ShardServer.accepts(port) }) else {
                let log = (try? String(contentsOfFile: prefix + "/logs/error.log", encoding: .utf8)) ?? ""
                throw NSError(domain: "nginx", code: 1, userInfo: [NSLocalizedDescriptionKey: "nginx did not listen: \(log)"])
            }
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }

        /// One request through nginx: status, headers (lower-cased names) and body.
        func request(_ path: String, method: String = "GET", headers: [String] = []) throws
            -> (status: Int, headers: [String: String], body: String) {
            // HEAD by -I: with -X HEAD curl waits for the body the headers announce.
            var arguments = ["-s", "-i", "--max-time", "10"] + (method == "HEAD" ? ["-I"] : ["-X", method])
            for header in headers { arguments += ["-H", header] }
            let run = try Run.process("/usr/bin/curl", arguments + ["http://127.0.0.1:\(port)\(path)"])
            XCTAssertEqual(run.status, 0, "curl \(method) \(path): \(run.stderr)")
            let parts = run.stdout.components(separatedBy: "\r\n\r\n")
            let head = parts.first?.components(separatedBy: "\r\n") ?? []
            let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
            var fields: [String: String] = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            return (status, fields, parts.dropFirst().joined(separator: "\r\n\r\n"))
        }
    }

    func testThePageAndTheAPIThroughTheShippedSite() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.nginx) else {
            throw XCTSkip("nginx is not installed (scripts/bootstrap installs nginx-light)")
        }
        let work = TemporaryDirectory("nginx")
        let daemon = try DaemonProcess(arguments: ["--db", SampleIndex.path])
        defer { XCTAssertEqual(daemon.stop(), 0) }
        let nginx = try Nginx(work: work, socket: daemon.socket)
        defer { nginx.stop() }

        let page = try nginx.request("/?q=Hai+Duong", headers: ["Accept-Language: vi"])
        XCTAssertEqual(page.status, 200, page.body)
        XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertTrue(page.headers["content-security-policy"]?.contains("default-src 'none'") == true, "\(page.headers)")
        XCTAssertTrue(page.body.contains("<html lang=\"vi\">"), "Accept-Language passes through")
        XCTAssertTrue(page.body.contains("Hai Duong inspectors recover billions"), page.body)
        let stylesheet = try nginx.request("/static/acsearch.css")
        XCTAssertEqual(stylesheet.status, 200)
        XCTAssertEqual(stylesheet.headers["content-type"], "text/css; charset=utf-8")

        let api = try nginx.request("/v1/search?q=steering&limit=1")
        XCTAssertEqual(api.status, 200, api.body)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])
        XCTAssertEqual((object["hits"] as? [[String: Any]])?.count, 1)
        // A bad query keeps the daemon's 400 and its reason.
        let bad = try nginx.request("/v1/search?q=date:junk")
        XCTAssertEqual(bad.status, 400, bad.body)
        XCTAssertTrue(bad.body.contains("junk"), bad.body)

        // Only GET (and HEAD) reach the daemon; the counters are for the monitoring host.
        XCTAssertEqual(try nginx.request("/watches", method: "POST").status, 403)
        XCTAssertEqual(try nginx.request("/v1/watches/x", method: "DELETE").status, 403)
        XCTAssertEqual(try nginx.request("/", method: "HEAD").status, 200)
        XCTAssertEqual(try nginx.request("/metrics").status, 403)
        XCTAssertEqual(try daemon.get("/metrics").status, 200, "the daemon itself still has them")

        // Kept-alive connections to the socket (keepalive 8) serve many requests in a row.
        for round in 0..<20 { XCTAssertEqual(try nginx.request("/v1/health").status, 200, "round \(round)") }
    }
}
