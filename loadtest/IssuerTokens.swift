import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LoadtestCore
import PortcullisCrypto

/// Fetches access tokens from an OAuth 2.0 token endpoint by `client_credentials` (client_secret_post),
/// once, before the run; blocking is fine here. The secret and the tokens are never printed.
enum IssuerTokens {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The token endpoint: the URL itself if its path ends in `/token`, else `<URL>/oauth/token`
    /// (the dev issuer's endpoint).
    static func endpoint(_ url: TargetURL) -> String {
        if url.path.hasSuffix("/token") { return url.description }
        var base = url.description
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/oauth/token"
    }

    /// `count` tokens with `scope`; with `dpop`, each request carries a proof of that key, so the
    /// issuer binds the tokens to it (RFC 9449 §5).
    static func fetch(_ request: IssuerTokenRequest, scope: String, count: Int, dpop: DPoPProofSigner? = nil) throws -> [[UInt8]] {
        guard let url = URL(string: endpoint(request.url)) else { throw Failure(description: "bad issuer URL") }
        var tokens: [[UInt8]] = []
        for _ in 0..<count {
            let proof = try dpop?.proof(method: "POST", url: url.absoluteString, accessToken: nil, now: Int64(Date().timeIntervalSince1970))
            tokens.append(try fetchOne(url, request, scope: scope, proof: proof))
        }
        return tokens
    }

    /// `count` already-expired tokens from the Portcullis development issuer's `POST /admin/mint`
    /// (same client authentication as the token endpoint, `expires_in` = -3600).
    static func fetchExpired(_ request: IssuerTokenRequest, scope: String, count: Int) throws -> [[UInt8]] {
        var base = endpoint(request.url)
        if base.hasSuffix("/oauth/token") { base.removeLast("/oauth/token".count) }
        guard let url = URL(string: base + "/admin/mint") else { throw Failure(description: "bad issuer URL") }
        var tokens: [[UInt8]] = []
        for _ in 0..<count { tokens.append(try fetchOne(url, request, scope: scope, extra: ["expires_in": "-3600"])) }
        return tokens
    }

    private static func formEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    private final class Box: @unchecked Sendable {
        var data: Data?
        var status = 0
        var error: String?
    }

    private static func fetchOne(_ url: URL, _ request: IssuerTokenRequest, scope: String, extra: [String: String] = [:],
                                 proof: String? = nil) throws -> [UInt8] {
        var http = URLRequest(url: url)
        http.httpMethod = "POST"
        if let proof { http.setValue(proof, forHTTPHeaderField: "DPoP") }
        http.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let form = ["grant_type": "client_credentials", "client_id": request.clientID,
                    "client_secret": request.clientSecret, "scope": scope].merging(extra) { a, _ in a }
        http.httpBody = Data(form.map { "\($0.key)=\(formEncode($0.value))" }.sorted().joined(separator: "&").utf8)
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: http) { data, response, error in
            box.data = data
            box.status = (response as? HTTPURLResponse)?.statusCode ?? 0
            box.error = error.map { "\($0.localizedDescription)" }
            done.signal()
        }.resume()
        done.wait()
        if let error = box.error { throw Failure(description: "token request to \(url) failed: \(error)") }
        guard box.status == 200, let data = box.data,
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let token = object["access_token"] as? String else {
            throw Failure(description: "token request to \(url) answered \(box.status) without an access_token (check --client-id, --client-secret and --scope)")
        }
        return Array(token.utf8)
    }
}
