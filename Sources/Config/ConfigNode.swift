import JOSE

/// A JSON value together with its path in the document; typed accessors throw ``ConfigError``s
/// that name that path.
struct ConfigNode {
    let value: JSONValue
    /// Path such as `routes[2].upstream`; empty for the root.
    let path: String

    /// The path as printed in messages (`(root)` for the document).
    var displayPath: String { path.isEmpty ? "(root)" : path }

    func error(_ message: String) -> ConfigError { ConfigError(path: displayPath, message: message) }

    private func typeError(_ expected: String) -> ConfigError {
        error("expected \(expected), got \(typeName)")
    }

    /// Name of the JSON type, for messages.
    private var typeName: String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Path of member `key` (`a.key`, or `a["key"]` when the key is not a simple name).
    func childPath(_ key: String) -> String {
        let simple = !key.isEmpty && key.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F || $0 == 0x2D
        }
        if simple { return path.isEmpty ? key : path + "." + key }
        var quoted = "\""
        for c in key.unicodeScalars {
            switch c {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case _ where c.value < 0x20: quoted += "?"
            default: quoted.unicodeScalars.append(c)
            }
        }
        return path + "[" + quoted + "\"]"
    }

    func object(allowing keys: [String]) throws(ConfigError) -> ConfigObject {
        guard case .object(let members) = value else { throw typeError("an object") }
        return try ConfigObject(node: self, members: members, allowed: keys)
    }

    /// An object whose keys are free-form names (upstream names, aliases, header names), in file
    /// order. (Duplicate keys never get here: the parser rejects them.)
    func map() throws(ConfigError) -> [(key: String, node: ConfigNode)] {
        guard case .object(let members) = value else { throw typeError("an object") }
        return members.map { ($0.name, ConfigNode(value: $0.value, path: childPath($0.name))) }
    }

    func array(nonEmpty: Bool = false) throws(ConfigError) -> [ConfigNode] {
        guard case .array(let items) = value else { throw typeError("an array") }
        if nonEmpty && items.isEmpty { throw error("must not be empty") }
        return items.enumerated().map { ConfigNode(value: $1, path: "\(path)[\($0)]") }
    }

    func string(nonEmpty: Bool = true) throws(ConfigError) -> String {
        guard case .string(let text) = value else { throw typeError("a string") }
        if nonEmpty && text.isEmpty { throw error("must not be empty") }
        return text
    }

    func bool() throws(ConfigError) -> Bool {
        guard case .bool(let flag) = value else { throw typeError("true or false") }
        return flag
    }

    /// An integral number within `range` (`1.5` is an error; the parser reads numbers as `Double`,
    /// exact for every integer up to 2^53, far beyond any limit here).
    func int(_ range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard case .number(let real) = value else { throw typeError("an integer") }
        guard real == real.rounded(.towardZero) else { throw error("expected an integer, got \(real)") }
        guard let number = Int(exactly: real) else {
            throw error("\(real) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        guard range.contains(number) else {
            if range.lowerBound == 1 && number <= 0 { throw error("must be greater than 0, got \(number)") }
            throw error("\(number) is out of range \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    /// An array of strings, unique, each non-empty.
    func strings(nonEmpty: Bool) throws(ConfigError) -> [String] {
        var result: [String] = []
        for item in try array(nonEmpty: nonEmpty) {
            let text = try item.string()
            if result.contains(text) { throw item.error("duplicate value \"\(text)\"") }
            result.append(text)
        }
        return result
    }
}

/// An object whose keys were checked against an allow-list (unknown and duplicate keys are errors).
struct ConfigObject {
    let node: ConfigNode
    private let members: [String: JSONValue]

    init(node: ConfigNode, members: JSONObject, allowed: [String]) throws(ConfigError) {
        self.node = node
        var map: [String: JSONValue] = [:]
        for (key, value) in members {
            guard allowed.contains(key) else {
                var message = "unknown key"
                if let guess = Self.closest(key, in: allowed) { message += " (did you mean \"\(guess)\"?)" }
                throw ConfigError(path: node.childPath(key), message: message)
            }
            map[key] = value
        }
        self.members = map
    }

    func has(_ key: String) -> Bool { members[key] != nil }

    /// The member, or `nil` when absent. An explicit `null` counts as absent.
    func optional(_ key: String) -> ConfigNode? {
        guard let value = members[key], value != .null else { return nil }
        return ConfigNode(value: value, path: node.childPath(key))
    }

    func required(_ key: String) throws(ConfigError) -> ConfigNode {
        guard let child = optional(key) else { throw node.error("missing required key \"\(key)\"") }
        return child
    }

    /// A child node for messages about `key` (present or not).
    func path(_ key: String) -> String { node.childPath(key) }

    /// Suggests a known key for a typo: case-insensitive match, or edit distance <= 2.
    private static func closest(_ key: String, in allowed: [String]) -> String? {
        if let same = allowed.first(where: { $0.lowercased() == key.lowercased() }) { return same }
        let scored = allowed.map { ($0, distance(Array(key.utf8), Array($0.utf8))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    private static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var row = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
