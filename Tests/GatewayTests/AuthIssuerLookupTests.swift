import XCTest
@testable import Gateway
import IO
import JOSE
import PortcullisCrypto
import TextCoding

/// The authenticator finds a token's issuer by the exact bytes of `iss`: in place for a few issuers,
/// through the name table for more; both give the same answers.
final class AuthIssuerLookupTests: XCTestCase {
    private let now = MonotonicClock().unixSeconds()
    private let secret = Array("a shared secret of at least 32 bytes!".utf8)

    private func authenticator(issuers count: Int) throws -> TokenAuthenticator {
        let runtimes = try (0..<count).map { i in
            TrustedIssuerRuntime(configuration: try IssuerConfiguration(issuer: "https://issuer-\(i).test", audiences: ["api"],
                                                                         allowedAlgorithms: [.hs256], sharedSecret: secret),
                                 keys: nil)
        }
        return TokenAuthenticator(issuers: runtimes, cache: VerifiedTokenCache<VerifiedCaller>())
    }

    private func token(iss: String) -> Substring {
        let claims = "{\"iss\":\"\(iss)\",\"aud\":\"api\",\"sub\":\"u\",\"exp\":\(now + 600)}"
        let input = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        let tag = secret.withUnsafeBytes { key in Array(input.utf8).withUnsafeBytes { HMAC.authenticationCode(.sha256, key: key, message: $0) } }
        return Substring(input + "." + Base64URL.encode(tag))
    }

    private func outcome(_ auth: TokenAuthenticator, _ token: Substring) -> String {
        switch auth.check(token, completion: { _ in }) {
        case .verified(let caller)?: return caller.token.issuer
        case .rejected(let rejection)?: return rejection.code.rawValue
        default: return "other"
        }
    }

    func testIssuerFoundByExactBytesInPlaceAndByTable() throws {
        for count in [1, TokenAuthenticator.linearIssuerLookup, TokenAuthenticator.linearIssuerLookup + 2] {
            let auth = try authenticator(issuers: count)
            XCTAssertEqual(outcome(auth, token(iss: "https://issuer-0.test")), "https://issuer-0.test", "\(count) issuers")
            XCTAssertEqual(outcome(auth, token(iss: "https://issuer-\(count - 1).test")), "https://issuer-\(count - 1).test", "\(count) issuers")
            XCTAssertEqual(outcome(auth, token(iss: #"https:\/\/issuer-0.test"#)), "https://issuer-0.test", "escaped iss, \(count) issuers")
        }
    }

    func testLookalikeIssuerIsUntrusted() throws {
        for count in [1, TokenAuthenticator.linearIssuerLookup + 2] {
            let auth = try authenticator(issuers: count)
            XCTAssertEqual(outcome(auth, token(iss: "https://issuer-0.test/")), "unknown_issuer", "\(count) issuers")
            XCTAssertEqual(outcome(auth, token(iss: "https://ISSUER-0.test")), "unknown_issuer", "\(count) issuers")
            XCTAssertEqual(outcome(auth, token(iss: "https://issuer-\(count).test")), "unknown_issuer", "\(count) issuers")
        }
    }
}
