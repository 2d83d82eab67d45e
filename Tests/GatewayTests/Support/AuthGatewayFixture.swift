import Foundation
import XCTest
import Config
import IO
@testable import Gateway

/// One trusted issuer of an end-to-end auth test: its keys come from `path` on the JWKS stub.
struct AuthIssuerSpec {
    var issuer: String
    var path: String
    /// The JWKS document served at `path`; nil: the path answers 500 forever (keys never fetchable).
    var document: String?
    var algorithms = ["RS256", "ES256"]
    /// Extra issuer members as JSON text, e.g. `"require_typ": "at+jwt",`.
    var extra = ""
    /// False for an introspection-only issuer: no `jwks_uri`, no `algorithms` (list such issuers
    /// last: the fixture's fetchers are indexed like the issuers before them).
    var keySource = true

    static var issuerA: AuthIssuerSpec {
        AuthIssuerSpec(issuer: AuthKeys.issuerA, path: "/a/jwks.json", document: AuthKeys.issuerADocument(),
                       extra: "\"require_typ\": \"at+jwt\",")
    }
    static var issuerB: AuthIssuerSpec {
        AuthIssuerSpec(issuer: AuthKeys.issuerB, path: "/b/jwks.json", document: AuthKeys.issuerBDocument, algorithms: ["ES256"])
    }
    static var standard: [AuthIssuerSpec] { [issuerA, issuerB] }
}

/// The route table of the auth end-to-end tests (one upstream, `api`).
enum AuthRoutes {
    static let standard = """
    { "methods": ["GET"], "path": "/v1/status", "upstream": "api", "public": true },
    { "path": "/v1/public/**", "upstream": "api", "public": true },
    { "methods": ["GET"], "path": "/v1/port-calls/**", "upstream": "api", "scopes": ["read:port_calls"] },
    { "methods": ["POST", "PUT"], "path": "/v1/port-calls/**", "upstream": "api", "scopes": ["write:port_calls"] },
    { "methods": ["GET"], "path": "/v1/invoices/{id}", "upstream": "api", "any_scopes": ["read:invoices", "write:invoices"] },
    { "methods": ["GET"], "path": "/v1/ledger/**", "upstream": "api", "scopes": ["read:ledger"], "any_scopes": ["region:eu", "region:us"] },
    { "path": "/v1/admin/**", "upstream": "api", "scopes": ["manage:system"] },
    { "methods": ["GET"], "path": "/v1/partner/**", "upstream": "api", "issuers": ["\(AuthKeys.issuerB)"] },
    { "methods": ["GET"], "path": "/v1/opaque/**", "upstream": "api", "forward_authorization": false },
    { "methods": ["GET"], "path": "/api/**", "upstream": "api", "strip_prefix": "/api" },
    { "methods": ["GET"], "path": "/v1/me", "upstream": "api" }
    """
}

/// A response as the test client read it.
struct AuthResponse {
    var status: Int
    /// Lowercased names; repeated fields joined with ", ".
    var headers: [String: String]
    var body: [UInt8]

    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] }
    var challenge: AuthChallenge? { headers["www-authenticate"].flatMap(AuthChallenge.parse) }
    /// Every byte the client saw apart from the status line, for "no token bytes" checks.
    var visibleText: String { headers.map { "\($0.key): \($0.value)" }.joined(separator: "\n") + "\n" + String(decoding: body, as: UTF8.self) }
}

/// The whole gateway (`RunningGateway` from a validated config) on 127.0.0.1 in front of a
/// recording `TestUpstream`, with issuers whose JWKS come from a counting `JWKSStubServer`.
final class AuthGatewayFixture: Sendable {
    let stub: JWKSStubServer
    let upstream: TestUpstream
    let clock = AuthTestClock()
    let gateway: RunningGateway
    let issuers: [AuthIssuerSpec]

