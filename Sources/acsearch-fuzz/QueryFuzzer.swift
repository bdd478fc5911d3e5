import ACSearchAnalysis
import ACSearchAPI
import ACSearchIndex
import Foundation
import XapianKit

/// Drives the query path from raw bytes: request validation, query analysis
/// (folding, numbers, dates, places), the shim and Xapian, snippets and facets,
/// over a small real index; and the document analyser over the same bytes.
///
/// Built normally, it replays inputs (files or folders of them) and exits non-zero
/// if one throws anything but a clean API error: `scripts/test` replays every
/// finding kept in `Tests/Fuzz/query`. Built for fuzzing (`scripts/fuzz`), the same
/// function is libFuzzer's target.
@main
enum QueryFuzzer {
    static func main() throws {
#if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput))
#else
        let inputs = CommandLine.arguments.dropFirst().flatMap(files(in:))
        guard !inputs.isEmpty else {
            FileHandle.standardError.write(Data("usage: acsearch-fuzz INPUT-FILE-OR-FOLDER...\n".utf8))
            exit(64)
        }
        for input in inputs {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: input)))
            bytes.withUnsafeBufferPointer { run($0) }
        }
        print("acsearch-fuzz: \(inputs.count) inputs replayed, \(rejected) rejected with a 4xx, \(answered) answered")
#endif
    }

    nonisolated(unsafe) static var answered = 0
    nonisolated(unsafe) static var rejected = 0

    /// One input. Anything but an error the daemon answers with a 4xx is a finding.
    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        // The first line is the query; later lines, if any, are other parameters
        // ("name=value"), as the daemon's router hands them over.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let query = lines.isEmpty ? "" : lines.removeFirst()
        var parameters: [(name: String, value: String)] = [("q", query)]
        for line in lines.prefix(8) {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            parameters.append((parts[0], parts.count > 1 ? parts[1] : ""))
        }
        _ = fixture.analyzer.analyse(SourceRecord(id: "fuzz", body: text))
        do {
            let request = try SearchRequest(parameters: parameters)
            _ = try fixture.searcher.search(request)
            _ = try fixture.searcher.correction(of: request.query)
            answered += 1
        } catch let error as APIError {
            precondition((400..<500).contains(error.status), "a \(error.status) for input \(Array(bytes)): \(error)")
            rejected += 1
        } catch let error as SearchError {
            // What the daemon answers with a 4xx (`Router.apiError`); the rest are findings.
            switch error {
            case .badFieldValue, .querySyntax, .tooCostly, .documentNotFound: rejected += 1
            case .schemaMismatch, .shardsMissing, .noShardAnswering:
                preconditionFailure("the index failed for input \(Array(bytes)): \(error)")
            }
        } catch {
            preconditionFailure("not a clean API error for input \(Array(bytes)): \(error)")
        }
    }

    /// A small real index of bilingual documents, built once per process. libFuzzer
    /// calls the target from one thread only.
    nonisolated(unsafe) static let fixture = Fixture()

    struct Fixture {
        let analyzer: DocumentAnalyzer
        let searcher: Searcher

        init() {
            do {
                let resources = try AnalysisResources.locate()
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("acsearch-fuzz-\(getpid())").path
                let writer = try IndexWriter(path: folder, resources: resources)
                for record in Fixture.records {
                    let analysed = writer.analyzer.analyse(record)
                    let (document, words) = try writer.builder.build(analysed)
                    try writer.write(BuiltDocument(id: analysed.id, document: document, words: words))
                }
                try writer.commit()
                analyzer = writer.analyzer
                searcher = try Searcher(shards: [.local(path: folder)], resources: resources)
                atexit { try? FileManager.default.removeItem(atPath: FileManager.default.temporaryDirectory
                    .appendingPathComponent("acsearch-fuzz-\(getpid())").path) }
            } catch {
                fatalError("acsearch-fuzz: cannot build its index: \(error)")
            }
        }

        static let records = [
            SourceRecord(id: "regulations/67", kind: "regulation", title: "Regulation No. 67-QĐ/TW on provincial steering committees",
                         body: "Quy định số 67-QĐ/TW ngày 2/6/2022 về chức năng, nhiệm vụ của Ban Chỉ đạo cấp tỉnh về phòng, chống tham nhũng, tiêu cực.",
                         date: "2022-06-02", number: "67-QĐ/TW", issuer: "Politburo", lang: "vi"),
            SourceRecord(id: "press/hai-duong", kind: "press", title: "Hải Dương reviews a year of anti-corruption work",
                         body: "HAI DUONG (VNA) The provincial steering committee reviewed inspections of land use and public investment, citing Regulation No. 67-QD/TW dated June 2, 2022. Trần Đức Thắng chaired the conference.",
                         date: "2023-06-19", provinces: ["Hải Dương"], people: ["Trần Đức Thắng"], lang: "en"),
            SourceRecord(id: "conclusions/kl-12", kind: "conclusion", title: "Kết luận thanh tra số 12/KL-TTCP",
                         body: "Thanh tra Chính phủ kết luận sai phạm 1.234 tỷ đồng tại Quảng Ninh; kiến nghị thu hồi 56 tỷ đồng.",
                         date: "2024-03-15", number: "12/KL-TTCP", issuer: "Government Inspectorate", provinces: ["Quảng Ninh"], lang: "vi"),
        ]
    }

    static func files(in path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return [path] }
        guard isFolder.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { (path as NSString).appendingPathComponent($0) }
    }
}

#if FUZZING
/// libFuzzer's entry point (its runtime refers to it by this name).
@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    QueryFuzzer.run(UnsafeBufferPointer(start: data, count: count))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32
#endif
