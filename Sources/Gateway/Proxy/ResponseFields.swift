import HTTP1

/// Fields the gateway adds to one forwarded response, besides CORS (today: a renewed `DPoP-Nonce`,
/// RFC 9449 §8.2). The upstream's own fields of those names are not forwarded, so the client never
/// sees two values. Serialized once, when the request is authorized.
public struct ResponseFields: Sendable {
    /// The fields, in order.
    public let fields: [(name: String, value: String)]
    /// `fields` as `Name: value CRLF` lines.
    let serialized: [UInt8]
    /// Lowercased names of `fields`, for dropping the upstream's copies.
    let names: [String]

    /// Serializes `fields`.
    public init(_ fields: [(name: String, value: String)]) {
        self.fields = fields
        var bytes: [UInt8] = []
        for f in fields { HTTPSerializer.writeField(f.name, f.value, into: &bytes) }
        serialized = bytes
        names = fields.map { $0.name.lowercased() }
    }
}
