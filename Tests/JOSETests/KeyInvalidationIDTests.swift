import XCTest
import PortcullisCrypto
@testable import JOSE

/// Cache invalidation must reach entries verified with keys that have no `kid`, and with a `kid`
/// that an issuer re-publishes over new key material: both are told apart by the key's fingerprint.
final class KeyInvalidationIDTests: XCTestCase {
    static let ecA = #""kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0""#
    static let edB = #""kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo""#

    func set(_ members: String...) throws -> JWKSet {
        try JWKSet(json: Array(("{\"keys\":[" + members.map { "{\($0)}" }.joined(separator: ",") + "]}").utf8))
    }

    func testKeysWithoutKidStillGetDistinctInvalidationIDs() throws {
        let keys = try set(Self.ecA, Self.edB).keys
        XCTAssertNil(keys[0].keyID)
        XCTAssertNotEqual(keys[0].invalidationID, keys[1].invalidationID)
        XCTAssertTrue(keys[0].invalidationID.hasPrefix("#sha256:"))
        XCTAssertEqual(keys[0].publicKey.fingerprint.count, 64)
        XCTAssertEqual(try set(Self.edB, Self.ecA).invalidationIDs, try set(Self.ecA, Self.edB).invalidationIDs,
                       "the same material gives the same IDs, in any order")
    }

    func testSameKidOverNewMaterialIsADifferentKey() throws {
        let before = try set("\"kid\":\"k1\"," + Self.ecA).keys[0]
        let after = try set("\"kid\":\"k1\"," + Self.edB).keys[0]
        XCTAssertEqual(before.keyID, after.keyID)
        XCTAssertNotEqual(before.invalidationID, after.invalidationID)
        XCTAssertTrue(before.invalidationID.hasPrefix("k1#sha256:"))
    }

    func testRotationInvalidatesAKidlessKeyThatLeftTheSet() throws {
        var state = JWKSCacheState<JWKSet>(policy: JWKSCachePolicy())
        let old = try set(Self.ecA, "\"kid\":\"kept\"," + Self.edB)
        let new = try set("\"kid\":\"kept\"," + Self.edB)
        let first = state.start(now: 0).compactMap { if case .startFetch(let id) = $0 { return id } else { return nil } }
        XCTAssertEqual(first.count, 1)
        _ = state.fetchSucceeded(first[0], keys: old, maxAge: 100, now: 0)
        let next = state.timerFired(now: 85).compactMap { if case .startFetch(let id) = $0 { return id } else { return nil } }
        XCTAssertEqual(next.count, 1)
        let done = state.fetchSucceeded(next[0], keys: new, maxAge: 100, now: 86)
        let invalidated = done.reduce(into: Set<String>()) { if case .invalidateKeyIDs(let ids) = $1 { $0.formUnion(ids) } }
        XCTAssertEqual(invalidated, [old.keys[0].invalidationID], "the kid-less key, and only it")
    }

    func testCacheEntryOfAKidlessKeyIsDroppedWithIt() throws {
        let key = try set(Self.ecA).keys[0]
        let cache = VerifiedTokenCache<String>(configuration: VerifiedTokenCacheConfiguration(maxEntries: 10, shardCount: 1))
        cache.insert("claims", for: TokenDigest(1, 2, 3, 4), keyID: VerificationKey.jwk(key).invalidationID,
                     notAfter: 9_999, now: 0, epoch: cache.epoch)
        XCTAssertEqual(cache.invalidate(keyIDs: [key.invalidationID]), 1)
        XCTAssertNil(cache.value(for: TokenDigest(1, 2, 3, 4), now: 1))
    }
}
