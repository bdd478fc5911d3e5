import ACSearchAPI
import ACSearchAnalysis
import ACSearchIndex
import Foundation
import XapianKit

/// A fresh index per test, written through IndexWriter and searched through Searcher.
final class IndexFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let resources = try! AnalysisResources(directory: root.appendingPathComponent("index").path)

    let directory: URL
    var path: String { directory.appendingPathComponent("db").path }

    init(_ records: [SourceRecord]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("acsearch-index-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let writer = try IndexWriter(path: path, resources: IndexFixture.resources)
        for record in records { try writer.add(record) }
        try writer.commit()
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func searcher() throws -> Searcher {
        try Searcher(shards: [.local(path: path)], resources: IndexFixture.resources)
    }

    /// Ids of the hits, in rank order.
    func ids(_ query: String, _ configure: (inout SearchRequest) -> Void = { _ in }) throws -> [String] {
        var request = SearchRequest(query: query)
        configure(&request)
        return try searcher().search(request).hits.map(\.id)
    }
}
