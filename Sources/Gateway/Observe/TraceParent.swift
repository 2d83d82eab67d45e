import HTTP1

/// W3C Trace Context (`traceparent`, https://www.w3.org/TR/trace-context/) for one request: the
/// trace-id is kept from a valid incoming `traceparent`, or generated when it is absent or invalid;
/// the gateway is a hop of its own, so the parent-id sent upstream is a new span id.
///
/// `tracestate` travels with a kept trace-id and is dropped with a replaced one (the spec: a vendor
/// state belongs to the trace it was written for).
struct TraceParent {
    /// `00-<trace-id>-<span-id>-<flags>`, the header value sent upstream (55 bytes once set).
    private(set) var value: [UInt8] = []
    /// True when the trace-id came from the client's `traceparent` (forward its `tracestate`).
    private(set) var continuesClientTrace = false

    /// The trace-id, 32 lowercase hex digits (the access log's `trace_id`).
    var traceID: ArraySlice<UInt8> { value.count >= 35 ? value[3..<35] : [] }

    /// Sets this request's context from its head: keeps a valid client trace-id (and its sampled
    /// flag), otherwise starts a new trace; the span id is always new. No allocation once `value` has grown.
    mutating func begin(from headers: HTTPHeaders, random: inout TraceRandom) {
        value.removeAll(keepingCapacity: true)
        value.append(contentsOf: "00-".utf8)
        let kept: UInt8? = headers.count("traceparent") == 1
            ? headers.withFirstValue("traceparent") { $0.flatMap { Self.validFlags($0) } } : nil
        if let flags = kept {
            headers.withFirstValue("traceparent") { v in value.append(contentsOf: v![3..<35]) }
            value.append(UInt8(ascii: "-"))
            Self.appendHex(random.nonZero(), to: &value)
            value.append(UInt8(ascii: "-"))
            value.append(contentsOf: flags & 0x01 == 0 ? "00".utf8 : "01".utf8)
        } else {
            Self.appendHex(random.nonZero(), to: &value)
            Self.appendHex(random.next(), to: &value)
            value.append(UInt8(ascii: "-"))
            Self.appendHex(random.nonZero(), to: &value)
            value.append(contentsOf: "-00".utf8)
        }
        continuesClientTrace = kept != nil
    }

    /// The trace flags of a valid `traceparent`, or nil. Version `00` must be exactly 55 characters;
    /// a later version may be longer (its extra fields follow a `-`); `ff` is invalid. Hex is
    /// lowercase only; an all-zero trace-id or parent-id is invalid.
    static func validFlags(_ v: UnsafeBufferPointer<UInt8>) -> UInt8? {
        guard v.count >= 55, let version = hexByte(v[0], v[1]), version != 0xFF else { return nil }
        if version == 0 && v.count != 55 { return nil }
        if v.count > 55 && v[55] != UInt8(ascii: "-") { return nil }
        guard v[2] == UInt8(ascii: "-"), v[35] == UInt8(ascii: "-"), v[52] == UInt8(ascii: "-") else { return nil }
        var traceNonZero = false, parentNonZero = false
        for i in 3..<35 {
            guard hexDigit(v[i]) != nil else { return nil }
            if v[i] != UInt8(ascii: "0") { traceNonZero = true }
        }
        for i in 36..<52 {
            guard hexDigit(v[i]) != nil else { return nil }
            if v[i] != UInt8(ascii: "0") { parentNonZero = true }
        }
        guard traceNonZero, parentNonZero else { return nil }
        return hexByte(v[53], v[54])
    }

    private static func hexDigit(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    private static func hexByte(_ a: UInt8, _ b: UInt8) -> UInt8? {
        guard let hi = hexDigit(a), let lo = hexDigit(b) else { return nil }
        return hi << 4 | lo
    }

    /// `v` as 16 lowercase hex digits, most significant first, appended in one step: the nibbles are
    /// spread into bytes and turned into ASCII eight at a time (a loop appending digit by digit was
    /// 0.4% of the proxy's CPU for the three ids of each request).
    private static func appendHex(_ v: UInt64, to out: inout [UInt8]) {
        var digits = (hexDigits(UInt32(truncatingIfNeeded: v >> 32)), hexDigits(UInt32(truncatingIfNeeded: v)))
        withUnsafeBytes(of: &digits) { out.append(contentsOf: $0) }
    }

    /// The 8 hex digits of `x` as ASCII bytes in memory order (most significant digit first).
    static func hexDigits(_ x: UInt32) -> UInt64 {
        var v = UInt64(x)
        v = (v | v << 16) & 0x0000_FFFF_0000_FFFF
        v = (v | v << 8) & 0x00FF_00FF_00FF_00FF
        v = (v | v << 4) & 0x0F0F_0F0F_0F0F_0F0F          // byte i = nibble i (least significant first)
        let letters = ((v &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101   // 1 where the nibble is >= 10
        v = v &+ 0x3030_3030_3030_3030 &+ letters &* 0x27   // '0' + n, or 'a' + n - 10
        return v.bigEndian   // in memory: the most significant digit at the lowest address
    }
}

/// The per-loop source of trace and span ids: xoshiro256** seeded from the system's random source
/// (ids must be unique and unguessable enough to not collide across gateways, not secret; no
/// system call per request).
struct TraceRandom {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    init() {
        var rng = SystemRandomNumberGenerator()
        s = (rng.next(), rng.next(), rng.next(), rng.next() | 1)
    }

    mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }

    /// A non-zero value (all-zero ids are invalid).
    mutating func nonZero() -> UInt64 {
        while true { let v = next(); if v != 0 { return v } }
    }
}
