/// A search answer written by `JSONWriter` (every search and every "similar" request
/// sends one): the same bytes as `APIJSON.encoder()`, keys in sorted order, a hit's
/// absent fields left out and `corrected_query` and `partial_reason` always present. A field added to
/// `SearchResponse` or `Hit` must be added here too: `WireFormatTests` compares the
/// two encodings byte for byte.
extension SearchResponse {
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter()
        writer.object { json in
            json.member("corrected_query") { $0.optional(correctedQuery) }
            json.member("facets") { json in
                json.object { json in
                    for name in facets.keys.sorted() {
                        json.member(name) { json in
                            json.array(facets[name] ?? []) { json, value in
                                json.object { json in
                                    json.member("count") { $0.int(value.count) }
                                    json.member("value") { $0.string(value.value) }
                                }
                            }
                        }
                    }
                }
            }
            json.member("hits") { $0.array(hits) { json, hit in hit.write(to: &json) } }
            json.member("limit") { $0.int(limit) }
            json.member("missing_shards") { $0.strings(missingShards) }
            json.member("notes") { $0.strings(notes) }
            json.member("offset") { $0.int(offset) }
            json.member("partial") { $0.bool(partial) }
            json.member("partial_reason") { $0.optional(partialReason) }
            json.member("places") { $0.strings(places) }
            json.member("query") { $0.string(query) }
            json.member("schema_version") { $0.int(schemaVersion) }
            if let timings {
                json.member("timings") { json in
                    json.object { json in
                        for name in timings.keys.sorted() { json.member(name) { $0.double(timings[name] ?? 0) } }
                    }
                }
            }
            json.member("took_ms") { $0.double(tookMs) }
            json.member("total") { json in
                json.object { json in
                    json.member("estimated") { $0.int(total.estimated) }
                    json.member("exact") { $0.bool(total.exact) }
                    json.member("lower") { $0.int(total.lower) }
                    json.member("upper") { $0.int(total.upper) }
                }
            }
        }
        return writer.bytes
    }
}

extension Hit {
    fileprivate func write(to writer: inout JSONWriter) {
        writer.object { json in
            if let amountVnd { json.member("amount_vnd") { $0.int(amountVnd) } }
            json.member("collapsed") { $0.int(collapsed) }
            if let date { json.member("date") { $0.string(date) } }
            json.member("id") { $0.string(id) }
            if let issuer { json.member("issuer") { $0.string(issuer) } }
            json.member("kind") { $0.string(kind) }
            json.member("lang") { $0.string(lang) }
            if let number { json.member("number") { $0.string(number) } }
            json.member("percent") { $0.int(percent) }
            json.member("provinces") { $0.strings(provinces) }
            json.member("rank") { $0.int(rank) }
            if let snippet { json.member("snippet") { $0.string(snippet) } }
            json.member("source") { $0.string(source) }
            json.member("title") { $0.string(title) }
            if let url { json.member("url") { $0.string(url) } }
        }
    }
}
