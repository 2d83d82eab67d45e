import Locks

/// The decoded protected headers of recent tokens, found by the exact bytes of their base64url
/// header segment.
///
/// Why: every token an issuer signs with one key carries the same header segment (`alg`, `kid`,
/// `typ`), so decoding and parsing it again for each token repeats the same work (base64url, JSON,
/// the header checks), a measurable part of a cache-miss verification.
///
/// Security invariants:
/// - An entry is found only when the whole segment is byte-for-byte equal to the one it was parsed
///   from, and a header is a pure function of those bytes: a hit returns exactly what parsing
///   would have returned.
/// - Only headers that parsed and passed the header checks are stored; a rejected header is parsed
///   (and rejected) again every time.
/// - Bounded: `capacity` entries of at most `maximumSegmentBytes` each, replaced round-robin, so a
///   flood of distinct headers costs a few comparisons per token and no memory growth.
final class HeaderMemo: Sendable {
    static let capacity = 8
    static let maximumSegmentBytes = 256

    private struct Entry: Sendable {
        let segment: [UInt8]
        let header: JOSEHeader
    }

    private struct State: Sendable {
        var entries: [Entry] = []
        var next = 0
    }

    private let state = Locked(State())

    /// The header parsed earlier from exactly these segment bytes, if remembered.
    func header(for segment: UnsafeRawBufferPointer) -> JOSEHeader? {
        guard segment.count <= Self.maximumSegmentBytes else { return nil }
        return state.withLock { state in
            for entry in state.entries where entry.segment.count == segment.count {
                if entry.segment.withUnsafeBytes({ bytesEqual($0, segment) }) { return entry.header }
            }
            return nil
        }
    }

    /// Remembers `header` as the parse of `segment` (which must have passed every header check).
    func remember(_ header: JOSEHeader, for segment: UnsafeRawBufferPointer) {
        guard segment.count <= Self.maximumSegmentBytes else { return }
        let entry = Entry(segment: [UInt8](segment), header: header)
        state.withLock { state in
            if state.entries.count < Self.capacity {
                state.entries.append(entry)
            } else {
                state.entries[state.next] = entry
                state.next = (state.next + 1) % Self.capacity
            }
        }
    }

    /// Number of remembered headers (tests).
    var count: Int { state.withLock { $0.entries.count } }
}
