import XCTest
@testable import Policy

final class DecisionTests: XCTestCase {
    private let policy: AccessPolicy = {
        let routes = try! RouteTable(routes: RouteTableTests.specs + [
            RouteSpec(methods: ["GET"], path: "/v1/partners/**", upstream: "demo", allScopes: ["read:partners"],
                      issuers: ["https://partner.example"], index: 8),
            RouteSpec(methods: ["GET"], path: "/v1/both", upstream: "demo", allScopes: ["a", "b"], anyScopes: ["c", "d"], index: 9),
            RouteSpec(methods: ["GET"], path: "/v1/token-only", upstream: "demo", index: 10),
        ])
        return AccessPolicy(routes: routes,
                            scopes: ScopePolicy(aliases: ["port-calls:read": "read:port_calls", "root": "admin"],
                                                superuserScopes: ["admin"]),
                            realm: "portcullis")
    }()

    private func index(_ method: String, _ path: String) -> Int {
        guard case .matched(let index, _) = policy.routes.match(method: method, path: path) else {
            XCTFail("no route for \(method) \(path)")
            return 0
        }
        return index
    }

    func testScopeDecisionTable() {
        let cases: [(String, String, [String], String)] = [
            ("GET", "/v1/port-calls/1", ["read:port_calls"], "allowed"),
            ("GET", "/v1/port-calls/1", ["port-calls:read"], "allowed"),
            ("GET", "/v1/port-calls/1", ["write:port_calls"], "insufficient_scope"),
            ("GET", "/v1/port-calls/1", ["READ:PORT_CALLS"], "insufficient_scope"),
            ("GET", "/v1/port-calls/1", [], "insufficient_scope"),
            ("POST", "/v1/port-calls", ["read:port_calls"], "insufficient_scope"),
            ("POST", "/v1/port-calls", ["write:port_calls"], "allowed"),
            ("GET", "/v1/invoices/7", ["write:invoices"], "allowed"),
            ("GET", "/v1/invoices/7", ["read:invoices"], "allowed"),
            ("GET", "/v1/invoices/7", ["read:vessels"], "insufficient_scope"),
            ("GET", "/v1/admin/users", ["read:port_calls"], "insufficient_scope"),
            ("GET", "/v1/admin/users", ["admin"], "allowed"),
            ("GET", "/v1/invoices/7", ["admin"], "allowed"),
            ("GET", "/v1/invoices/7", ["root"], "allowed"),
            ("GET", "/v1/both", ["a", "b", "d"], "allowed"),
            ("GET", "/v1/both", ["a", "b"], "insufficient_scope"),
            ("GET", "/v1/both", ["a", "c"], "insufficient_scope"),
            ("GET", "/v1/token-only", [], "allowed"),
            ("GET", "/v1/status", [], "allowed"),
        ]
        for (method, path, scopes, expected) in cases {
            let decision = policy.decide(routeIndex: index(method, path), issuer: "http://127.0.0.1:9000", grantedScopes: scopes)
            XCTAssertEqual(decision.code, expected, "\(method) \(path) \(scopes)")
        }
    }

    func testInsufficientScopeNamesASufficientSet() {
        let decision = policy.decide(routeIndex: index("GET", "/v1/both"), issuer: "i", grantedScopes: [])
        XCTAssertEqual(decision, .deny(Denial(.insufficientScope(required: "a b c", description: "requires scopes a b and one of c, d"))))
        let response = Denial(.insufficientScope(required: "a b c", description: "x")).response(realm: "r")
        XCTAssertEqual(try AuthParamParser.parse(response.header("WWW-Authenticate")!)["scope"], "a b c")
    }

    func testRejectsTokenFromIssuerNotAllowedOnRoute() {
        let route = index("GET", "/v1/partners/x")
        XCTAssertEqual(policy.decide(routeIndex: route, issuer: "http://127.0.0.1:9000", grantedScopes: ["read:partners", "admin"]),
                       .deny(Denial(.issuerNotAllowed)))
        XCTAssertEqual(policy.decide(routeIndex: route, issuer: "https://partner.example", grantedScopes: ["read:partners"]), .allow)
    }

    func testCredentialStepFailsClosedOnProtectedRoutes() {
        let protected = index("GET", "/v1/port-calls/1")
        XCTAssertEqual(policy.credential(routeIndex: protected, authorization: []), .deny(Denial(.tokenMissing)))
        XCTAssertEqual(policy.credential(routeIndex: protected, authorization: ["Basic eDp5"]), .deny(Denial(.unsupportedScheme)))
        XCTAssertEqual(policy.credential(routeIndex: protected, authorization: ["Bearer a", "Bearer b"]),
                       .deny(Denial(.malformedAuthorization(.multipleFields))))
        XCTAssertEqual(policy.credential(routeIndex: protected, authorization: ["Bearer abc"]), .verify(token: "abc"))
        XCTAssertEqual(policy.credential(routeIndex: index("GET", "/v1/status"), authorization: ["garbage \" x"]), .publicRoute)
    }

