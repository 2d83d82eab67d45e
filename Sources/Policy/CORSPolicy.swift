/// CORS for browser apps (the top-level `cors` object): which origins may call, and the
/// `Access-Control-*` fields the gateway writes on preflights and on every response to them.
///
/// Security invariants:
/// - an origin is allowed only by exact, case-sensitive comparison with a configured origin
///   (`https://app.example` never admits `https://app.example.evil`); there is no wildcard, so the
///   gateway never answers `Access-Control-Allow-Origin: *` (with or without credentials);
/// - a refused origin or method gets no `Access-Control-Allow-*` field at all;
/// - only a true preflight (OPTIONS with `Origin` and `Access-Control-Request-Method`) is answered
///   without a token; every other request goes through the policy.
public struct CORSPolicy: Sendable, Equatable {
    /// Exact origins (`scheme://host[:port]`) allowed to call.
    public var allowedOrigins: [String]
    /// Request headers a browser may send (`Access-Control-Allow-Headers` of preflights).
    public var allowedHeaders: [String]
    /// Response headers a browser app may read besides the safelisted ones. `WWW-Authenticate` is
    /// always exposed, so the app can read why it was refused.
    public var exposedHeaders: [String]
    /// `Access-Control-Max-Age` of preflight answers, in seconds.
    public var maxAgeSeconds: Int
    /// `Access-Control-Allow-Credentials: true` (cookies / HTTP auth in browser requests).
    public var allowCredentials: Bool

    /// Creates a policy; the defaults are the configuration's (`max_age_seconds` 600, no credentials).
    public init(allowedOrigins: [String], allowedHeaders: [String] = ["Authorization", "Content-Type"],
                exposedHeaders: [String] = [], maxAgeSeconds: Int = 600, allowCredentials: Bool = false) {
        self.allowedOrigins = allowedOrigins
        self.allowedHeaders = allowedHeaders
        self.exposedHeaders = exposedHeaders
        self.maxAgeSeconds = maxAgeSeconds
        self.allowCredentials = allowCredentials
    }

    /// Whether `origin` is one of `allowedOrigins` (exact comparison).
    public func allows(origin: String) -> Bool { allowedOrigins.contains(origin) }

    /// The fields of every response (forwarded or the gateway's own) to a request from `origin`:
    /// `Access-Control-Allow-Origin` (the origin itself), `Vary: Origin`, the exposed headers and,
    /// when configured, `Access-Control-Allow-Credentials`. Empty for an origin not allowed.
    public func responseFields(origin: String) -> [CORSField] {
        guard allows(origin: origin) else { return [] }
        var fields: [CORSField] = [CORSField("Access-Control-Allow-Origin", origin), CORSField("Vary", "Origin")]
        if allowCredentials { fields.append(CORSField("Access-Control-Allow-Credentials", "true")) }
        fields.append(CORSField("Access-Control-Expose-Headers", (["WWW-Authenticate"] + exposedHeaders).joined(separator: ", ")))
        return fields
    }

    /// The fields of a successful preflight answer (204) for `origin` and the requested `method`.
    public func preflightFields(origin: String, method: String) -> [CORSField] {
        guard allows(origin: origin) else { return [] }
        var fields: [CORSField] = [CORSField("Access-Control-Allow-Origin", origin), CORSField("Vary", "Origin")]
        if allowCredentials { fields.append(CORSField("Access-Control-Allow-Credentials", "true")) }
        fields.append(CORSField("Access-Control-Allow-Methods", method))
        if !allowedHeaders.isEmpty { fields.append(CORSField("Access-Control-Allow-Headers", allowedHeaders.joined(separator: ", "))) }
        fields.append(CORSField("Access-Control-Max-Age", String(maxAgeSeconds)))
        return fields
    }

    /// Lowercased names of the response fields the gateway owns on CORS routes: an upstream's own
    /// copies are dropped so a browser never sees two (or an upstream's `*`).
    public static let ownedResponseFields = ["access-control-allow-origin", "access-control-allow-credentials",
                                             "access-control-expose-headers", "access-control-allow-methods",
                                             "access-control-allow-headers", "access-control-max-age"]
}

/// What the gateway does with an `OPTIONS` request under a ``CORSPolicy``.
public enum PreflightDecision: Sendable, Equatable {
    /// Not a preflight the gateway handles (no `cors`, not a true preflight, or the route opted out):
    /// the request goes through the policy like any other.
    case notPreflight
    /// 204 with these fields; never forwarded, no token needed.
    case answer(fields: [CORSField])
    /// Refused (origin not allowed, or no CORS route serves the requested method on this path):
    /// answered by the gateway with no `Access-Control-Allow-*` field; `code` names the cause.
    case refuse(code: String, description: String)
}

/// One `Access-Control-*` (or `Vary`) header field the gateway writes.
public struct CORSField: Sendable, Equatable {
    /// Field name.
    public var name: String
    /// Field value.
    public var value: String
    /// Creates a field.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
