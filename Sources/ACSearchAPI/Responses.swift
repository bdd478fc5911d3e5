/// The answer to `GET /v1/search`.
public struct SearchResponse: Codable, Sendable {
    public struct Total: Codable, Sendable, Equatable {
        public let lower: Int
        public let estimated: Int
        public let upper: Int
        /// Whether lower == upper, i.e. the count is known exactly, and counts what was
        /// asked (not when a wildcard was cut at its expansion limit: `notes` says so).
        public let exact: Bool
        public init(lower: Int, estimated: Int, upper: Int, exact: Bool = true) {
            self.lower = lower
            self.estimated = estimated
            self.upper = upper
            self.exact = exact && lower == upper
        }
    }

    public var schemaVersion: Int = APIJSON.schemaVersion
    public var query: String
    /// A spelling correction of the query when some of its words are not in the index.
    public var correctedQuery: String?
    /// Places the query's words were read as ("Hai Duong" → "Hải Dương"): every hit
    /// names them. Empty when the query names none.
    public var places: [String] = []
    public var total: Total
    public var offset: Int
    public var limit: Int
    public var tookMs: Double
    public var hits: [Hit]
    public var facets: [String: [FacetValue]]
    /// True when the answer is not the whole one: why is in partialReason.
    public var partial: Bool
    /// Why an answer is partial: "missing_shards" (some shards did not answer; they
    /// are named in missingShards) or "time_budget" (the match ran past the query
    /// time limit and was stopped: the hits are the best it had found, counts and
    /// facets are incomplete). Null when the answer is whole.
    public var partialReason: String?
    public var missingShards: [String]
    /// Milliseconds each stage of the search took (`SearchStage` names), with
    /// `timings=true` only; the stages that did not run are absent.
    public var timings: [String: Double]?
    /// What the answer is not quite, in words ("kiem* matches more than 200 words; the
    /// 200 most frequent were searched…"). Empty when there is nothing to say.
    public var notes: [String] = []

    public static let partialForMissingShards = "missing_shards"
    public static let partialForTimeBudget = "time_budget"

    public init(query: String, correctedQuery: String?, total: Total, offset: Int, limit: Int, tookMs: Double,
                hits: [Hit], facets: [String: [FacetValue]], partial: Bool = false, partialReason: String? = nil,
                missingShards: [String] = []) {
        self.query = query
        self.correctedQuery = correctedQuery
        self.total = total
        self.offset = offset
        self.limit = limit
        self.tookMs = tookMs
        self.hits = hits
        self.facets = facets
        self.partial = partial
        self.partialReason = partialReason
        self.missingShards = missingShards
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", query, correctedQuery = "corrected_query", places, total, offset, limit
        case tookMs = "took_ms", hits, facets, partial, partialReason = "partial_reason", missingShards = "missing_shards"
        case timings
        case notes
    }

    /// `places` came after schema 1's first responses: a daemon without it answers none.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        query = try container.decode(String.self, forKey: .query)
        correctedQuery = try container.decodeIfPresent(String.self, forKey: .correctedQuery)
        places = try container.decodeIfPresent([String].self, forKey: .places) ?? []
        total = try container.decode(Total.self, forKey: .total)
        offset = try container.decode(Int.self, forKey: .offset)
        limit = try container.decode(Int.self, forKey: .limit)
        tookMs = try container.decode(Double.self, forKey: .tookMs)
        hits = try container.decode([Hit].self, forKey: .hits)
        facets = try container.decode([String: [FacetValue]].self, forKey: .facets)
        partial = try container.decode(Bool.self, forKey: .partial)
        partialReason = try container.decodeIfPresent(String.self, forKey: .partialReason)
        missingShards = try container.decode([String].self, forKey: .missingShards)
        timings = try container.decodeIfPresent([String: Double].self, forKey: .timings)
        notes = try container.decodeIfPresent([String].self, forKey: .notes) ?? []
    }

    /// Written by hand only so that `corrected_query` and `partial_reason` are
    /// `null`, not absent, when there is none: clients can rely on the keys.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(query, forKey: .query)
        try container.encode(correctedQuery, forKey: .correctedQuery)
        try container.encode(places, forKey: .places)
        try container.encode(total, forKey: .total)
        try container.encode(offset, forKey: .offset)
        try container.encode(limit, forKey: .limit)
        try container.encode(tookMs, forKey: .tookMs)
        try container.encode(hits, forKey: .hits)
        try container.encode(facets, forKey: .facets)
        try container.encode(partial, forKey: .partial)
        try container.encode(partialReason, forKey: .partialReason)
        try container.encode(missingShards, forKey: .missingShards)
        try container.encodeIfPresent(timings, forKey: .timings)
        try container.encode(notes, forKey: .notes)
    }
}

