import XCTest
@testable import Gateway

final class JWKSCacheControlTests: XCTestCase {
    func testReadsMaxAge() {
        XCTAssertEqual(JWKSCacheControl.maxAge("max-age=300"), 300)
        XCTAssertEqual(JWKSCacheControl.maxAge("public, Max-Age=600 , must-revalidate"), 600)
        XCTAssertEqual(JWKSCacheControl.maxAge("max-age=\"120\""), 120)
    }

    func testAbsentOrMalformedMaxAgeGrantsNothing() {
        XCTAssertNil(JWKSCacheControl.maxAge(nil))
        XCTAssertNil(JWKSCacheControl.maxAge("public"))
        XCTAssertNil(JWKSCacheControl.maxAge("max-age=abc"))
        XCTAssertNil(JWKSCacheControl.maxAge("max-age=-5"))
        XCTAssertNil(JWKSCacheControl.maxAge("max-age="))
        XCTAssertNil(JWKSCacheControl.maxAge("max-age=99999999999"))
        XCTAssertNil(JWKSCacheControl.maxAge("max-age=10, max-age=20"), "conflicting directives")
    }

    func testNoCacheCountsAsZero() {
        XCTAssertEqual(JWKSCacheControl.maxAge("no-cache"), 0)
        XCTAssertEqual(JWKSCacheControl.maxAge("max-age=600, no-store"), 0)
    }

    func testDiscoveryDocumentChecks() {
        let ok = Array("{\"issuer\":\"https://a.example\",\"jwks_uri\":\"https://a.example/k\"}".utf8)
        XCTAssertEqual(try? JWKSDocumentLoader.jwksURI(in: ok, issuer: "https://a.example").get().absoluteString,
                       "https://a.example/k")
        let downgrade = Array("{\"issuer\":\"https://a.example\",\"jwks_uri\":\"http://a.example/k\"}".utf8)
        XCTAssertNil(try? JWKSDocumentLoader.jwksURI(in: downgrade, issuer: "https://a.example").get())
        XCTAssertNil(try? JWKSDocumentLoader.jwksURI(in: ok, issuer: "https://b.example").get())
        XCTAssertNil(try? JWKSDocumentLoader.jwksURI(in: Array("[]".utf8), issuer: "https://a.example").get())
    }

    func testRedirectGuardRefusesDowngrade() {
        let https = URL(string: "https://a.example/jwks")
        XCTAssertTrue(JWKSRedirectGuard.allows(from: https, to: URL(string: "https://cdn.example/jwks")))
        XCTAssertFalse(JWKSRedirectGuard.allows(from: https, to: URL(string: "http://a.example/jwks")))
        XCTAssertFalse(JWKSRedirectGuard.allows(from: https, to: URL(string: "file:///etc/passwd")))
        XCTAssertTrue(JWKSRedirectGuard.allows(from: URL(string: "http://a.example/jwks"), to: URL(string: "http://b.example/k")))
    }
}