    /// The request-path form defers only the b64token character check: where the array form denies
    /// a token for its characters, the deferred form hands the token on and `tokenSyntaxDenial`
    /// gives the same denial; everything else is identical.
    func testDeferredSyntaxFormAgreesWithTheArrayForm() {
        let protected = index("GET", "/v1/port-calls/1")
        let cases: [[String]] = [[], ["Basic eDp5"], ["Bearer a", "Bearer b"], ["Bearer abc"], ["Bearer a b"], [""],
                                 ["Bearer ab\"c"], ["Bearer ab=c="], ["Bearer a\u{80}b"], ["Bearer eyJ.eyJ.sig"], ["Bearer  abc=="]]
        for values in cases {
            let deferred = policy.credentialDeferringTokenSyntax(routeIndex: protected, authorizationCount: values.count,
                                                                 firstAuthorization: { values.first })
            let full = policy.credential(routeIndex: protected, authorization: values)
            if case .verify(let token) = deferred, case .deny(let denial) = full {
                XCTAssertEqual(policy.tokenSyntaxDenial(token), denial, "\(values)")
                XCTAssertEqual(denial, Denial(.malformedAuthorization(.invalidToken)), "\(values)")
            } else {
                XCTAssertEqual(deferred, full, "\(values)")
                if case .verify(let token) = deferred { XCTAssertNil(policy.tokenSyntaxDenial(token), "\(values)") }
            }
        }
        var read = false
        XCTAssertEqual(policy.credentialDeferringTokenSyntax(routeIndex: index("GET", "/v1/status"), authorizationCount: 1,
                                                             firstAuthorization: { read = true; return "Bearer x" }), .publicRoute)
        XCTAssertFalse(read, "a public route never reads the Authorization value")
    }

    func testDenialStatusesAndCodes() {
        let cases: [(Denial.Reason, Int, String)] = [
            (.tokenMissing, 401, "token_missing"),
            (.unsupportedScheme, 401, "unsupported_scheme"),
            (.malformedAuthorization(.missingToken), 400, "authorization_bearer_without_token"),
            (.invalidToken(code: "bad_signature", description: "bad signature"), 401, "bad_signature"),
            (.issuerNotAllowed, 401, "issuer_not_allowed"),
            (.insufficientScope(required: "a", description: "d"), 403, "insufficient_scope"),
        ]
        for (reason, status, code) in cases {
            XCTAssertEqual(Denial(reason).status, status)
            XCTAssertEqual(Denial(reason).code, code)
            XCTAssertEqual(Denial(reason).response(realm: "r").status, status)
            XCTAssertEqual(Decision.deny(Denial(reason)).code, code)
        }
        XCTAssertEqual(Decision.allow.code, "allowed")
    }

    func testScopePolicyWithoutSuperusers() {
        let strict = ScopePolicy(aliases: [:], superuserScopes: [])
        let route = RouteSpec(path: "/x", upstream: "u", allScopes: ["a"], index: 0)
        XCTAssertEqual(strict.decide(route: route, grantedScopes: ["admin"]), .insufficientScope(required: "a"))
        XCTAssertEqual(strict.decide(route: route, grantedScopes: ["a"]), .allow)
    }
}

final class ExplainTests: XCTestCase {
    private let policy = AccessPolicy(routes: try! RouteTable(routes: [
        RouteSpec(path: "/v1/status", upstream: "u", isPublic: true, index: 0),
        RouteSpec(methods: ["GET"], path: "/api/items/{id}", upstream: "u", anyScopes: ["a", "b"],
                  issuers: ["https://id.example"], stripPrefix: "/api", index: 1),
        RouteSpec(methods: ["POST"], path: "/api/items", upstream: "u", index: 2),
    ]), scopes: ScopePolicy())

    func testRoutingOutcomes() {
        XCTAssertEqual(policy.route(method: "GET", target: "/api/x/../items/7?q=1"),
                       .matched(routeIndex: 1, path: "/api/items/7", upstreamPath: "/items/7",
                                captures: [PathCapture(name: "id", value: "7")]))
        XCTAssertEqual(policy.route(method: "GET", target: "/api/items"), .methodNotAllowed(path: "/api/items", allow: ["POST"]))
        XCTAssertEqual(policy.route(method: "GET", target: "/nope"), .notFound(path: "/nope"))
        XCTAssertEqual(policy.route(method: "GET", target: "/a%2Fb"), .rejected(PathRejection(.encodedSlash)))
    }

    func testRequirementSummaries() {
        XCTAssertEqual(policy.requirementSummary(routeIndex: 0), "public (no token)")
        XCTAssertEqual(policy.requirementSummary(routeIndex: 1), "requires one of a, b (issuers: https://id.example)")
        XCTAssertEqual(policy.requirementSummary(routeIndex: 2), "any valid token")
    }
}
