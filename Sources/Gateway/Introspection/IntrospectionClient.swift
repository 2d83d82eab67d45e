import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Why an introspection call produced no answer (503 to the client; never a 401).
enum IntrospectionFailure: Error, Sendable {
    case timeout
    case transport
    case status(Int)
    case tooLarge

    /// The metric label (`result` of `portcullis_introspection_requests_total`).
    var label: String {
        switch self {
        case .timeout: return "timeout"
        case .transport: return "error"
        case .status: return "http_status"
        case .tooLarge: return "error"
        }
    }
}

/// POSTs tokens to one RFC 7662 endpoint through `URLSession`, off the request loops (the pattern of
/// `JWKSDocumentLoader`): `token=…&token_type_hint=access_token`, authenticated with
/// `client_secret_basic` (HTTP Basic over the form-encoded id and secret, RFC 6749 §2.3.1) or
/// `client_secret_post`. TLS is verified by `URLSession`; redirects are refused (`JWKSRedirectGuard`).
/// The secret and the token are never logged.
final class IntrospectionClient: Sendable {
    let endpoint: URL
    let timeout: Double
    private let authorization: String?
    private let bodyCredentials: String
    private let session: URLSession

    init(endpoint: URL, clientID: String, clientSecret: String, postCredentials: Bool, timeout: Double) {
        self.endpoint = endpoint
        self.timeout = timeout
        let id = Self.formEncode(clientID), secret = Self.formEncode(clientSecret)
        if postCredentials {
            authorization = nil
            bodyCredentials = "&client_id=\(id)&client_secret=\(secret)"
        } else {
            authorization = "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
            bodyCredentials = ""
        }
        session = .controlPlane(timeout: timeout)
    }

    deinit { session.invalidateAndCancel() }

    /// Asks about `token`; `completion` runs exactly once, on a URLSession thread.
    func introspect(_ token: String, completion: @escaping @Sendable (Result<[UInt8], IntrospectionFailure>) -> Void) {
        var request = URLRequest(url: endpoint, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        request.httpBody = Data("token=\(Self.formEncode(token))&token_type_hint=access_token\(bodyCredentials)".utf8)
        session.dataTask(with: request) { data, response, error in
            if let error {
                completion(.failure((error as NSError).code == NSURLErrorTimedOut ? .timeout : .transport))
                return
            }
            guard let http = response as? HTTPURLResponse else { completion(.failure(.transport)); return }
            guard http.statusCode == 200 else { completion(.failure(.status(http.statusCode))); return }
            let body = data ?? Data()
            guard body.count <= IntrospectionAnswer.maxBodyBytes else { completion(.failure(.tooLarge)); return }
            completion(.success([UInt8](body)))
        }.resume()
    }

    /// `application/x-www-form-urlencoded` value encoding: unreserved characters kept, the rest `%XX`.
    static func formEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return out
    }
}
