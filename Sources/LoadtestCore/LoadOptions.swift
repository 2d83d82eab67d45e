/// Where bearer tokens come from.
public enum TokenSource: Sendable, Equatable {
    /// No tokens: requests marked `bearer` cannot be sent (checked when the scenario is loaded).
    case none
    /// A JSON token file (see `TokenPool.decodeFile`).
    case file(path: String)
    /// The dev issuer's token endpoint, by `client_credentials`.
    case issuer(IssuerTokenRequest)
}

/// How to ask an issuer for tokens. `description` never shows the secret.
public struct IssuerTokenRequest: Sendable, Equatable, CustomStringConvertible {
    /// The issuer base URL (or token endpoint URL) given on the command line.
    public let url: TargetURL
    /// OAuth client id.
    public let clientID: String
    /// OAuth client secret. Never printed or logged.
    public let clientSecret: String
    /// Space-separated scopes for valid tokens.
    public let scope: String
    /// Scope for wrong-scope tokens: one the client may request but the routes under test do not accept.
    public let wrongScope: String

    /// Memberwise initializer.
    public init(url: TargetURL, clientID: String, clientSecret: String, scope: String, wrongScope: String) {
        self.url = url
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
        self.wrongScope = wrongScope
    }

    /// `issuer http://... as client-id, scope "..."` (no secret).
    public var description: String { "issuer \(url) as \(clientID), scope \"\(scope)\"" }
}

/// The load shape shared by `run` and `overhead`. Defaults are those of `Arguments.usage`:
/// 64 connections, 10 s measured after 2 s of warm-up, closed loop, valid tokens only, 1 distinct token.
public struct LoadOptions: Sendable, Equatable {
    /// Concurrent keep-alive connections, 1...100000. Default 64.
    public var connections = 64
    /// Measurement window, nanoseconds. Default 10 s.
    public var durationNanoseconds: UInt64 = 10_000_000_000
    /// Warm-up before measuring, nanoseconds. Default 2 s.
    public var warmupNanoseconds: UInt64 = 2_000_000_000
    /// Closed loop unless `--rate` is given.
    public var mode = LoadMode.closedLoop
    /// Scenario file; without one, `GET` of the URL's path.
    public var scenarioPath: String?
    /// Token source.
    public var tokens = TokenSource.none
    /// Token kind shares and distinct-token count.
    public var mix = TokenMix.allValid
    /// Event loops (threads); 0 means one per CPU the process may run on. Default 0.
    public var threads = 0
    /// How long a connect or a response may take before it counts as a timeout error. Default 5 s.
    public var timeoutNanoseconds: UInt64 = 5_000_000_000
    /// JSON report path.
    public var jsonPath: String?
    /// SVG chart path.
    public var svgPath: String?
    /// `https://` targets: CA file their certificates must chain to (`--tls-ca`; default: the
    /// system store).
    public var tlsCAFile: String?
    /// `https://` targets: accept any certificate (`--insecure`, for self-signed development ones).
    public var tlsInsecure = false
    /// `--dpop`: DPoP-bound tokens and a fresh proof per request.
    public var dpop = false

    /// The defaults.
    public init() {}
}

/// `loadtest [run] --url URL ...`.
public struct RunOptions: Sendable, Equatable {
    /// The target.
    public var url: TargetURL
    /// The load.
    public var load: LoadOptions

    /// Memberwise initializer.
    public init(url: TargetURL, load: LoadOptions) {
        self.url = url
        self.load = load
    }
}

/// `loadtest overhead --direct URL --gateway URL [--rounds N] ...`.
public struct OverheadOptions: Sendable, Equatable {
    /// The upstream, directly.
    public var direct: TargetURL
    /// The same upstream through Portcullis.
    public var gateway: TargetURL
    /// Interleaved rounds, 1...100. Default 3.
    public var rounds: Int
    /// The load, identical for both targets.
    public var load: LoadOptions

    /// Memberwise initializer.
    public init(direct: TargetURL, gateway: TargetURL, rounds: Int, load: LoadOptions) {
        self.direct = direct
        self.gateway = gateway
        self.rounds = rounds
        self.load = load
    }
}
