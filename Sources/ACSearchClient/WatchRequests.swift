import ACSearchAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The watch store's requests: saved searches and their new matches.
extension ACSearchClient.Request {
    public static var watches: ACSearchClient.Request<WatchListResponse> {
        .init(segments: ["v1", "watches"], parameters: [])
    }

    public static func watch(_ name: String) -> ACSearchClient.Request<WatchResponse> {
        .init(segments: ["v1", "watches", name], parameters: [])
    }

    /// Defines (or redefines) a watch.
    public static func putWatch(_ watch: WatchDefinition) -> ACSearchClient.Request<WatchResponse> {
        .init(segments: ["v1", "watches", watch.name], parameters: watch.parameters, method: "PUT")
    }

    public static func deleteWatch(_ name: String) -> ACSearchClient.Request<WatchDeletedResponse> {
        .init(segments: ["v1", "watches", name], parameters: [], method: "DELETE")
    }

    /// A watch's unread matches, oldest first (a JSON-lines feed).
    public static func newMatches(_ name: String) -> ACSearchClient.Request<[WatchMatch]> {
        .init(segments: ["v1", "watches", name, "new"], parameters: []) { body in
            let decoder = APIJSON.decoder()
            return try body.split(separator: 0x0A).map { try decoder.decode(WatchMatch.self, from: Data($0)) }
        }
    }

    /// Marks a watch's matches read up to `seq` (those recorded since stay unread).
    public static func markRead(_ name: String, through seq: Int) -> ACSearchClient.Request<WatchResponse> {
        .init(segments: ["v1", "watches", name, "read"], parameters: [("through", String(seq))], method: "POST")
    }
}