    /// `extraTopLevel`: further top-level members as JSON text ending in a comma, e.g. `"cors": {...},`;
    /// `extraUpstreams`: more upstreams as JSON text starting with a comma.
    init(issuers: [AuthIssuerSpec] = AuthIssuerSpec.standard, routes: String = AuthRoutes.standard, logLevel: String = "error",
         extraTopLevel: String = "", extraUpstreams: String = "") throws {
        stub = try JWKSStubServer.started()
        upstream = TestUpstream()
        self.issuers = issuers
        for spec in issuers where spec.keySource {
            if let document = spec.document { stub.serve(spec.path, body: document) }
            else { stub.serve(spec.path, status: 500, body: "{\"error\":\"down\"}") }
        }
        let config = try ConfigLoader.parse(bytes: Array(Self.configText(issuers: issuers, routes: routes,
                                                                         upstreamPort: upstream.port, stubURL: stub.baseURL,
                                                                         logLevel: logLevel, extraTopLevel: extraTopLevel,
                                                                         extraUpstreams: extraUpstreams).utf8),
                                            baseDirectory: NSTemporaryDirectory())
        gateway = try RunningGateway(config: config, clock: clock, waitForKeysSeconds: 0)
        // Wait for the first fetch of every issuer whose keys can be fetched (not for the others).
        let deadline = Date().addingTimeInterval(5)
        for (index, spec) in issuers.enumerated() where spec.document != nil && spec.keySource {
            while gateway.fetchers[index].health.lastSuccessAt == nil && Date() < deadline { usleep(5_000) }
            XCTAssertNotNil(gateway.fetchers[index].health.lastSuccessAt, "first JWKS fetch of \(spec.issuer)")
        }
    }

    static func configText(issuers: [AuthIssuerSpec], routes: String, upstreamPort: UInt16, stubURL: String, logLevel: String,
                           extraTopLevel: String = "", extraUpstreams: String = "") -> String {
        let issuerText = issuers.map { spec in
            spec.keySource ? """
            { "issuer": "\(spec.issuer)", "jwks_uri": "\(stubURL)\(spec.path)", "audiences": ["\(AuthKeys.audience)"],
              \(spec.extra) "algorithms": [\(spec.algorithms.map { "\"\($0)\"" }.joined(separator: ", "))], "clock_skew_seconds": 60 }
            """ : """
            { "issuer": "\(spec.issuer)", "audiences": ["\(AuthKeys.audience)"], \(spec.extra) "clock_skew_seconds": 60 }
            """
        }.joined(separator: ",\n")
        return """
        {
          "listen": "127.0.0.1:0", "workers": 1, "realm": "\(AuthKeys.realm)",
          "upstreams": { "api": { "targets": ["http://127.0.0.1:\(upstreamPort)"] }\(extraUpstreams) },
          "routes": [\(routes)],
          "scope_aliases": { "port-calls:read": "read:port_calls" },
          "superuser_scopes": ["admin"], \(extraTopLevel)
          "issuers": [\(issuerText)],
          "log": { "level": "\(logLevel)" }
        }
        """
    }

    /// Number of requests the stub answered for issuer `index`'s JWKS path.
    func jwksFetches(_ index: Int = 0) -> Int { stub.hits(issuers[index].path) }

    /// One request on a fresh connection (`Connection: close`).
    func send(_ method: String = "GET", _ target: String, token: String? = nil,
              headers: [(String, String)] = []) -> AuthResponse? {
        guard let socket = BlockingSocket.connect(port: gateway.port) else { return nil }
        defer { socket.close() }
        var raw = "\(method) \(target) HTTP/1.1\r\nHost: gateway.test\r\n"
        if let token { raw += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { raw += "\(name): \(value)\r\n" }
        raw += "Connection: close\r\n\r\n"
        socket.write(raw)
        return socket.readResponse(method: method).map { AuthResponse(status: $0.status, headers: $0.headers, body: $0.body) }
    }

    /// The values of header `name` (case-insensitive) in upstream request `index`.
    func upstreamHeader(_ name: String, request index: Int = 0) -> [String] {
        let requests = upstream.requests
        guard index < requests.count else { return [] }
        return requests[index].headers.filter { $0.0.lowercased() == name.lowercased() }.map { $0.1 }
    }

    func stop() {
        let done = DispatchSemaphore(value: 0)
        gateway.shutdown(graceMs: 100) { _ in done.signal() }
        _ = done.wait(timeout: .now() + 3)
        gateway.group.shutdown()
        upstream.stop()
        stub.stop()
    }
}
