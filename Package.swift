// swift-tools-version:6.0
import PackageDescription

// A sanitizer build (scripts/torture) links the CLI as Swift links any program: the
// sanitizers' runtimes assume a position-independent executable with the Swift
// runtime shared (ThreadSanitizer's allocator failed a CHECK in the CLI linked below).
let sanitizerBuild = Context.environment["ACSEARCH_SANITIZER_BUILD"] != nil
let cliLinking: [String] = sanitizerBuild ? [] : [
    "-static-stdlib", "-Xlinker", "-l_FoundationCollections", "-Xlinker", "-l_FoundationCShims",
    "-Xlinker", "-lswiftSynchronization", "-Xclang-linker", "-no-pie",
]

let package = Package(
    name: "acsearch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "acsearch", targets: ["acsearch"]),
        .executable(name: "acsearchd", targets: ["acsearchd"]),
        .executable(name: "acsearch-index", targets: ["acsearch-index"]),
        .library(name: "ACSearchClient", targets: ["ACSearchClient"]),
        .library(name: "XapianKit", targets: ["XapianKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
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
        .testTarget(name: "XapianKitTests", dependencies: ["XapianKit", "ACSearchTestSupport"]),
        // The API's wire types: what the daemon answers and clients read, and the
        // calendar dates analysis reads too. No Xapian, no Foundation beyond its essentials.
        .target(name: "ACSearchAPI"),
        .testTarget(name: "ACSearchAPITests", dependencies: ["ACSearchAPI"]),
        // Text analysis shared by indexing and querying: folding, numbers, dates,
        // places, people, glossary. Pure Swift: no Xapian.
        .target(name: "ACSearchAnalysis", dependencies: ["ACSearchAPI"]),
        .testTarget(name: "ACSearchAnalysisTests", dependencies: ["ACSearchAnalysis", "ACSearchAPI"]),
        // The index: schema, document building, the writer and the searcher.
        .target(name: "ACSearchIndex", dependencies: ["XapianKit", "ACSearchAnalysis", "ACSearchAPI"]),
        .testTarget(name: "ACSearchIndexTests", dependencies: ["ACSearchIndex", "ACSearchTestSupport"]),
        // libxml2's HTML parser (Debian: libxml2-dev).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // Ingestion: files and records to the index, incrementally.
        .target(name: "ACSearchIndexer", dependencies: [
            "ACSearchIndex", "CLibXML2",
            .product(name: "Yams", package: "Yams"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "acsearch-index", dependencies: [
            "ACSearchIndexer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "ACSearchIndexerTests", dependencies: ["ACSearchIndexer", "ACSearchTestSupport"]),
        // The query daemon: HTTP/1.1 + JSON on a Unix socket, over a pool of readers,
        // and the web page at / (Web/).
        .target(name: "ACSearchDaemon", dependencies: [
            "ACSearchIndex", "ACSearchAPI", "ACSearchAnalysis",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOExtras", package: "swift-nio-extras"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            // The web page's templates: every value escaped unless a template says otherwise.
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .executableTarget(name: "acsearchd", dependencies: [
            "ACSearchDaemon",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "ACSearchDaemonTests", dependencies: ["ACSearchDaemon", "ACSearchTestSupport", .product(name: "Logging", package: "swift-log")],
                    exclude: ["Fixtures"]),  // read from the checkout (SnippetQualityTests), not bundled
        // The client of acsearchd's socket, for the CLI and other Swift services. No Xapian.
        // Blocking socket calls, not NIO: the CLI starts faster without it (SocketExchange.swift).
        .target(name: "ACSearchClient", dependencies: ["ACSearchAPI"]),
        .testTarget(name: "ACSearchClientTests", dependencies: ["ACSearchClient", "ACSearchTestSupport"]),
        // The command line: commands and rendering, over the client. No Xapian.
        .target(name: "ACSearchCLI", dependencies: [
            "ACSearchClient", "ACSearchAPI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The Swift runtime and FoundationEssentials linked in: a person waits for every
        // start, and resolving them from shared libraries took half of it. Static
        // archives carry no autolink entries, hence FoundationEssentials' own three.
        // Not position-independent: the loader then has 351 relocations to apply
        // instead of 38,000, and the pages they touch stay shared (`acsearch QUERY`
        // 14.4 → 13.4 ms). The trade is ASLR for the CLI's own code, as Go's linker
        // makes it by default; the CLI is memory-safe Swift and talks only to the
        // daemon's socket. The daemon and the indexer stay PIE. (`cliLinking`, above.)
        .executableTarget(name: "acsearch", dependencies: [
            "ACSearchCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], linkerSettings: [.unsafeFlags(cliLinking)]),
        .testTarget(name: "ACSearchCLITests", dependencies: ["ACSearchTestSupport"]),
        // The query path from raw bytes, for libFuzzer (scripts/fuzz) and, built
        // normally, a replayer of every finding kept in Tests/Fuzz.
        .executableTarget(name: "acsearch-fuzz", dependencies: ["ACSearchIndex", "ACSearchAnalysis", "ACSearchAPI", "XapianKit"]),
        // Helpers shared by the test suites: temporary folders, running the real binaries.
        .target(name: "ACSearchTestSupport", path: "Tests/ACSearchTestSupport"),
    ],
    cxxLanguageStandard: .cxx17
)
