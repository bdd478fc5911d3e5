import ACSearchAPI
import ACSearchAnalysis
import ACSearchIndex
import ACSearchTestSupport
import Foundation
import XapianKit

extension IndexWriter {
    /// Analyses, builds and writes a record on this thread, replacing any document
    /// with its id: what the indexer's pipeline does across threads, for tests.
    func add(_ record: SourceRecord) throws {
        let analysed = analyzer.analyse(record)
        let (document, words) = try builder.build(analysed)
        try write(BuiltDocument(id: analysed.id, document: document, words: words))
    }
}

/// A fresh index per test, written through IndexWriter and searched through Searcher.
final class IndexFixture {
    static let root = Checkout.root
    static let resources = try! AnalysisResources(directory: Checkout.indexDirectory)

    let directory = TemporaryDirectory("acsearch-index")
    var path: String { directory.child("db") }

    init(_ records: [SourceRecord]) throws {
        let writer = try IndexWriter(path: path, resources: IndexFixture.resources)
        for record in records { try writer.add(record) }
        try writer.commit()
    }

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
