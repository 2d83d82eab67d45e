import FoundationEssentials

/// The report of one run: a text table for stdout and a JSON document for files.
public struct RunReport: Sendable, Equatable, Codable {
    /// Always `"loadtest.run"`; lets readers tell report kinds apart.
    public var kind = "loadtest.run"
    /// What was run, e.g. `port-calls → http://127.0.0.1:9103, closed loop, 64 connections, 10 s`.
    public var title: String
    /// The results.
    public var run: RunSummary

    /// A report for `result` under `title`.
    public init(title: String, result: RunResult) {
        self.title = title
        self.run = result.summary
    }

    /// The stdout table: title, totals, latency percentiles, status and error counts.
    public var text: String {
        var text = title + "\n"
        text += "responses \(run.responses) in \(TextFormat.fixed(run.durationSeconds, decimals: 1)) s = "
        text += "\(TextFormat.fixed(run.throughput, decimals: 1)) req/s; 2xx \(run.successes); "
        text += "transport errors \(run.transportErrors)\n"
        text += TextFormat.latencyTable([("all", run.latency)])
        let statuses = run.statusCounts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        text += "status       " + (statuses.isEmpty ? "none" : statuses.joined(separator: "  ")) + "\n"
        let errors = run.errors.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        if !errors.isEmpty { text += "errors       " + errors.joined(separator: "  ") + "\n" }
        text += run.tokenOutcomes.text
        return text
    }

    /// A one-series latency chart of this run, the series labelled `seriesName` (e.g. the target URL).
    public func chart(seriesName: String) -> LatencyChart {
        LatencyChart(title: title, series: [.init(name: seriesName, histogram: run.histogram)])
    }

    /// Pretty-printed JSON with sorted keys (stable output for diffs).
    public func json() throws -> [UInt8] {
        try ReportJSON.encode(self)
    }
}

/// The one JSON encoder configuration every report uses.
enum ReportJSON {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value)) + [UInt8(ascii: "\n")]
    }
}
