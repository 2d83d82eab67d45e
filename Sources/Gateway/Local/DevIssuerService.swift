import DevIssuer
import HTTP1
import IO

/// Serves the development authorization server through `LocalServer`.
/// Adds one development-only route: `POST /admin/rotate-keys` (loopback only, like the whole issuer)
/// rotates the signing keys at once, for rotation demos and tests.
public struct DevIssuerService: LocalService {
    public let issuer: DevIssuer
    let clock: any Clock

    public init(issuer: DevIssuer, clock: any Clock = MonotonicClock()) {
        self.issuer = issuer
        self.clock = clock
    }

    public func handle(_ request: LocalRequest) -> LocalResponse {
        let now = clock.unixSeconds()
        if request.method == "POST" && request.path == "/admin/rotate-keys" {
            do {
                try issuer.rotateKeys(now: now)
                var h = HTTPHeaders()
                h.append("Content-Type", "application/json")
                return LocalResponse(status: 200, headers: h, body: Array(#"{"rotated":true}"#.utf8))
            } catch {
                return .error(500, error: "server_error", description: "key rotation failed", code: "dev_issuer_rotation_failed")
            }
        }
        let dev = DevRequest(method: request.method, path: request.path, query: request.query,
                             headers: request.headers.fields.map { (name: $0.name, value: $0.value) }, body: request.body)
        let answer = issuer.handle(dev, now: now)
        var h = HTTPHeaders()
        for (n, v) in answer.headers { h.append(n, v) }
        return LocalResponse(status: answer.status, headers: h, body: answer.body)
    }
}
