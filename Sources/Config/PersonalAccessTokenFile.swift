import FoundationEssentials
import JOSE

/// One personal access token as stored on disk: only the SHA-256 of the token, never the token.
public struct PersonalAccessTokenEntry: Sendable, Equatable {
    /// Unique name (`name`); the caller's `client_id`.
    public var name: String
    /// SHA-256 of the token's bytes (`sha256`, 64 hex digits), 32 bytes.
    public var sha256: [UInt8]
    /// The person the token acts for (`subject`); the caller's `sub`.
    public var subject: String
    /// Granted scopes (`scopes`).
    public var scopes: [String]
    /// Expiry in seconds since the epoch (`expires_at`, RFC 3339, optional: absent = no expiry).
    public var expiresAt: Int64?

    /// Creates an entry.
    public init(name: String, sha256: [UInt8], subject: String, scopes: [String], expiresAt: Int64? = nil) {
        self.name = name
        self.sha256 = sha256
        self.subject = subject
        self.scopes = scopes
        self.expiresAt = expiresAt
    }
}

/// `personal_access_tokens`: where the token table lives. The file is read (and fully validated)
/// when the configuration is loaded — so `portcullis check` validates it — and again on reload.
public struct PersonalAccessTokenSettings: Sendable, Equatable {
    /// The table's file, absolute (`file`, resolved against the config's directory).
    public var file: String
    /// The entries read at load time.
    public var tokens: [PersonalAccessTokenEntry]

    /// Creates settings.
    public init(file: String, tokens: [PersonalAccessTokenEntry]) {
        self.file = file
        self.tokens = tokens
    }

    /// The issuer name route `issuers` lists use to allow (or, by omission, exclude) these tokens.
    public static let issuerName = "personal_access_tokens"
}

/// Reads and validates the personal access token file:
/// `{"tokens": [{"name": "ci-deploy", "sha256": "<hex>", "subject": "user-42", "scopes": ["read:port_calls"],
/// "expires_at": "2027-01-01T00:00:00Z"}]}`. Unknown keys, duplicate names or hashes, a hash that is
/// not 64 hex digits and a malformed date are errors naming the entry.
public enum PersonalAccessTokenFile {
    /// The entries of the file at `path` (absolute).
    public static func load(path: String) throws(ConfigError) -> [PersonalAccessTokenEntry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(path: path, message: "cannot read the personal access token file")
        }
        return try parse(bytes: [UInt8](data), path: path)
    }

    /// The entries of file content `bytes`; errors are prefixed with `path`.
    public static func parse(bytes: [UInt8], path: String) throws(ConfigError) -> [PersonalAccessTokenEntry] {
        let value: JSONValue
        do throws(ConfigError) { value = try ConfigLoader.document(bytes) } catch { throw ConfigError(path: path, message: error.description) }
        let root = ConfigNode(value: value, path: "")
        let loader = Loader(baseDirectory: "/", environment: [:])
        var entries: [PersonalAccessTokenEntry] = []
        do throws(ConfigError) {
            for item in try root.object(allowing: ["tokens"]).required("tokens").array() {
                let entry = try loader.personalAccessToken(item)
                if entries.contains(where: { $0.name == entry.name }) { throw item.error("duplicate name \"\(entry.name)\"") }
                if entries.contains(where: { $0.sha256 == entry.sha256 }) { throw item.error("duplicate sha256") }
                entries.append(entry)
            }
        } catch {
            throw ConfigError(path: path, message: error.description)
        }
        return entries
    }
}

extension Loader {
    /// `personal_access_tokens`: `{"file": "pats.json"}`.
    func personalAccessTokens(_ node: ConfigNode) throws(ConfigError) -> PersonalAccessTokenSettings {
        let object = try node.object(allowing: ["file"])
        let fileNode = try object.required("file")
        let file = resolve(try fileNode.string())
        do {
            return PersonalAccessTokenSettings(file: file, tokens: try PersonalAccessTokenFile.load(path: file))
        } catch {
            throw fileNode.error(error.description)
        }
    }

    func personalAccessToken(_ node: ConfigNode) throws(ConfigError) -> PersonalAccessTokenEntry {
        let object = try node.object(allowing: ["name", "sha256", "subject", "scopes", "expires_at"])
        let name = try object.required("name").string()
        guard name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw object.node.error("name must be visible ASCII") }
        let hashNode = try object.required("sha256")
        guard let hash = Self.hexBytes(try hashNode.string()), hash.count == 32 else {
            throw hashNode.error("expected the SHA-256 of the token as 64 hex digits")
        }
        let subject = try object.required("subject").string()
        guard subject.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw object.node.error("subject must be printable ASCII") }
        let scopes = try scopeList(try object.required("scopes"), nonEmpty: false)
        var expiresAt: Int64?
        if let n = object.optional("expires_at") {
            let text = try n.string()
            guard let seconds = Timestamp.parseRFC3339(text) else { throw n.error("expected an RFC 3339 date-time such as 2027-01-01T00:00:00Z") }
            expiresAt = seconds
        }
        return PersonalAccessTokenEntry(name: name, sha256: hash, subject: subject, scopes: scopes, expiresAt: expiresAt)
    }

    /// Bytes of a hex string (either case), `nil` for an odd length or a non-hex digit.
    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ d: UInt8) -> UInt8? {
            switch d {
            case 0x30...0x39: return d - 0x30
            case 0x41...0x46: return d - 0x41 + 10
            case 0x61...0x66: return d - 0x61 + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let hi = value(digits[i]), let lo = value(digits[i + 1]) else { return nil }
            bytes.append(hi << 4 | lo)
            i += 2
        }
        return bytes
    }
}
