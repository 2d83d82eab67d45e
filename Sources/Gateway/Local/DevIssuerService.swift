import DevIssuer
import HTTP1
import IO
import JOSE

/// Serves the development authorization server through `LocalServer`.
/// Adds two development-only routes (loopback only, like the whole issuer):
/// - `POST /admin/rotate-keys` rotates the signing keys at once, for rotation demos and tests;
/// - `POST /admin/mint` (form: the `client_credentials` parameters plus `expires_in` seconds, which may
///   be negative) returns `{"access_token": ...}` for an already expired or short-lived token, so
///   `loadtest` can put expired tokens in its mix. The client is authenticated exactly like
///   `POST /oauth/token` (the grant is run first), so it mints nothing a client could not get anyway
///   apart from the lifetime.
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
        if request.method == "POST" && request.path == "/admin/mint" { return mint(request, now: now) }
        let dev = DevRequest(method: request.method, path: request.path, query: request.query,
                             headers: request.headers.fields.map { (name: $0.name, value: $0.value) }, body: request.body)
        let answer = issuer.handle(dev, now: now)
        var h = HTTPHeaders()
        for (n, v) in answer.headers { h.append(n, v) }
        return LocalResponse(status: answer.status, headers: h, body: answer.body)
    }

    private func mint(_ request: LocalRequest, now: Int64) -> LocalResponse {
        let form = String(decoding: request.body, as: UTF8.self)
        var expiresIn: Int64?
        var grantParameters: [String] = []
        for pair in form.split(separator: "&") {
            if pair.hasPrefix("expires_in=") { expiresIn = Int64(pair.dropFirst("expires_in=".count)) }
            else { grantParameters.append(String(pair)) }
        }
        guard let expiresIn, (-86_400...86_400).contains(expiresIn) else {
            return .error(400, error: "invalid_request", description: "expires_in (seconds, -86400...86400) is required", code: "dev_mint_bad_request")
        }
        var headers = request.headers.fields.map { (name: $0.name, value: $0.value) }
        headers.removeAll { $0.name.lowercased() == "content-length" }
        let grant = issuer.handle(DevRequest(method: "POST", path: "/oauth/token", query: "", headers: headers,
                                             body: Array(grantParameters.joined(separator: "&").utf8)), now: now)
        guard grant.status == 200,
              let object = try? JSONParser.parse(grant.body), case .object(let members) = object,
              let clientID = members["client_id"]?.stringValue ?? Self.formValue("client_id", in: grantParameters),
              let scope = members["scope"]?.stringValue else {
            var h = HTTPHeaders()
            for (n, v) in grant.headers { h.append(n, v) }
            return LocalResponse(status: grant.status == 200 ? 500 : grant.status, headers: h, body: grant.body)
        }
        do {
            let scopes = scope.split(separator: " ").map(String.init)
            let token = try issuer.mintAccessToken(clientID: clientID, subject: clientID, scopes: scopes, now: now, expiresIn: expiresIn)
            var h = HTTPHeaders()
            h.append("Content-Type", "application/json")
            h.append("Cache-Control", "no-store")
            return LocalResponse(status: 200, headers: h, body: Array("{\"access_token\":\"\(token)\",\"expires_in\":\(expiresIn)}".utf8))
        } catch {
            return .error(500, error: "server_error", description: "minting failed", code: "dev_mint_failed")
        }
    }

    private static func formValue(_ name: String, in pairs: [String]) -> String? {
        pairs.first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)).removingPercentEncodingLite }
    }
}

private extension String {
    /// `%XX` and `+` decoding for form values (client ids are plain ASCII in practice).
    var removingPercentEncodingLite: String {
        var out: [UInt8] = []
        var bytes = Array(utf8)[...]
        while let b = bytes.popFirst() {
            if b == UInt8(ascii: "+") { out.append(0x20) }
            else if b == UInt8(ascii: "%"), bytes.count >= 2, let v = UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) {
                out.append(v); bytes = bytes.dropFirst(2)
            } else { out.append(b) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
