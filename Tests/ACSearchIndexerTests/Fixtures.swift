import ACSearchAnalysis
import ACSearchAPI
import ACSearchIndex
import ACSearchIndexer
import ACSearchTestSupport
import Foundation
import XCTest
import ZIPFoundation

enum Fixtures {
    static let resources = try! AnalysisResources(directory: Checkout.indexDirectory)

    /// A source tree of good files among poison ones (binary, invalid UTF-8, empty,
    /// huge, truncated PDF, zip bomb, broken JSON and front matter, over-long
    /// terms, a FIFO, a symlink loop); returns its root.
    static func poisonTree(in tree: TemporaryDirectory) throws -> String {
        let src = tree.child("src")
        tree.write("src/good1.txt", "Good one\nA good inspection report")
        tree.write("src/good2.md", "---\ntitle: Good two\n---\nAnother good report")
        tree.write("src/invalid-utf8.txt", Data("Title ok\nBytes ".utf8) + Data([0xFF, 0xFE, 0xC3]) + Data(" then inspection".utf8))
        tree.write("src/binary.txt", Data([0x7F, 0x45, 0x4C, 0x46, 0x00, 0x00, 0x01, 0x02, 0x00, 0x99, 0x00, 0x00, 0x13]))
        tree.write("src/empty.txt", "")
        tree.write("src/huge.txt", Data(repeating: 0x61, count: 50 * 1_048_576))
        var truncated = Fixtures.pdf("Truncated report text")
        truncated = truncated.prefix(60)
        tree.write("src/truncated.pdf", truncated)
        try Fixtures.zipBomb(megabytes: 80, at: tree.child("src/bomb.docx"))
        tree.write("src/lines.jsonl", """
        {"id": "fine-1", "body": "valid record one"}
        {"id": "broken", "body": "unterminated
        not json at all
        {"id": "fine-2", "body": "valid record two"}
        """)
        tree.write("src/bad-front.md", "---\ntitle: [unclosed\n---\nbody")
        let longWord = String(repeating: "x", count: 300)
        tree.write("src/long.json", #"{"id": "\#(String(repeating: "i", count: 300))", "body": "a \#(longWord) word", "province": "\#(longWord)"}"#)
        precondition(mkfifo(tree.child("src/pipe.txt"), 0o600) == 0, "mkfifo failed")
        try FileManager.default.createSymbolicLink(atPath: tree.child("src/loop"), withDestinationPath: src)
        return src
    }

    /// A one-page PDF whose text is `text` (ASCII), with a correct cross-reference table.
    static func pdf(_ text: String) -> Data {
        let stream = "BT /F1 12 Tf 72 720 Td (\(text)) Tj ET"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { out += String(format: "%010d 00000 n \n", offset) }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }

    /// A DOCX with the given paragraphs and title, made (`dcterms:created`) when given.
    static func docx(paragraphs: [String], title: String, created: String = "2024-05-06T08:00:00Z", at path: String) throws {
        try docx(runs: paragraphs.map { "<w:r><w:t>\($0)</w:t></w:r>" }, title: title, created: created, at: path)
    }

    /// The folder `src` of `tree` indexed by the real acsearch-index into `db` beside it,
    /// then served by a real acsearchd; with the indexer's --json summary.
    static func indexedAndServed(_ tree: TemporaryDirectory) throws -> (daemon: DaemonProcess, summary: [String: Any]) {
        let index = try Run.process(Checkout.executable("acsearch-index"), ["--db", tree.child("db"), "--json", tree.child("src")],
                                    environment: ["ACSEARCH_DATA": Checkout.indexDirectory])
        XCTAssertEqual(index.status, 0, index.stderr)
        let summary = (try? JSONSerialization.jsonObject(with: Data(index.stdout.utf8))) as? [String: Any] ?? [:]
        return (try DaemonProcess(arguments: ["--db", tree.child("db")]), summary)
    }

    /// A DOCX whose paragraphs are the given runs' XML (`<w:r>…</w:r>`, with their fonts).
    static func docx(runs paragraphs: [String], title: String, created: String = "2024-05-06T08:00:00Z", at path: String) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let body = paragraphs.map { "<w:p>\($0)</w:p>" }.joined()
        let document = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)</w:body></w:document>
        """
        let core = """
        <?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>\(title)</dc:title><dcterms:created>\(created)</dcterms:created></cp:coreProperties>
        """
        for (name, text) in [("word/document.xml", document), ("docProps/core.xml", core)] {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// An ODT with the given paragraphs, made (`meta:creation-date`) when given.
    static func odt(paragraphs: [String], created: String, at path: String) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let body = paragraphs.map { "<text:p>\($0)</text:p>" }.joined()
        let content = """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>\(body)</office:text></office:body></office:document-content>
        """
        let meta = """
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"><office:meta><meta:creation-date>\(created)</meta:creation-date></office:meta></office:document-meta>
        """
        for (name, text) in [("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", content), ("meta.xml", meta)] {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) {
                position, size in data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// A DOCX whose document.xml is `megabytes` of zeros: tiny on disk, huge expanded.
    static func zipBomb(megabytes: Int, at path: String) throws {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        let size = megabytes * 1_048_576
        try archive.addEntry(with: "word/document.xml", type: .file, uncompressedSize: Int64(size),
                             compressionMethod: .deflate) { _, chunk in Data(count: chunk) }
    }

    static func searcher(_ db: String) throws -> Searcher {
        try Searcher(shards: [.local(path: db)], resources: resources)
    }

    static func ids(_ db: String, _ query: String) throws -> [String] {
        try searcher(db).search(SearchRequest(query: query, limit: 100)).hits.map(\.id)
    }

    static func index(_ roots: [String], db: String, configure: (inout IndexerOptions) -> Void = { _ in }) throws -> IndexSummary {
        var options = IndexerOptions(databasePath: db, roots: roots)
        configure(&options)
        return try Indexer(options: options, resources: resources).indexFiles()
    }
}