public struct Hit: Codable, Sendable, Equatable {
    public let id: String
    /// 1-based position in the ranking.
    public let rank: Int
    public let percent: Int
    public let kind: String
    public let title: String
    public let date: String?
    public let lang: String
    public let provinces: [String]
    public let number: String?
    public let issuer: String?
    public let source: String
    public let url: String?
    /// An extract of the text: an HTML fragment, text escaped, matches in <mark>…</mark>;
    /// nil (absent) when the request said `snippets=false`.
    public let snippet: String?
    /// With collapse: how many more items of the same story stand behind this hit.
    public let collapsed: Int
    /// The largest sum in đồng the document names (what `sort=amount` and `amount:`
    /// go by); absent when it names none.
    public let amountVnd: Int?

    enum CodingKeys: String, CodingKey {
        case id, rank, percent, kind, title, date, lang, provinces, number, issuer, source, url, snippet, collapsed
        case amountVnd = "amount_vnd"
    }

    public init(id: String, rank: Int, percent: Int, kind: String, title: String, date: String?, lang: String,
                provinces: [String], number: String?, issuer: String?, source: String, url: String?, snippet: String?,
                collapsed: Int, amountVnd: Int? = nil) {
        self.id = id
        self.rank = rank
        self.percent = percent
        self.kind = kind
        self.title = title
        self.date = date
        self.lang = lang
        self.provinces = provinces
        self.number = number
        self.issuer = issuer
        self.source = source
        self.url = url
        self.snippet = snippet
        self.collapsed = collapsed
        self.amountVnd = amountVnd
    }
}

public struct FacetValue: Codable, Sendable, Equatable {
    public let value: String
    public let count: Int
    public init(value: String, count: Int) {
        self.value = value
        self.count = count
    }
}

/// `GET /v1/documents/{id}`: everything stored for one document.
public struct DocumentResponse: Codable, Sendable {
    public struct Province: Codable, Sendable, Equatable {
        public let slug: String
        public let name: String
        /// For a unit merged in 2025, the slug of the unit it belongs to now...
        public let now: String?
        /// ...and that unit's name (filled in by the daemon from its gazetteer).
        public var nowName: String?
        public init(slug: String, name: String, now: String?, nowName: String? = nil) {
            self.slug = slug
            self.name = name
            self.now = now
            self.nowName = nowName
        }
        enum CodingKeys: String, CodingKey {
            case slug, name, now, nowName = "now_name"
        }
    }
    public struct Person: Codable, Sendable, Equatable {
        public let name: String
        public let position: String?
        public init(name: String, position: String?) {
            self.name = name
            self.position = position
        }
    }
    public struct Reference: Codable, Sendable, Equatable {
        public let id: String
        public let title: String
        public let kind: String
        public let date: String?
        public let number: String?
        /// The province whose document this is (its first), which tells two issuers'
        /// documents of one number apart ("12-CT/TU" of Thái Bình, of Hải Dương).
        public var province: String?
        public var issuer: String?
        /// True when a citation could not be told to mean this document rather than
        /// another of the same number: every candidate is listed, each marked. Absent
        /// when the citation is decided.
        public var ambiguous: Bool?
        /// In a number's `cited_by`: the document of that number this citation means,
        /// when it is decided (absent when ambiguous or when it means one not indexed).
        public var resolvesTo: String?
        /// In a number's `cited_by`, for an ambiguous citation: the documents it may mean.
        public var candidates: [String]?
        /// The slug of `province`: what the index layer compares citations by. Not on the wire.
        public var provinceSlug: String? = nil

        enum CodingKeys: String, CodingKey {
            case id, title, kind, date, number, province, issuer, ambiguous, resolvesTo = "resolves_to", candidates
        }

        public init(id: String, title: String, kind: String, date: String?, number: String?, province: String? = nil,
                    issuer: String? = nil, ambiguous: Bool? = nil, resolvesTo: String? = nil, candidates: [String]? = nil,
                    provinceSlug: String? = nil) {
            self.id = id
            self.title = title
            self.kind = kind
            self.date = date
            self.number = number
            self.province = province
            self.issuer = issuer
            self.ambiguous = ambiguous
            self.resolvesTo = resolvesTo
            self.candidates = candidates
            self.provinceSlug = provinceSlug
        }
    }

