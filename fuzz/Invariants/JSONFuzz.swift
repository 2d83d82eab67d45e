import JOSE

/// `json`: bytes through the one JSON parser (tokens, JWKS, configuration, dev issuer bodies).
///
/// Invariants: an accepted document serializes to text that parses back to an equal value and
/// whose serialization is a fixed point; an accepted document is accepted with a larger depth
/// limit too (with the same value); a rejection's offset lies within the input; the lazy claims
/// reader (`ClaimSet.read`, how token payloads are read) rejects exactly what the parser rejects,
/// with the same error, and reads every member of an accepted object as the parser does.
enum JSONFuzz {
    static func run(_ bytes: [UInt8]) {
        let parsed: JSONValue
        do throws(JSONParseError) {
            parsed = try JSONParser.parse(bytes)
        } catch {
            FuzzCheck.require(error.offset >= 0 && error.offset <= bytes.count, "error offset \(error.offset) outside \(bytes.count) bytes")
            do throws(JSONParseError) {
                _ = try ClaimSet.read(bytes)
                FuzzCheck.require(false, "claims reader accepts what the parser rejects (\(error.reason.rawValue))")
            } catch let lazy {
                FuzzCheck.require(lazy == error, "claims reader fails with \(lazy), the parser with \(error)")
            }
            return
        }
        checkClaims(bytes, parsed)
        FuzzCheck.require((try? JSONParser.parse(bytes, maxDepth: 64)) == parsed, "a larger depth limit reads differently")
        let text = parsed.serialized()
        guard let again = try? JSONParser.parse(text) else {
            return FuzzCheck.require(false, "serialized form rejected: \(String(decoding: text, as: UTF8.self))")
        }
        FuzzCheck.require(again == parsed, "serialized form reads differently")
        FuzzCheck.require(again.serialized() == text, "serialization is not a fixed point")
    }

    /// The lazy claims reader against the parser's value of the same accepted document.
    private static func checkClaims(_ bytes: [UInt8], _ parsed: JSONValue) {
        let claims: ClaimSet?
        do throws(JSONParseError) { claims = try ClaimSet.read(bytes) } catch {
            return FuzzCheck.require(false, "claims reader rejects what the parser accepts (\(error.reason.rawValue))")
        }
        guard let object = parsed.objectValue else { return FuzzCheck.require(claims == nil, "claims read from a non-object") }
        guard let claims else { return FuzzCheck.require(false, "claims reader finds no object") }
        FuzzCheck.require(claims.count == object.count, "claims count \(claims.count) != \(object.count)")
        for (name, value) in object { FuzzCheck.require(claims[name] == value, "claim \(name.debugDescription) reads differently") }
        FuzzCheck.require(claims.object.names == object.names, "claims materialize in another order")
    }
}
