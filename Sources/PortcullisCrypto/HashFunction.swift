import COpenSSL

/// A SHA-2 hash function used by signatures and HMAC.
public enum HashFunction: Sendable, Hashable, CaseIterable {
    case sha256, sha384, sha512

    /// Output length in bytes (32, 48, 64).
    public var digestLength: Int {
        switch self {
        case .sha256: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }

    /// The pre-fetched OpenSSL digest (fetched once per process, shared by all threads).
    var evpMD: OpaquePointer { MessageDigests.shared.md(self) }
}

/// Explicitly fetched `EVP_MD`s, hoisted out of the hot path: OpenSSL 3 would otherwise do an
/// implicit fetch (a locked method-store lookup) on every verification. Fetched `EVP_MD`s are
/// immutable and documented as safe to share between threads; they live for the process.
final class MessageDigests: @unchecked Sendable {
    static let shared = MessageDigests()

    private let sha256: OpaquePointer
    private let sha384: OpaquePointer
    private let sha512: OpaquePointer

    private init() {
        guard let a = EVP_MD_fetch(nil, "SHA256", nil),
              let b = EVP_MD_fetch(nil, "SHA384", nil),
              let c = EVP_MD_fetch(nil, "SHA512", nil) else {
            fatalError("OpenSSL default provider has no SHA-2: the crypto library is unusable")
        }
        sha256 = a
        sha384 = b
        sha512 = c
    }

    func md(_ hash: HashFunction) -> OpaquePointer {
        switch hash {
        case .sha256: return sha256
        case .sha384: return sha384
        case .sha512: return sha512
        }
    }
}
