import ACSearchAnalysis
import ACSearchIndex
import Dispatch
import Foundation
import XapianKit

/// One worker's tools: a stemmer, an analyzer and a document builder, which are
/// not thread-safe, so each worker thread takes a whole pipeline from the pool.
final class Pipeline {
    let stemmer: IndexStemmer
    let analyzer: DocumentAnalyzer
    let builder: DocumentBuilder

    init(resources: AnalysisResources) throws {
        stemmer = try IndexStemmer()
        analyzer = DocumentAnalyzer(resources: resources, stem: stemmer.stem)
        builder = try DocumentBuilder(stemmer: stemmer, stopWords: resources.stopWords)
    }

    /// Reads, analyses and builds one work item.
    func build(_ item: Indexer.WorkItem, limits: ExtractionLimits) -> Indexer.Outcome {
        switch item {
        case .line(let number, let text):
            do {
                let record = try JSONRecords.record(text, id: "stdin-" + Digest.fnv1a64Hex(text), source: "stdin")
                return .documents(built: [try build(record)], errors: [], state: nil, previous: nil)
            } catch let error as ExtractionError {
                return .documents(built: [], errors: [(number, error)], state: nil, previous: nil)
            } catch {
                return .documents(built: [], errors: [(number, .invalidRecord("\(error)"))], state: nil, previous: nil)
            }
        case .file(let file, let previous):
            if file.size > limits.maxFileSize {
                return .skipped(path: file.path, reason: ExtractionError.tooLarge(bytes: file.size, limit: limits.maxFileSize).description,
                                size: file.size, modified: file.modified)
            }
            guard let data = FileManager.default.contents(atPath: file.path) else {
                return .skipped(path: file.path, reason: "cannot read the file", size: -1, modified: 0)
            }
            let hash = Digest.fnv1a64Hex(data)
            if let previous, previous.hash == hash {
                var state = previous
                state.size = file.size
                state.modified = file.modified
                return .touched(state)
            }
            do {
                let extracted = try Extraction.extract(file.path, format: file.format, id: file.id, limits: limits)
                if extracted.records.isEmpty, let first = extracted.recordErrors.first {
                    return .skipped(path: file.path, reason: "no valid record (line \(first.line): \(first.error))",
                                    size: file.size, modified: file.modified)
                }
                let built = try extracted.records.map { try build($0) }
                let state = FileState(path: file.path, root: file.root, size: file.size, modified: file.modified,
                                      hash: hash, ids: built.map(\.id))
                return .documents(built: built, errors: extracted.recordErrors, state: state, previous: previous)
            } catch let error as ExtractionError {
                return .skipped(path: file.path, reason: error.description, size: file.size, modified: file.modified)
            } catch {
                return .skipped(path: file.path, reason: "\(error)", size: file.size, modified: file.modified)
            }
        }
    }

    private func build(_ record: SourceRecord) throws -> BuiltDocument {
        let analysed = analyzer.analyse(record)
        let (document, words) = try builder.build(analysed)
        return BuiltDocument(id: analysed.id, document: document, words: words)
    }
}

/// Pipelines lent to worker threads, one thread per pipeline at a time.
final class PipelinePool: @unchecked Sendable {
    // @unchecked: the lock guards `idle`; a pipeline is used by the one thread that
    // took it until it gives it back.
    private let lock = NSLock()
    private var idle: [Pipeline] = []
    private let resources: AnalysisResources

    init(resources: AnalysisResources, count: Int) {
        self.resources = resources
    }

    func take() throws -> Pipeline {
        lock.lock()
        if let pipeline = idle.popLast() {
            lock.unlock()
            return pipeline
        }
        lock.unlock()
        return try Pipeline(resources: resources)
    }

    func give(_ pipeline: Pipeline) {
        lock.lock()
        idle.append(pipeline)
        lock.unlock()
    }
}

/// A chunk of work being built on worker threads; `wait()` returns its outcomes in order.
final class Batch: @unchecked Sendable {
    // @unchecked: `outcomes` is only touched under `lock`. Each slot is written by one
    // worker, but writing an element is an access to the whole array in Swift, so
    // workers must not do it at once (ThreadSanitizer, scripts/torture, saw them).
    private var outcomes: [Indexer.Outcome?]
    private let lock = NSLock()
    private let group = DispatchGroup()

    init(items: [Indexer.WorkItem], pool: PipelinePool, limits: ExtractionLimits) {
        outcomes = Array(repeating: nil, count: items.count)
        let box = UncheckedItems(items)
        group.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            DispatchQueue.concurrentPerform(iterations: box.items.count) { index in
                let outcome: Indexer.Outcome
                do {
                    let pipeline = try pool.take()
                    outcome = pipeline.build(box.items[index], limits: limits)
                    pool.give(pipeline)
                } catch {
                    outcome = .skipped(path: "(pipeline)", reason: "cannot prepare analysis: \(error)", size: -1, modified: 0)
                }
                self.store(outcome, at: index)
            }
            group.leave()
        }
    }

    private func store(_ outcome: Indexer.Outcome, at index: Int) {
        lock.withLock { outcomes[index] = outcome }
    }

    func wait() -> [Indexer.Outcome] {
        group.wait()
        return lock.withLock { outcomes.map { $0! } }
    }
}

private final class UncheckedItems: @unchecked Sendable {
    let items: [Indexer.WorkItem]
    init(_ items: [Indexer.WorkItem]) { self.items = items }
}
