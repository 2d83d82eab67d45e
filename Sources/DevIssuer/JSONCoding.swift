import Foundation
import JOSE

/// JSON output for responses and token segments via Foundation's `JSONSerialization` (not on
/// the gateway hot path; keys sorted so output is deterministic). Input is read by JOSE's
/// `JSONParser`, the one parser.
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

    /// A parsed JSON value as the Foundation value `encode` writes back (integral numbers as `Int`).
    static func foundationValue(_ value: JSONValue) -> Any {
        switch value {
        case .null: return NSNull()
        case .bool(let flag): return flag
        case .number(let number):
            if let integer = Int(exactly: number) { return integer }
            return number
        case .string(let text): return text
        case .array(let items): return items.map(foundationValue)
        case .object(let members):
            var out: [String: Any] = [:]
            for (name, member) in members { out[name] = foundationValue(member) }
            return out
        }
    }
}
