import Dispatch
import HTTP1
import JOSE
import Policy

/// What `portcullis explain` prints: each step of the decision for one request.
public struct Explanation: Sendable {
    public var normalizedPath: String?
    public var route: String?
    public var requirement: String?
    public var tokenVerdict: String?
    public var tokenScopes: [String]?
    /// What the token is bound to (RFC 9449 `cnf.jkt`, RFC 8705 `cnf.x5t#S256`), if anything: the
    /// explanation has neither a DPoP proof nor a client certificate, so a bound token is refused.
    public var tokenBinding: String?
    public var status: Int
    public var decision: String
    public var reason: String
    public var upstreamTarget: String?
}

extension PolicyAuthorizer {
    /// Runs the same pipeline as a live request (`authorize`) and reports each step. Waits (blocking,
    /// this is for the CLI) for an unknown-kid JWKS refresh if one is needed.
    public func explain(method: String, target: String, authorization: String?) -> Explanation {
        var head = RequestHead(method: method, target: target, version: .http1_1, headers: [("Host", "explain")])
        if let authorization { head.headers.append("Authorization", authorization) }
        let request = ParsedRequest(head: head, framing: .none, keepAlive: true, expectsContinue: false)
        var e = Explanation(status: 0, decision: "", reason: "")
        if let normalized = try? PathNormalizer.normalize(target) {
            e.normalizedPath = normalized.path
            if case .matched(let index, _) = policy.routes.match(method: method, path: normalized.path) {
                let route = policy.routes.routes[index]
                e.route = "routes[\(route.index)] \((route.methods ?? ["*"]).joined(separator: ",")) \(route.path) -> \(route.upstream)"
                e.requirement = route.isPublic ? "public (no token)" : ScopePolicy.requirementDescription(route)
                if !route.isPublic, case .verify(let token) = policy.credential(routeIndex: index, authorization: head.headers.values("Authorization")) {
                    let box = ResultBox()
                    let check = authenticator.check(token, acceptedIssuers: policy.acceptedIssuers(routeIndex: index)) { box.set($0) } ?? box.wait()
                    switch check {
                    case .verified(let caller):
                        let t = caller.token
                        e.tokenVerdict = "valid (issuer \(t.issuer), kid \(t.keyID ?? "-"), alg \(t.algorithm?.rawValue ?? "-"))"
                        e.tokenScopes = t.scopes
                        if let jkt = caller.dpopThumbprint {
                            e.tokenBinding = "DPoP key \(jkt) (cnf.jkt): every request needs a DPoP proof signed by it"
                        } else if case .bound = caller.certificateBinding {
                            e.tokenBinding = "a client certificate (cnf.x5t#S256): only on a TLS connection that presents it"
                        }
                    case .rejected(let r): e.tokenVerdict = "invalid: \(r.code.rawValue): \(r.description)"
                    case .keysUnavailable: e.tokenVerdict = "cannot check: issuer keys unavailable"
                    case .introspectionUnavailable: e.tokenVerdict = "cannot check: token introspection unavailable"
                    }
                }
            }
        }
        let box = OutcomeBox()
        let outcome = authorize(request, peer: "explain") { box.set($0) } ?? box.wait()
        switch outcome {
        case .forward(let plan):
            e.status = 200
            e.decision = "forward"
            e.reason = "allowed"
            e.upstreamTarget = plan.target
        case .respond(let response):
            e.status = response.status
            e.decision = "deny"
            e.reason = response.code
        }
        return e
    }
}

private final class ResultBox: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var value: TokenCheck?
    func set(_ v: TokenCheck) { value = v; semaphore.signal() }
    func wait() -> TokenCheck { semaphore.wait(); return value! }
}

private final class OutcomeBox: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var value: AuthorizationOutcome?
    func set(_ v: AuthorizationOutcome) { value = v; semaphore.signal() }
    func wait() -> AuthorizationOutcome { semaphore.wait(); return value! }
}
