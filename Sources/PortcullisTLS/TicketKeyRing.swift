import Locks
import COpenSSL
import IO
import PortcullisCrypto

/// Session ticket keys (TLS 1.2 tickets and TLS 1.3 resumption tickets), in memory only and never
/// written to disk: a new key every `rotationSeconds`; tickets are issued under the newest key and
/// accepted under the previous one too (and renewed then), so a ticket lives at most two periods.
/// One ring per process, shared by every listener and reload (a swapped certificate keeps clients'
/// tickets valid).
public final class TicketKeyRing: @unchecked Sendable {
    /// How often a new key is made (1 hour); `SSL_CTX` session timeouts use the same value.
    public static let rotationSeconds: Int64 = 3600

    /// One key: a public name (sent in each ticket) and the secret AES and HMAC keys.
    struct Key {
        let name: [UInt8]
        let aes: [UInt8]
        let hmac: [UInt8]
        let createdAt: Int64
    }

    private let lock = Locked<Void>()
    private var keys: [Key] = []   // newest first, at most 2
    private let rotation: Int64
    private let makeKey: (Int64) -> Key

    /// A ring rotating every `rotationSeconds`; `random` fills a buffer with secret bytes.
    init(rotationSeconds: Int64 = TicketKeyRing.rotationSeconds,
         random: @escaping ([UInt8]) -> [UInt8] = TicketKeyRing.secureRandom) {
        rotation = rotationSeconds
        makeKey = { now in
            Key(name: random([UInt8](repeating: 0, count: 16)), aes: random([UInt8](repeating: 0, count: 32)),
                hmac: random([UInt8](repeating: 0, count: 32)), createdAt: now)
        }
    }

    /// The key that encrypts a new ticket at `now` (rotating first when due).
    func encryptionKey(now: Int64) -> Key {
        lock.withLock {
            if keys.isEmpty || now - keys[0].createdAt >= rotation {
                keys.insert(makeKey(now), at: 0)
                if keys.count > 2 { keys.removeLast() }
            }
            return keys[0]
        }
    }

    /// The key named `name` if it is still accepted at `now`, and whether it is the newest (an
    /// older one makes OpenSSL issue a fresh ticket).
    func decryptionKey(named name: UnsafeRawBufferPointer, now: Int64) -> (key: Key, isNewest: Bool)? {
        lock.withLock {
            for (i, key) in keys.enumerated() where now - key.createdAt < 2 * rotation {
                if key.name.withUnsafeBytes({ $0.elementsEqual(name) }) { return (key, i == 0) }
            }
            return nil
        }
    }

    /// Secure random bytes, the same count as `buffer` (the project's one source: `SecureRandom`).
    static func secureRandom(_ buffer: [UInt8]) -> [UInt8] { SecureRandom.bytes(buffer.count) }

    /// The process's ring.
    static let shared = TicketKeyRing()
}

/// Seconds on the monotonic clock (ticket key ages).
private func monotonicSeconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec)
}

/// OpenSSL's ticket key callback (`SSL_CTX_set_tlsext_ticket_key_evp_cb`): `encrypt` 1 names the key
/// and keys the cipher and HMAC for a new ticket; 0 looks the name up (0: unknown, full handshake;
/// 1: valid; 2: valid, issue a new ticket).
///
/// A TLS 1.3 resumption always gets a new ticket (2): clients treat 1.3 tickets as single-use
/// (RFC 8446 §C.4; OpenSSL with a client session cache, wrk, browsers), and with 1 OpenSSL sends none,
/// so such a client's next connection was a full handshake — every other one, measured with wrk.
/// TLS 1.2 renews only tickets under the older key.
func ticketKeyCallback(_ ssl: OpaquePointer?, _ name: UnsafeMutablePointer<UInt8>?, _ iv: UnsafeMutablePointer<UInt8>?,
                       _ cipher: OpaquePointer?, _ mac: OpaquePointer?, _ encrypt: Int32) -> Int32 {
    guard let name, let iv, let cipher, let mac else { return -1 }
    let now = monotonicSeconds()
    let ring = TicketKeyRing.shared
    if encrypt == 1 {
        let key = ring.encryptionKey(now: now)
        guard RAND_bytes(iv, 16) == 1 else { OpenSSLReason.clear(); return -1 }
        key.name.withUnsafeBytes { name.update(from: $0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: 16) }
        return setUp(key, iv: iv, cipher: cipher, mac: mac, encrypt: 1) ? 1 : -1
    }
    guard let (key, newest) = ring.decryptionKey(named: UnsafeRawBufferPointer(start: name, count: 16), now: now) else { return 0 }
    let renew = !newest || SSL_version(ssl) == TLS1_3_VERSION
    return setUp(key, iv: iv, cipher: cipher, mac: mac, encrypt: 0) ? (renew ? 2 : 1) : -1
}

private func setUp(_ key: TicketKeyRing.Key, iv: UnsafeMutablePointer<UInt8>, cipher: OpaquePointer, mac: OpaquePointer, encrypt: Int32) -> Bool {
    var hmac = key.hmac
    let macOK = hmac.withUnsafeMutableBufferPointer { portcullis_ticket_mac_init(mac, $0.baseAddress, $0.count) } == 1
    let cipherOK = key.aes.withUnsafeBufferPointer { EVP_CipherInit_ex(cipher, EVP_aes_256_cbc(), nil, $0.baseAddress, iv, encrypt) } == 1
    if !(macOK && cipherOK) { OpenSSLReason.clear() }
    return macOK && cipherOK
}
