/// One route rule as written in the configuration, before compilation into a ``RouteTable``.
///
/// Routes are evaluated in file order: the first route whose path pattern and method match wins.
public struct RouteSpec: Sendable, Equatable {
    /// Methods this route serves, case-sensitive (`GET` is not `get`, RFC 9110 §9.1);
    /// `nil` means any method. A route that serves `GET` also serves `HEAD`.
    public var methods: [String]?
    /// Path pattern: `/`-separated segments, each a literal, `*` or `{name}` (exactly one non-empty
    /// segment), or a final `**` (zero or more trailing segments, including a trailing slash).
    public var path: String
    /// Name of the upstream that receives matching requests.
    public var upstream: String
    /// A public route needs no token and names no scopes.
    public var isPublic: Bool
    /// Scopes that must all be granted (`scopes` in the config).
    public var allScopes: [String]
    /// Scopes of which one suffices (`any_scopes` in the config); empty = no such requirement.
    public var anyScopes: [String]
    /// Issuers whose tokens may call this route; `nil` = every trusted issuer.
    public var issuers: [String]?
    /// Leading path prefix removed (at a segment boundary) before forwarding; `nil` = none.
    public var stripPrefix: String?
    /// Whether the client's `Authorization` header is forwarded upstream (default `true`).
    public var forwardAuthorization: Bool
    /// Whether the top-level `cors` applies to this route (default `true`; `"cors": false` opts out:
    /// the gateway then neither answers preflights for it nor adds `Access-Control-*` fields).
    public var cors: Bool
    /// Position of this route in the configuration's `routes` array (for messages and logs).
    public var index: Int
    /// Optional stable name (`name`: letters, digits, `.`, `-`, `_`; unique): the `route` label of
    /// metrics and the access log. Without one the label is the route's index.
    public var name: String?

    /// The `route` label of metrics and the access log: the name, else the index.
    public var label: String { name ?? String(index) }

    /// Creates a route rule; defaults mirror the configuration defaults.
    public init(methods: [String]? = nil, path: String, upstream: String, isPublic: Bool = false,
                allScopes: [String] = [], anyScopes: [String] = [], issuers: [String]? = nil,
                stripPrefix: String? = nil, forwardAuthorization: Bool = true, cors: Bool = true, index: Int) {
        self.methods = methods
        self.path = path
        self.upstream = upstream
        self.isPublic = isPublic
        self.allScopes = allScopes
        self.anyScopes = anyScopes
        self.issuers = issuers
        self.stripPrefix = stripPrefix
        self.forwardAuthorization = forwardAuthorization
        self.cors = cors
        self.index = index
    }
}
