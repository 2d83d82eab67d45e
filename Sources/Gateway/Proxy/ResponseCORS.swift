import HTTP1
import Policy

/// The CORS part of the response to a forwarded request on a route where the gateway owns CORS
/// (`cors` configured, route not opted out): the upstream's own `Access-Control-*` fields are
/// dropped — an upstream's `*` must not bypass the allowed origins — and the allowed origin's
/// fields (none for an origin not allowed) are appended, serialized once.
public struct ResponseCORS: Sendable {
    /// The fields for the request's origin (empty when it is not allowed or absent).
    public let fields: [CORSField]
    /// `fields` as `Name: value CRLF` lines.
    let serialized: [UInt8]

    /// Serializes `fields`.
    public init(fields: [CORSField]) {
        self.fields = fields
        var bytes: [UInt8] = []
        for f in fields { HTTPSerializer.writeField(f.name, f.value, into: &bytes) }
        serialized = bytes
    }

    /// The response fields the gateway owns on such routes (the upstream's are dropped).
    static let ownedFieldNames = CORSPolicy.ownedResponseFields
    /// Upstream response fields dropped on such routes (besides the usual ones).
    static let drop = FieldNameSet(["x-request-id"] + CORSPolicy.ownedResponseFields)
    static let dropWhenReframed = FieldNameSet(["x-request-id", "content-length"] + CORSPolicy.ownedResponseFields)
}
