#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON conventions of acsearch's API: snake_case keys, sorted for stable
/// output, dates as YYYY-MM-DD strings. Each type spells its snake_case keys in its
/// `CodingKeys`: the coders' key conversion was a measurable part of encoding and
/// decoding every search answer (docs/benchmark-findings.md).
public enum APIJSON {
    /// Bumped when a response changes incompatibly; every response carries it.
    public static let schemaVersion = 1

    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        JSONDecoder()
    }
}
