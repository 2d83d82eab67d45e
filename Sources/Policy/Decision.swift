/// The authorization outcome for one request, carrying its reason.
///
/// ``code`` is the stable string used as the log field, the metric label and (for denials) the
/// basis of the response; it never contains token bytes.
public enum Decision: Sendable, Equatable {
    /// Forward the request.
    case allow
    /// Answer with ``Denial/response(realm:)`` and never forward.
    case deny(Denial)

    /// `allowed`, or the denial's code.
    public var code: String {
        switch self {
        case .allow: return "allowed"
        case .deny(let denial): return denial.code
        }
    }
}

/// Why a request to a protected route is refused.
public struct Denial: Sendable, Equatable, Error {
    /// The cause, one case per kind of answer.
    public enum Reason: Sendable, Equatable {
        /// No `Authorization` field (401, bare challenge, RFC 6750 §3.1).
        case tokenMissing
        /// `Authorization` with another scheme such as `Basic` (401, bare Bearer challenge).
        case unsupportedScheme
        /// Unusable `Authorization` field(s) (400 `invalid_request`).
        case malformedAuthorization(AuthorizationHeader.Malformation)
        /// Token verification failed; `code` and `description` come from the verifier and must
        /// not contain token bytes (401 `invalid_token`).
        case invalidToken(code: String, description: String)
        /// A valid token from an issuer the route does not accept (401 `invalid_token`): like an
        /// audience mismatch, the token is not valid *for this resource*, and a higher scope would
        /// not help, so this is not `insufficient_scope`.
        case issuerNotAllowed
        /// Valid token, scopes insufficient (403 `insufficient_scope` with the required `scope`).
        case insufficientScope(required: String, description: String)
    }

    /// The cause.
    public var reason: Reason

    /// Creates a denial.
    public init(_ reason: Reason) { self.reason = reason }

    /// Stable code: `token_missing`, `unsupported_scheme`, the malformation code, the verifier's
    /// code, `issuer_not_allowed` or `insufficient_scope`.
    public var code: String {
        switch reason {
        case .tokenMissing: return "token_missing"
        case .unsupportedScheme: return "unsupported_scheme"
        case .malformedAuthorization(let malformation): return malformation.rawValue
        case .invalidToken(let code, _): return code
        case .issuerNotAllowed: return "issuer_not_allowed"
        case .insufficientScope: return "insufficient_scope"
        }
    }

    /// HTTP status: 400, 401 or 403.
    public var status: Int {
        switch reason {
        case .malformedAuthorization: return 400
        case .insufficientScope: return 403
        default: return 401
        }
    }

    /// The response, exactly as documented in issue 4 "Responses".
    public func response(realm: String) -> ErrorResponse {
        switch reason {
        case .tokenMissing:
            return ErrorResponse(status: 401, challenge: BearerChallenge(realm: realm),
                                 bodyDescription: "Bearer token required")
        case .unsupportedScheme:
            return ErrorResponse(status: 401, challenge: BearerChallenge(realm: realm),
                                 bodyDescription: "Bearer token required (unsupported authorization scheme)")
        case .malformedAuthorization(let malformation):
            return ErrorResponse(status: 400, challenge: BearerChallenge(
                realm: realm, error: "invalid_request", description: malformation.description), bodyDescription: "")
        case .invalidToken(_, let description):
            return ErrorResponse(status: 401, challenge: BearerChallenge(
                realm: realm, error: "invalid_token", description: description), bodyDescription: "")
        case .issuerNotAllowed:
            return ErrorResponse(status: 401, challenge: BearerChallenge(
                realm: realm, error: "invalid_token", description: "issuer not accepted for this route"),
                bodyDescription: "")
        case .insufficientScope(let required, let description):
            return ErrorResponse(status: 403, challenge: BearerChallenge(
                realm: realm, error: "insufficient_scope", description: description, scope: required),
                bodyDescription: "")
        }
    }
}
