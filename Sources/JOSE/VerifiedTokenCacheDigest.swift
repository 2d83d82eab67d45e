/// The verified-token cache key: the full 32-byte SHA-256 digest of the compact token, held as
/// four words so that equality is four integer compares and hashing feeds one word.
///
/// Security invariant: the whole 256-bit digest is compared on lookup, never a truncation, so
/// finding a second token that hits another token's entry needs a SHA-256 collision. The hash
/// uses one word only; that is safe because the digest is uniformly distributed and an attacker
/// cannot choose it without a preimage.
public struct TokenDigest: Hashable, Sendable {
    /// Bytes 0-7 (little-endian); the hashed word.
    public let w0: UInt64
    /// Bytes 8-15; its low bits pick the shard.
    public let w1: UInt64
    /// Bytes 16-23.
    public let w2: UInt64
    /// Bytes 24-31.
    public let w3: UInt64

    /// A digest from four words (little-endian loads of bytes 0-7, 8-15, 16-23, 24-31).
    @inlinable
    public init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// A digest from exactly 32 bytes (a SHA-256 output).
    public init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32, "TokenDigest needs a 32-byte SHA-256 digest")
        self.init(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                  UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                  UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
                  UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
    }

    /// A digest from exactly 32 bytes (a SHA-256 output).
    public init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { TokenDigest(bytes: $0) }
    }

    @inlinable
    public static func == (lhs: TokenDigest, rhs: TokenDigest) -> Bool {
        (lhs.w0 ^ rhs.w0) | (lhs.w1 ^ rhs.w1) | (lhs.w2 ^ rhs.w2) | (lhs.w3 ^ rhs.w3) == 0
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(w0)
    }
}
