// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "acsearch",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "XapianKit", targets: ["XapianKit"]),
    ],
    targets: [
        // The only place Xapian's C++ appears: a plain C header over libxapian.
        .target(
            name: "CXapian",
            cxxSettings: [.unsafeFlags(["-Wall", "-Wextra"])],
            linkerSettings: [.linkedLibrary("xapian")]
        ),
        // Swift owners of the shim's handles; the only importer of CXapian.
        .target(name: "XapianKit", dependencies: ["CXapian"]),
        .testTarget(name: "XapianKitTests", dependencies: ["XapianKit"]),
        // Text analysis shared by indexing and querying: folding, numbers, dates,
        // places, people, glossary. Pure Swift: no Xapian.
        .target(name: "ACSearchAnalysis"),
        .testTarget(name: "ACSearchAnalysisTests", dependencies: ["ACSearchAnalysis"]),
        // The API's wire types: what the daemon answers and clients read. No Xapian.
        .target(name: "ACSearchAPI"),
        // The index: schema, document building, the writer and the searcher.
        .target(name: "ACSearchIndex", dependencies: ["XapianKit", "ACSearchAnalysis", "ACSearchAPI"]),
        .testTarget(name: "ACSearchIndexTests", dependencies: ["ACSearchIndex"]),
    ],
    cxxLanguageStandard: .cxx17
)
