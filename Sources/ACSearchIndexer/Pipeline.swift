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
        case .record(let stream, let line, let json):
            do {
                let id = stream.file.map { "\($0.id)#\(line)" } ?? "stdin-" + Digest.fnv1a64Hex(json)
                let record = try JSONRecords.record(json: Data(json), id: id, source: stream.source)
                return .record(stream, line: line, try build(record))
            } catch let error as ExtractionError {
                return .recordFailed(stream, line: line, error)
            } catch {
                return .recordFailed(stream, line: line, .invalidRecord("\(error)"))
            }
        case .recordFailed(let stream, let line, let error):
            return .recordFailed(stream, line: line, error)
        case .endOfRecords(let stream, let hash, let bytes):
            return .endOfRecords(stream, hash: hash, bytes: bytes)
        case .touched(let file):
            return .touched(file)
        case .unreadable(let path, let reason):
            return .skipped(path: path, reason: reason, remember: nil)
        case .file(let file, let knownHash):
            return build(file, knownHash: knownHash, limits: limits)
        }
    }

    /// A file of one document (or a JSON lines file in UTF-16 or UTF-32): read once,
    /// its size checked here and nowhere else.
    private func build(_ file: SourceFile, knownHash: String?, limits: ExtractionLimits) -> Indexer.Outcome {
        func skip(_ error: ExtractionError) -> Indexer.Outcome {
            .skipped(path: file.path, reason: error.description, remember: file)
        }
        // As listed, then as read: a file that grew past the limit since is caught too.
        if file.size > limits.maxFileSize { return skip(.tooLarge(bytes: file.size, limit: limits.maxFileSize)) }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file.path))
            defer { try? handle.close() }
            // One byte past the limit is enough to tell.
            data = try handle.read(upToCount: limits.maxFileSize + 1) ?? Data()
        } catch {
            // Not remembered: a file that cannot be opened now may be readable next run.
            return .skipped(path: file.path, reason: "cannot read the file: \(readableDescription(of: error))", remember: nil)
        }
        if data.count > limits.maxFileSize {
            return skip(.tooLarge(bytes: max(file.size, data.count), limit: limits.maxFileSize))
        }
        let hash = Digest.fnv1a64Hex(data)
        if hash == knownHash { return .touched(file) }
        do {
            let extracted = try Extraction.extract(file, data: data, limits: limits)
            if extracted.records.isEmpty, let first = extracted.recordErrors.first {
                return .skipped(path: file.path, reason: "no valid record (line \(first.line): \(first.error))", remember: file)
            }
            let built = try extracted.records.map { (line: $0.line, document: try build($0.record)) }
            return .file(file, hash: hash, built: built, errors: extracted.recordErrors, ocr: extracted.ocr)
        } catch let error as ExtractionError {
            // Not remembered: OCR that cannot run here may run once tesseract is installed.
            if case .ocrUnavailable = error { return .skipped(path: file.path, reason: error.description, remember: nil) }
            return skip(error)
        } catch {
            return .skipped(path: file.path, reason: "\(error)", remember: file)
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

    init(resources: AnalysisResources) {
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
                    outcome = .skipped(path: "(pipeline)", reason: "cannot prepare analysis: \(error)", remember: nil)
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
