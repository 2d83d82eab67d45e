import JOSE

/// `jwks`: a JWKS document through `JWKSet(json:)` (every JWK through `JWK.parse`).
///
/// Invariants: usable plus skipped keys account for every member of `keys`, skipped indices are
/// in range and increasing; a key with its own `alg` fits it; the set built from the document
/// re-serialized (`JSONValue.serialized`) has the same keys, in order, and the same skips.
enum JWKSFuzz {
    static func run(_ bytes: [UInt8]) {
        guard let set = try? JWKSet(json: bytes) else { return }
        let document = try? JSONParser.parse(bytes)
        let members = document?["keys"]?.arrayValue
        FuzzCheck.require(members != nil, "a set without a keys array")
        guard let members else { return }
        FuzzCheck.require(set.keys.count + set.skipped.count == members.count, "members lost: \(set.keys.count) + \(set.skipped.count) of \(members.count)")
        FuzzCheck.require(zip(set.skipped, set.skipped.dropFirst()).allSatisfy { $0.index < $1.index }
                          && set.skipped.allSatisfy { $0.index >= 0 && $0.index < members.count }, "skipped indices out of order")
        for key in set.keys {
            if let alg = key.algorithm { FuzzCheck.require(key.fits(alg), "key does not fit its own alg \(alg)") }
            FuzzCheck.require(!key.invalidationID.isEmpty, "empty invalidation id")
        }
        guard let again = try? JWKSet(json: document!.serialized()) else {
            return FuzzCheck.require(false, "re-serialized document rejected")
        }
        FuzzCheck.require(again.keys.map(\.invalidationID) == set.keys.map(\.invalidationID) && again.skipped == set.skipped,
                          "re-serialized document reads differently")
    }
}
