import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Security invariant: a JWKS or discovery fetch that started on https never follows a
/// redirect to anything but https (no downgrade of where our trust anchors come from).
final class JWKSRedirectGuard: NSObject, URLSessionTaskDelegate, Sendable {
    /// Whether a redirect from `original` to `target` may be followed.
    static func allows(from original: URL?, to target: URL?) -> Bool {
        guard let scheme = target?.scheme?.lowercased(), scheme == "https" || scheme == "http" else { return false }
        if original?.scheme?.lowercased() == "https" { return scheme == "https" }
        return true
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        let original = task.originalRequest?.url
        completionHandler(Self.allows(from: original, to: request.url) ? request : nil)
    }
}

extension URLSession {
    /// The session every outbound control-plane fetch uses (JWKS, discovery, introspection): no
    /// cache, no cookies, one timeout for the whole exchange, and redirects only as
    /// `JWKSRedirectGuard` allows (never https -> http).
    static func controlPlane(timeout: Double) -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        return URLSession(configuration: configuration, delegate: JWKSRedirectGuard(), delegateQueue: nil)
    }
}
