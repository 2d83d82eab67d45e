/// A `WWW-Authenticate: DPoP ...` challenge (RFC 9449 §7.1): the accepted proof algorithms and,
/// for a refused request, the error. Values are sanitized and quoted like ``BearerChallenge``'s.
public struct DPoPChallenge: Sendable, Equatable {
    /// `algs`: the accepted proof algorithms, space-separated.
    public var algorithms: String
    /// `error` (`invalid_token`, `invalid_dpop_proof`, `use_dpop_nonce`, `insufficient_scope`).
    public var error: String?
    /// `error_description`.
    public var description: String?

    /// Creates a challenge.
    public init(algorithms: String, error: String? = nil, description: String? = nil) {
        self.algorithms = algorithms
        self.error = error
        self.description = description
    }

    /// The header field value, e.g. `DPoP algs="ES256 RS256", error="invalid_dpop_proof", error_description="..."`.
    public var headerValue: String {
        var out: [UInt8] = Array("DPoP ".utf8)
        BearerChallenge.appendParameter("algs", algorithms, to: &out)
        if let error { out.append(contentsOf: ", ".utf8); BearerChallenge.appendParameter("error", error, to: &out) }
        if let description { out.append(contentsOf: ", ".utf8); BearerChallenge.appendParameter("error_description", description, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// A 401 (or the given status) JSON error answered with this challenge instead of a Bearer one.
    public static func response(status: Int = 401, error: String, description: String, algorithms: String,
                                scope: String? = nil, extraHeaders: [(name: String, value: String)] = []) -> ErrorResponse {
        let challenge = DPoPChallenge(algorithms: algorithms, error: error, description: description)
        return ErrorResponse(status: status, error: error, description: description, scope: scope,
                             extraHeaders: [("WWW-Authenticate", challenge.headerValue)] + extraHeaders)
    }
}
