/// The usable verification keys of one issuer, parsed from a JWKS document (RFC 7517 §5).
///
/// A malformed or unusable member is skipped and recorded in `skipped` without failing the
/// set (one bad key at the issuer must not take every other key down); a set with zero usable
/// keys is still a valid, empty set. Only a document that is not a JSON object with a `keys`
/// array fails as a whole (`JWKSetParseError`), so a fetcher can keep its last good set.
public struct JWKSet: Sendable {
    /// One member that was not used, with its position and `kid` (if it had a string one).
    public struct SkippedKey: Sendable, Equatable {
        public let index: Int
        public let keyID: String?
        public let reason: JWK.SkipReason
    }

    /// Usable keys, in document order.
    public let keys: [JWK]
    /// Members that were not used, and why.
    public let skipped: [SkippedKey]

    /// A set from already-built keys.
    public init(keys: [JWK], skipped: [SkippedKey] = []) {
        self.keys = keys
        self.skipped = skipped
    }

    /// Parses a JWKS document.
    public init(json bytes: UnsafeRawBufferPointer, maxDepth: Int = JSONParser.defaultMaxDepth) throws(JWKSetParseError) {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes, maxDepth: maxDepth)
        } catch {
            throw JWKSetParseError(reason: .invalidJSON, detail: error.reason.rawValue)
        }
        try self.init(document: document)
    }

    /// Builds the set from an already parsed JWKS document (an inline `jwks` in configuration).
    public init(document: JSONValue) throws(JWKSetParseError) {
        guard case .object(let top) = document else {
            throw JWKSetParseError(reason: .notAnObject, detail: "document is not a JSON object")
        }
        guard let members = top["keys"]?.arrayValue else {
            throw JWKSetParseError(reason: .missingKeys, detail: "no \"keys\" array")
        }
        var keys: [JWK] = []
        var skipped: [SkippedKey] = []
        for (index, member) in members.enumerated() {
            switch JWK.parse(member) {
            case .success(let key):
                keys.append(key)
            case .failure(let reason):
                skipped.append(SkippedKey(index: index, keyID: member["kid"]?.stringValue, reason: reason))
            }
        }
        self.init(keys: keys, skipped: skipped)
    }

    /// Parses a JWKS document from a byte array.
    public init(json bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) throws(JWKSetParseError) {
        let result: Result<JWKSet, JWKSetParseError> = bytes.withUnsafeBytes { buf in
            do throws(JWKSetParseError) { return .success(try JWKSet(json: buf, maxDepth: maxDepth)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// Every `kid` in the set.
    public var keyIDs: Set<String> {
        Set(keys.compactMap(\.keyID))
    }
}

extension JWKSet: JWKSKeySet {
    public func hasKey(id: String) -> Bool { keys.contains { $0.keyID?.hasSameBytes(as: id) ?? false } }
    public var keyCount: Int { keys.count }
    /// One `JWK.invalidationID` per key, with or without a `kid` (what rotation invalidates).
    public var invalidationIDs: Set<String> { Set(keys.map(\.invalidationID)) }
}

/// A JWKS document that could not be used at all (as opposed to single skipped keys).
public struct JWKSetParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable cause.
    public enum Reason: String, Sendable {
        case invalidJSON = "invalid_json"
        case notAnObject = "not_an_object"
        case missingKeys = "missing_keys"
    }

    public let reason: Reason
    /// Safe detail (a parser reason, never document content).
    public let detail: String

    public var description: String { "JWKS document unusable: \(reason.rawValue) (\(detail))" }
}
