import JOSE

/// `json`: bytes through the one JSON parser (tokens, JWKS, configuration, dev issuer bodies).
///
/// Invariants: an accepted document serializes to text that parses back to an equal value and
/// whose serialization is a fixed point; an accepted document is accepted with a larger depth
/// limit too (with the same value); a rejection's offset lies within the input.
enum JSONFuzz {
    static func run(_ bytes: [UInt8]) {
        let parsed: JSONValue
        do throws(JSONParseError) {
            parsed = try JSONParser.parse(bytes)
        } catch {
            FuzzCheck.require(error.offset >= 0 && error.offset <= bytes.count, "error offset \(error.offset) outside \(bytes.count) bytes")
            return
        }
        FuzzCheck.require((try? JSONParser.parse(bytes, maxDepth: 64)) == parsed, "a larger depth limit reads differently")
        let text = parsed.serialized()
        guard let again = try? JSONParser.parse(text) else {
            return FuzzCheck.require(false, "serialized form rejected: \(String(decoding: text, as: UTF8.self))")
        }
        FuzzCheck.require(again == parsed, "serialized form reads differently")
        FuzzCheck.require(again.serialized() == text, "serialization is not a fixed point")
    }
}
