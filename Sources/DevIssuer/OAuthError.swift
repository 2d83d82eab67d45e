/// An OAuth 2.0 error response (RFC 6749 §5.2, RFC 8628 §3.5, RFC 6750 §3.1).
///
/// `code` is the stable string sent as `error` (and usable as a log field and metric label);
/// `description` is a fixed, safe sentence: it never contains a token, secret or code.
struct OAuthError: Error, Sendable, Equatable {
    /// The error codes, one per cause, with their RFC spelling as raw value.
    enum Code: String, Sendable {
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case invalidGrant = "invalid_grant"
        case unauthorizedClient = "unauthorized_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case unsupportedResponseType = "unsupported_response_type"
        case invalidScope = "invalid_scope"
        case accessDenied = "access_denied"
        case authorizationPending = "authorization_pending"
        case slowDown = "slow_down"
        case expiredToken = "expired_token"
        case serverError = "server_error"
        /// RFC 9449 §5: the token request's `DPoP` proof is missing pieces or invalid.
        case invalidDPoPProof = "invalid_dpop_proof"
    }

    /// The error code.
    var code: Code
    /// The safe human description (`error_description`).
    var description: String
    /// Set for `invalid_client` when the client tried HTTP Basic: the 401 then carries
    /// `WWW-Authenticate: Basic realm=...` (RFC 6749 §5.2).
    var usedBasicAuthentication = false

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// The HTTP status: 401 for `invalid_client`, 500 for `server_error`, 400 otherwise.
    var status: Int {
        switch code {
        case .invalidClient: return 401
        case .serverError: return 500
        default: return 400
        }
    }

    /// The JSON error response for the token-style endpoints.
    func response(realm: String) -> DevResponse {
        var extra: [(name: String, value: String)] = []
        if code == .invalidClient && usedBasicAuthentication {
            extra.append(("WWW-Authenticate", "Basic realm=\"\(realm)\""))
        }
        return .json(status, ["error": code.rawValue, "error_description": description], extraHeaders: extra)
    }
}
