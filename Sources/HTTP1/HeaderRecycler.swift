/// The two arrays of the last head a parser made, kept so that the next head can be written into
/// them instead of into newly allocated ones.
///
/// A parsed head's `HTTPHeaders` shares the arrays with the parser. Once the caller has dropped
/// that head (the gateway forwards a request and keeps only what it needs), they are uniquely
/// referenced again and the next head fills them in place: no allocation per head, and no runtime
/// metadata lookup for a new `[FieldSlot]`. While the caller still holds the head, filling them
/// copies first (copy-on-write), so a head once handed out never changes.
///
/// Arrays above `maxKeptBytes` are not kept: a rare huge head does not pin its memory to an idle
/// keep-alive connection.
struct HeaderRecycler: Sendable {
    private var storage: [UInt8] = []
    private var slots: [FieldSlot] = []
    static let maxKeptBytes = 8 * 1024

    /// The kept arrays, emptied (in place when nobody else holds them), with room for `bytes`
    /// bytes and `fields` slots; the recycler is left empty.
    mutating func take(bytes: Int, fields: Int) -> (storage: [UInt8], slots: [FieldSlot]) {
        var s: [UInt8] = []
        var f: [FieldSlot] = []
        swap(&s, &storage)
        swap(&f, &slots)
        s.removeAll(keepingCapacity: true)
        f.removeAll(keepingCapacity: true)
        s.reserveCapacity(bytes)
        f.reserveCapacity(fields)
        return (s, f)
    }

    /// Keeps the arrays of `headers` for the next head (unless they are large).
    mutating func keep(_ headers: HTTPHeaders) {
        guard headers.storage.capacity <= Self.maxKeptBytes else { return }
        storage = headers.storage
        slots = headers.slots
    }
}
