import Foundation

/// JSON for responses and token segments via Foundation's `JSONSerialization` (not on the
/// gateway hot path). Keys are sorted so output is deterministic.
enum JSONCoding {
    /// Encodes a JSON object (values: String, Int, Int64, Bool, [String], nested objects).
    static func encode(_ object: [String: Any]) -> [UInt8] {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else {
            // Only reachable with a non-JSON value, i.e. a programming error in this module.
            preconditionFailure("JSONCoding.encode: value is not JSON-serializable")
        }
        return [UInt8](data)
    }

    /// Decodes bytes that must hold a JSON object; nil otherwise.
    static func decodeObject(_ bytes: [UInt8]) -> [String: Any]? {
        guard !bytes.isEmpty,
              let value = try? JSONSerialization.jsonObject(with: Data(bytes), options: []) else { return nil }
        return value as? [String: Any]
    }

    /// An integer member; nil when absent or not a number. Only used on claims of tokens whose
    /// signature this issuer has already verified (it wrote them as integers).
    static func integer(_ value: Any?) -> Int64? {
        (value as? Int).map(Int64.init)
    }
}
