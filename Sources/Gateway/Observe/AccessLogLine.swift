import Telemetry
import TextCoding

/// Writes one access-log record as a JSON object on one line, with exactly these members:
/// `ts` (RFC 3339 UTC, ms), `request_id`, `trace_id`, `peer`, `method`, `path`, `status`, `route`,
/// `reason`, `issuer`, `sub`, `client_id`, `upstream`, `upstream_status`, `bytes_in`, `bytes_out`,
/// `duration_ms`, `upstream_duration_ms` (absent values are `null`).
///
/// Security invariant: no member is a header value, a token, a query string or a secret. `path` is
/// the normalized path without its query; strings are escaped with the one JSON escaper
/// (`JSONText.appendString`), so a hostile method or path cannot forge members or lines.
struct AccessLogLine {
    var timestampMs: Int64
    var requestID: ArraySlice<UInt8>?
    var traceID: ArraySlice<UInt8>?
    var peer: String
    var method: String?
    var path: String?
    var status: Int
    var route: String?
    var reason: String?
    var issuer: String?
    var subject: String?
    var clientID: String?
    var upstream: String?
    var upstreamStatus: Int?
    var bytesIn: Int
    var bytesOut: Int
    var durationNanos: Int64
    var upstreamDurationNanos: Int64?

    /// Appends the line (with its `\n`) to `out`, `ts` through the writer's `timestamps` cache.
    func append(to out: inout [UInt8], timestamps: inout RFC3339.Cache) {
        out.append(contentsOf: #"{"ts":""#.utf8)
        timestamps.append(milliseconds: timestampMs, to: &out)
        out.append(UInt8(ascii: "\""))
        Self.member("request_id", requestID, &out)
        Self.member("trace_id", traceID, &out)
        Self.member("peer", peer, &out)
        Self.member("method", method, &out)
        Self.member("path", path, &out)
        Self.member("status", status, &out)
        Self.member("route", route, &out)
        Self.member("reason", reason, &out)
        Self.member("issuer", issuer, &out)
        Self.member("sub", subject, &out)
        Self.member("client_id", clientID, &out)
        Self.member("upstream", upstream, &out)
        Self.member("upstream_status", upstreamStatus, &out)
        Self.member("bytes_in", bytesIn, &out)
        Self.member("bytes_out", bytesOut, &out)
        Self.milliseconds("duration_ms", durationNanos, &out)
        Self.milliseconds("upstream_duration_ms", upstreamDurationNanos, &out)
        out.append(contentsOf: "}\n".utf8)
    }

    private static func key(_ name: StaticString, _ out: inout [UInt8]) {
        out.append(contentsOf: #",""#.utf8)
        out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        out.append(contentsOf: #"":"#.utf8)
    }

    private static func member(_ name: StaticString, _ value: String?, _ out: inout [UInt8]) {
        key(name, &out)
        if let value { JSONText.appendString(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    /// Request and trace ids are visible ASCII already (checked or generated): escaped all the same.
    private static func member(_ name: StaticString, _ value: ArraySlice<UInt8>?, _ out: inout [UInt8]) {
        key(name, &out)
        guard let value, !value.isEmpty else { out.append(contentsOf: "null".utf8); return }
        value.withUnsafeBufferPointer { JSONText.appendString(utf8: $0, to: &out) }
    }

    private static func member(_ name: StaticString, _ value: Int?, _ out: inout [UInt8]) {
        key(name, &out)
        guard let value else { out.append(contentsOf: "null".utf8); return }
        appendInteger(value, &out)
    }

    /// Nanoseconds as milliseconds with three decimals (`12.345`).
    private static func milliseconds(_ name: StaticString, _ nanos: Int64?, _ out: inout [UInt8]) {
        key(name, &out)
        guard let nanos else { out.append(contentsOf: "null".utf8); return }
        let micros = Int(max(0, nanos) / 1000)
        appendInteger(micros / 1000, &out)
        out.append(UInt8(ascii: "."))
        let fraction = micros % 1000
        out.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        out.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    private static func appendInteger(_ value: Int, _ out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")); appendInteger(-value, &out); return }
        if value >= 10 { appendInteger(value / 10, &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