    public var schemaVersion: Int = APIJSON.schemaVersion
    public let id: String
    public let kind: String
    public let title: String
    public let body: String
    public let date: String?
    public let lang: String
    public let number: String?
    /// Canonical numbers this document cites (what `/v1/citations/` and `cites:` take).
    public let cites: [String]
    /// The same numbers, in the same order, as the document wrote them.
    public let citesWritten: [String]
    /// Indexed documents that cite this one's number.
    public var citedBy: [Reference]
    /// Indexed documents whose numbers this one cites.
    public var citesDocuments: [Reference]
    public let provinces: [Province]
    public let issuer: String?
    public let people: [Person]
    public let url: String?
    public let source: String
    /// Fields outside the documented set, as given.
    public let fields: [String: String]
    /// Every sum in đồng the text names, in order, each value once.
    public let amounts: [Amount]
    /// The largest of them, what the index filters (`amount:`) and sorts (`sort=amount`) by.
    public var amountVnd: Int? { amounts.map(\.vnd).max() }

    /// A sum in đồng and how the text wrote it ("2,1 tỷ đồng", "VND 3.2 trillion").
    public struct Amount: Codable, Sendable, Equatable {
        public let vnd: Int
        public let written: String
        public init(vnd: Int, written: String) {
            self.vnd = vnd
            self.written = written
        }
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", id, kind, title, body, date, lang, number, cites, citesWritten = "cites_written"
        case citedBy = "cited_by"
        case citesDocuments = "cites_documents", provinces, issuer, people, url, source, fields, amounts
        case amountVnd = "amount_vnd"
    }

    public init(id: String, kind: String, title: String, body: String, date: String?, lang: String, number: String?,
                cites: [String], citesWritten: [String], citedBy: [Reference], citesDocuments: [Reference], provinces: [Province],
                issuer: String?, people: [Person], url: String?, source: String, fields: [String: String],
                amounts: [Amount] = []) {
        self.id = id
        self.kind = kind
        self.title = title
        self.body = body
        self.date = date
        self.lang = lang
        self.number = number
        self.cites = cites
        self.citesWritten = citesWritten
        self.citedBy = citedBy
        self.citesDocuments = citesDocuments
        self.provinces = provinces
        self.issuer = issuer
        self.people = people
        self.url = url
        self.source = source
        self.fields = fields
        self.amounts = amounts
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        id = try container.decode(String.self, forKey: .id)
        kind = try container.decode(String.self, forKey: .kind)
        title = try container.decode(String.self, forKey: .title)
        body = try container.decode(String.self, forKey: .body)
        date = try container.decodeIfPresent(String.self, forKey: .date)
        lang = try container.decode(String.self, forKey: .lang)
        number = try container.decodeIfPresent(String.self, forKey: .number)
        cites = try container.decode([String].self, forKey: .cites)
        citesWritten = try container.decode([String].self, forKey: .citesWritten)
        citedBy = try container.decode([Reference].self, forKey: .citedBy)
        citesDocuments = try container.decode([Reference].self, forKey: .citesDocuments)
        provinces = try container.decode([Province].self, forKey: .provinces)
        issuer = try container.decodeIfPresent(String.self, forKey: .issuer)
        people = try container.decode([Person].self, forKey: .people)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        source = try container.decode(String.self, forKey: .source)
        fields = try container.decode([String: String].self, forKey: .fields)
        // An older daemon sends no amounts.
        amounts = try container.decodeIfPresent([Amount].self, forKey: .amounts) ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(title, forKey: .title)
        try container.encode(body, forKey: .body)
        try container.encodeIfPresent(date, forKey: .date)
        try container.encode(lang, forKey: .lang)
        try container.encodeIfPresent(number, forKey: .number)
        try container.encode(cites, forKey: .cites)
        try container.encode(citesWritten, forKey: .citesWritten)
        try container.encode(citedBy, forKey: .citedBy)
        try container.encode(citesDocuments, forKey: .citesDocuments)
        try container.encode(provinces, forKey: .provinces)
        try container.encodeIfPresent(issuer, forKey: .issuer)
        try container.encode(people, forKey: .people)
        try container.encodeIfPresent(url, forKey: .url)
        try container.encode(source, forKey: .source)
        try container.encode(fields, forKey: .fields)
        try container.encode(amounts, forKey: .amounts)
        try container.encodeIfPresent(amountVnd, forKey: .amountVnd)
    }
}

