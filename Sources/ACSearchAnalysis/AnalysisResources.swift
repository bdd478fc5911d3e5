import Foundation

/// The analysis data kept under `index/` (gazetteer and districts, glossary, stop words), loaded
/// once and shared read-only.
public struct AnalysisResources: Sendable {
    public let gazetteer: Gazetteer
    public let glossary: Glossary
    public let stopWords: [String]
    /// Where the data was read from.
    public let directory: String

    public static let requiredFiles = ["provinces.tsv", "districts.tsv", "glossary.tsv", "stopwords.txt"]

    public init(directory: String) throws {
        func read(_ name: String) throws -> String {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw AnalysisDataError(file: path, line: 0, problem: "cannot read the file")
            }
            return String(decoding: data, as: UTF8.self)
        }
        gazetteer = try Gazetteer(tsv: read("provinces.tsv"), districts: read("districts.tsv"))
        glossary = try Glossary(tsv: read("glossary.tsv"))
        stopWords = try read("stopwords.txt").split(separator: "\n")
            .map { TextNormalization.normalize($0.trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        self.directory = directory
    }

    /// Finds the data directory: an explicit one, else `ACSEARCH_DATA`, else
    /// `<prefix>/share/acsearch` next to the executable's `bin`, else an `index/`
    /// folder above the executable or the working directory (a source checkout).
    public static func locate(explicit: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AnalysisResources {
        var candidates: [String] = []
        if let explicit { candidates.append(explicit) }
        if let fromEnvironment = environment["ACSEARCH_DATA"], !fromEnvironment.isEmpty { candidates.append(fromEnvironment) }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
        let bin = executable.deletingLastPathComponent()
        candidates.append(bin.deletingLastPathComponent().appendingPathComponent("share/acsearch").path)
        for start in [bin, URL(fileURLWithPath: FileManager.default.currentDirectoryPath)] {
            var folder = start
            for _ in 0..<6 {
                candidates.append(folder.appendingPathComponent("index").path)
                folder = folder.deletingLastPathComponent()
            }
        }
        if let explicit { return try AnalysisResources(directory: explicit) }
        for candidate in candidates where requiredFiles.allSatisfy({
            FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent($0))
        }) {
            return try AnalysisResources(directory: candidate)
        }
        throw AnalysisDataError(file: requiredFiles.joined(separator: ", "), line: 0,
                                problem: "analysis data not found; pass --data DIR or set ACSEARCH_DATA (looked in \(candidates.prefix(4).joined(separator: ", ")), ...)")
    }
}
