import XCTest
@testable import JOSE

/// A DPoP client's key is parsed once; only an identical jwk reuses the result.
final class DPoPKeyCacheTests: XCTestCase {
    static let ec = #"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0""#

    private func object(_ text: String) throws -> JSONObject {
        try XCTUnwrap(JSONParser.parse(Array(text.utf8)).objectValue)
    }

    func testTheSameKeyIsParsedOnce() throws {
        let cache = DPoPKeyCache()
        let jwk = try object(Self.ec + "}")
        guard case .success(let first) = cache.key(for: jwk), case .success(let second) = cache.key(for: jwk) else { return XCTFail("usable key refused") }
        XCTAssertEqual(cache.count, 1)
        XCTAssertTrue(first.publicKey === second.publicKey, "the second proof reuses the parsed key")
    }

    /// Private members are not part of the RFC 7638 thumbprint: a jwk with the same public key plus
    /// `d` must still be refused, even after the public one was cached.
    func testPrivateKeyMaterialIsRefusedEvenWhenThePublicKeyIsCached_PrivateKeyInProof() throws {
        let cache = DPoPKeyCache()
        _ = cache.key(for: try object(Self.ec + "}"))
        guard case .failure(let reason) = cache.key(for: try object(Self.ec + #","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#)) else {
            return XCTFail("a jwk with private key material was accepted")
        }
        XCTAssertEqual(reason, .privateKeyMaterial)
        XCTAssertEqual(cache.count, 1, "failures are not cached")
    }

    /// `key_ops` is not part of the thumbprint either: the same key restricted to signing must be
    /// refused for verification even after the unrestricted jwk was cached.
    func testOtherMembersAreJudgedOnTheirOwn_KeyOpsExcludingVerify() throws {
        let cache = DPoPKeyCache()
        guard case .success = cache.key(for: try object(Self.ec + "}")) else { return XCTFail("usable key refused") }
        guard case .failure(let reason) = cache.key(for: try object(Self.ec + #","key_ops":["sign"]}"#)) else {
            return XCTFail("a jwk whose key_ops exclude verify was accepted from the cache")
        }
        XCTAssertEqual(reason, .operationsExcludeVerify)
        guard case .success(let declared) = cache.key(for: try object(Self.ec + #","alg":"ES256"}"#)) else { return XCTFail("usable key refused") }
        XCTAssertEqual(declared.algorithm, .es256)
        XCTAssertEqual(cache.count, 2)
    }

    func testTheCacheIsBounded() throws {
        let cache = DPoPKeyCache(capacity: 2)
        for kid in ["a", "b", "c"] { _ = cache.key(for: try object(Self.ec + #","kid":"\#(kid)"}"#)) }
        XCTAssertLessThanOrEqual(cache.count, 2)
    }
}
