/// Everything needed to put the `n`th request of a run on the wire, built once before the run and
/// shared read-only by every event loop: one `RequestTemplate` per scenario request, the scenario's
/// weighted picker, the token mix and the token pool.
///
/// Sending a request costs one `RequestCursor.next()` (two modulo operations and array reads) and
/// one `render` (up to three `memcpy`s into a reused buffer): no `String`, no allocation.
public struct RequestCatalog: Sendable {
    /// One template per scenario request, in scenario order.
    public let templates: [RequestTemplate]
    /// The method of each template (for `ResponseParser.expectResponse(toMethod:)`).
    public let methods: [String]
    /// Whether each template is a `HEAD` request (its response has no body).
    public let isHead: [Bool]
    private let picker: WeightedPicker
    private let mix: TokenMix
    private let pool: TokenPool?
    /// Signs a DPoP proof for (template index, token): with it, token requests use the `DPoP` scheme
    /// and carry a fresh proof each (the signing is part of the load generator's per-request cost).
    private let proofSigner: (@Sendable (Int, [UInt8]) -> [UInt8])?

    /// Builds the catalog. `scenario` paths must already be request targets (`Scenario.resolved`).
    /// Precondition: a scenario with bearer requests comes with a pool checked against `mix`.
    public init(scenario: Scenario, hostHeader: String, mix: TokenMix, pool: TokenPool?,
                proofSigner: (@Sendable (Int, [UInt8]) -> [UInt8])? = nil) {
        precondition(!scenario.needsTokens || pool != nil, "bearer requests need a token pool")
        let scheme = proofSigner == nil ? "Bearer" : "DPoP"
        templates = scenario.requests.map { RequestTemplate(request: $0, hostHeader: hostHeader, scheme: scheme) }
        self.proofSigner = proofSigner
        methods = scenario.requests.map(\.method)
        isHead = methods.map { $0 == "HEAD" }
        picker = scenario.picker
        self.mix = mix
        self.pool = pool
    }

    /// The request chosen for the `n`th request sent, which is the `bearerN`th bearer request if its
    /// template takes a token. Deterministic.
    public func plan(request n: UInt64, bearerRequest bearerN: UInt64) -> PlannedRequest {
        let index = picker.pick(n)
        guard templates[index].bearer else { return PlannedRequest(template: index, token: nil) }
        return PlannedRequest(template: index, token: mix.choice(forSequence: bearerN))
    }

    /// Replaces `buffer`'s contents with the bytes of `planned` (capacity is kept).
    public func render(_ planned: PlannedRequest, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        let template = templates[planned.template]
        if let choice = planned.token, let pool {
            let token = pool.token(for: choice)
            template.write(token: token, proof: proofSigner?(planned.template, token), into: &buffer)
        } else {
            template.write(token: nil, into: &buffer)
        }
    }
}

/// One request chosen by a `RequestCatalog`.
public struct PlannedRequest: Sendable, Equatable {
    /// Index into `RequestCatalog.templates`.
    public let template: Int
    /// The token it carries, if its template is a bearer one.
    public let token: TokenChoice?

    /// Memberwise initializer.
    public init(template: Int, token: TokenChoice?) {
        self.template = template
        self.token = token
    }
}

/// Walks a catalog: the request and bearer-request counters of one event loop. Each loop owns one, so
/// the scenario weights and token shares hold exactly within every loop without shared counters.
public struct RequestCursor: Sendable {
    /// Requests planned so far.
    public private(set) var requests: UInt64 = 0
    /// Bearer requests planned so far.
    public private(set) var bearerRequests: UInt64 = 0

    /// A cursor at request 0.
    public init() {}

    /// The next request of `catalog`.
    public mutating func next(in catalog: RequestCatalog) -> PlannedRequest {
        let planned = catalog.plan(request: requests, bearerRequest: bearerRequests)
        requests &+= 1
        if planned.token != nil { bearerRequests &+= 1 }
        return planned
    }
}
