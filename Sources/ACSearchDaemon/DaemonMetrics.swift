import ACSearchAPI
import Foundation
import NIOConcurrencyHelpers
import Prometheus

/// Counters for /v1/status and /metrics: requests by endpoint and status, latency
/// (a Prometheus histogram, and the last requests' percentiles for people).
public final class DaemonMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    public let started = Date()
    private let recent = NIOLockedValueBox(Recent())
    private let served = NIOLockedValueBox(0)
    let connections: Gauge
    let queueDepth: Gauge
    let documents: Gauge
    /// One histogram per stage of a search, made once: the registry's lookup by name
    /// and labels takes a lock and builds the labels each time.
    private let stages: [SearchStage: DurationHistogram]
    private let cacheHits: Counter
    private let cacheMisses: Counter
    private let cacheBytes: Gauge
    private let cacheEntries: Gauge
    private let cacheHitRatio: Gauge

    struct Recent {
        var milliseconds: [Double] = []
        var next = 0
        static let capacity = 2048
    }

    public init() {
        connections = registry.makeGauge(descriptor: .acsearch("connections", unit: "active", "Open client connections"))
        queueDepth = registry.makeGauge(descriptor: .acsearch("reader_queue", unit: "depth", "Requests waiting for a reader"))
        documents = registry.makeGauge(descriptor: .acsearch("index", unit: "documents", "Documents in the index"))
        var stages: [SearchStage: DurationHistogram] = [:]
        for stage in SearchStage.allCases {
            stages[stage] = registry.makeDurationHistogram(
                descriptor: .acsearch("search_stage_duration", unit: "seconds", "Time a stage of a search took (searches that ran it)"),
                labels: [("stage", stage.rawValue)],
                buckets: [.microseconds(10), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
                          .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(50),
                          .milliseconds(250), .seconds(1)])
        }
        self.stages = stages
        cacheHits = registry.makeCounter(descriptor: .acsearch("search_cache_hits", unit: "total", "Searches answered from the result cache"))
        cacheMisses = registry.makeCounter(descriptor: .acsearch("search_cache_misses", unit: "total", "Searches the result cache did not hold"))
        cacheBytes = registry.makeGauge(descriptor: .acsearch("search_cache", unit: "bytes", "Bytes the result cache holds"))
        cacheEntries = registry.makeGauge(descriptor: .acsearch("search_cache", unit: "entries", "Answers the result cache holds"))
        cacheHitRatio = registry.makeGauge(descriptor: .acsearch("search_cache_hit", unit: "ratio", "Hits of all lookups in the result cache since start, in thousandths"))
    }

    func cacheLookup(hit: Bool) {
        (hit ? cacheHits : cacheMisses).increment()
    }

    func cacheFigures(_ figures: (bytes: Int, entries: Int, hits: Int, misses: Int)) {
        cacheBytes.set(Int64(figures.bytes))
        cacheEntries.set(Int64(figures.entries))
        let lookups = figures.hits + figures.misses
        cacheHitRatio.set(Int64(lookups == 0 ? 0 : figures.hits * 1000 / lookups))
    }

    /// The stages one search ran.
    func record(stages timings: SearchTimings) {
        for (stage, milliseconds) in timings.milliseconds {
            stages[stage]?.recordSeconds(milliseconds / 1000)
        }
    }

    func record(endpoint: String, status: Int, seconds: Double) {
        registry.makeCounter(descriptor: .acsearch("requests", unit: "total", "Requests answered"),
                             labels: [("endpoint", endpoint), ("status", String(status))]).increment()
        registry.makeDurationHistogram(
            descriptor: .acsearch("request_duration", unit: "seconds", "Time to answer a request"), labels: [("endpoint", endpoint)],
            buckets: [.microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                      .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(500), .seconds(2)])
            .recordSeconds(seconds)
        served.withLockedValue { $0 += 1 }
        recent.withLockedValue { recent in
            if recent.milliseconds.count < Recent.capacity {
                recent.milliseconds.append(seconds * 1000)
            } else {
                recent.milliseconds[recent.next] = seconds * 1000
            }
            recent.next = (recent.next + 1) % Recent.capacity
        }
    }

    var requestsServed: Int { served.withLockedValue { $0 } }

    /// p50, p90 and p99 of the last requests, in milliseconds.
    var percentiles: (Double, Double, Double) {
        let sorted = recent.withLockedValue { $0.milliseconds }.sorted()
        guard !sorted.isEmpty else { return (0, 0, 0) }
        func at(_ fraction: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))] }
        return (at(0.5), at(0.9), at(0.99))
    }
}

extension DurationHistogram {
    func recordSeconds(_ seconds: Double) {
        record(.nanoseconds(Int64(seconds * 1e9)))
    }
}

extension MetricNameDescriptor {
    static func acsearch(_ name: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "acsearch", metricName: name, unitName: unit, helpText: help)
    }
}