/// `GET /v1/citations/{number}`.
public struct CitationsResponse: Codable, Sendable {
    public var schemaVersion: Int = APIJSON.schemaVersion
    /// The number in canonical form.
    public let number: String
    /// The document with that number, when exactly one indexed document has it.
    public let document: DocumentResponse.Reference?
    /// Every indexed document with that number, each with its province and issuer:
    /// local bodies reuse numbers, so there may be several (schema 5).
    public let documents: [DocumentResponse.Reference]
    /// Documents citing the number, each with the document it means (`resolves_to`)
    /// or, when it cannot be told, `ambiguous` and its `candidates`.
    public let citedBy: [DocumentResponse.Reference]

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", number, document, documents, citedBy = "cited_by"
    }

    public init(number: String, documents: [DocumentResponse.Reference], citedBy: [DocumentResponse.Reference]) {
        self.number = number
        self.document = documents.count == 1 ? documents[0] : nil
        self.documents = documents
        self.citedBy = citedBy
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        number = try container.decode(String.self, forKey: .number)
        document = try container.decodeIfPresent(DocumentResponse.Reference.self, forKey: .document)
        // An older daemon's answer has no list: its one document stands in.
        documents = try container.decodeIfPresent([DocumentResponse.Reference].self, forKey: .documents)
            ?? (document.map { [$0] } ?? [])
        citedBy = try container.decode([DocumentResponse.Reference].self, forKey: .citedBy)
    }
}

/// `GET /v1/suggest`.
public struct SuggestResponse: Codable, Sendable {
    public var schemaVersion: Int = APIJSON.schemaVersion
    public let query: String
    /// The query with its last word completed, most frequent first.
    public let completions: [String]
    /// The query with misspelt words corrected, if any are.
    public let correction: String?

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", query, completions, correction
    }

    public init(query: String, completions: [String], correction: String?) {
        self.query = query
        self.completions = completions
        self.correction = correction
    }
}

/// `GET /v1/status`.
public struct StatusResponse: Codable, Sendable {
    public struct Shard: Codable, Sendable, Equatable {
        public let name: String
        public let state: String
        public let documents: Int?
        public init(name: String, state: String, documents: Int?) {
            self.name = name
            self.state = state
            self.documents = documents
        }
    }
    public struct Latency: Codable, Sendable {
        public let p50Ms: Double
        public let p90Ms: Double
        public let p99Ms: Double

        enum CodingKeys: String, CodingKey {
            case p50Ms = "p50_ms", p90Ms = "p90_ms", p99Ms = "p99_ms"
        }

        public init(p50Ms: Double, p90Ms: Double, p99Ms: Double) {
            self.p50Ms = p50Ms
            self.p90Ms = p90Ms
            self.p99Ms = p99Ms
        }
    }

    public var schemaVersion: Int = APIJSON.schemaVersion
    public let documents: Int
    public let kinds: [String: Int]
    public let languages: [String: Int]
    public let revision: String?
    public let lastChange: String?
    public let indexSchemaVersion: Int
    public let shards: [Shard]
    public let uptimeSeconds: Double
    public let requestsServed: Int
    public let latency: Latency
    public let version: String

    enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version", documents, kinds, languages, revision, lastChange = "last_change"
        case indexSchemaVersion = "index_schema_version", shards, uptimeSeconds = "uptime_seconds"
        case requestsServed = "requests_served", latency, version
    }

    public init(documents: Int, kinds: [String: Int], languages: [String: Int], revision: String?, lastChange: String?,
                indexSchemaVersion: Int, shards: [Shard], uptimeSeconds: Double, requestsServed: Int, latency: Latency,
                version: String) {
        self.documents = documents
        self.kinds = kinds
        self.languages = languages
        self.revision = revision
        self.lastChange = lastChange
        self.indexSchemaVersion = indexSchemaVersion
        self.shards = shards
        self.uptimeSeconds = uptimeSeconds
        self.requestsServed = requestsServed
        self.latency = latency
        self.version = version
    }
}

/// `GET /v1/health`.
public struct HealthResponse: Codable, Sendable {
    public let status: String
    public init(status: String) { self.status = status }
}
