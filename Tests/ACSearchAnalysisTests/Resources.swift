import Foundation
import ACSearchAnalysis

/// The repository's `index/` data and the shared corpus, found from this file.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let indexDirectory = root.appendingPathComponent("index").path
    static let resources = try! AnalysisResources(directory: indexDirectory)
    /// `../shared/corpus/` beside the checkout, where it exists (CI has it).
    static let sharedPressItem = root.deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/vna-provincial-steering-committees-one-year.txt")
}

/// A stand-in for the English stemmer, good enough for plural "s".
func crudeStem(_ word: String) -> String {
    word.count > 3 && word.hasSuffix("s") && !word.hasSuffix("ss") ? String(word.dropLast()) : word
}
