import PortcullisCrypto
import TextCoding

/// Stateless DPoP server nonces (RFC 9449 §8): `base64url(window ‖ HMAC-SHA256(key, "dpop-nonce" ‖
/// window)[0..<16])`, where `window` = ⌊now / window_seconds⌋ as 8 big-endian bytes. Any replica
/// configured with the same key checks a nonce without shared state; a nonce is accepted in its
/// window and the next, so it lives between one and two windows. Compared in constant time.
struct DPoPNonce: Sendable {
    let key: [UInt8]
    let windowSeconds: Int64

    /// The nonce of the current window.
    func current(now: Int64) -> String {
        Base64URL.encode(nonce(window: now / windowSeconds))
    }

    /// How old an accepted nonce is.
    enum Age { case current, previous }

    /// The window of `text` if it is a genuine nonce of the current or the previous window.
    func age(of text: String, now: Int64) -> Age? {
        guard let bytes = Base64URL.decode(text), bytes.count == 24 else { return nil }
        let window = bytes[0..<8].reduce(Int64(0)) { $0 << 8 | Int64($1) }
        let current = now / windowSeconds
        guard window == current || window == current - 1, ConstantTime.equals(bytes, nonce(window: window)) else { return nil }
        return window == current ? .current : .previous
    }

    /// Whether `text` is a nonce of the current or the previous window.
    func isValid(_ text: String, now: Int64) -> Bool { age(of: text, now: now) != nil }

    private func nonce(window: Int64) -> [UInt8] {
        var windowBytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) { windowBytes.append(UInt8(truncatingIfNeeded: window >> Int64(shift))) }
        let message = Array("dpop-nonce".utf8) + windowBytes
        let mac = key.withUnsafeBytes { k in message.withUnsafeBytes { m in HMAC.authenticationCode(.sha256, key: k, message: m) } }
        return windowBytes + Array(mac.prefix(16))
    }
}
