import Foundation
@_exported import Dispatch

/// Decodes unpadded base64url test material (Foundation is fine in tests).
func b64u(_ s: String) -> [UInt8] {
    var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while t.count % 4 != 0 { t += "=" }
    guard let d = Data(base64Encoded: t) else { fatalError("bad test base64url") }
    return [UInt8](d)
}

func hexBytes(_ s: String) -> [UInt8] {
    var out: [UInt8] = []
    var i = s.startIndex
    while i < s.endIndex {
        let j = s.index(i, offsetBy: 2)
        out.append(UInt8(s[i..<j], radix: 16)!)
        i = j
    }
    return out
}

/// Flips one bit of byte `index` (negative = from the end).
func flipped(_ bytes: [UInt8], at index: Int) -> [UInt8] {
    var b = bytes
    let i = index >= 0 ? index : b.count + index
    b[i] ^= 0x01
    return b
}
