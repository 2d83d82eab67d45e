import Foundation
import Gateway
import IO

/// `portcullis dpop keygen --out FILE [--type p256|ed25519|rsa]`, `portcullis dpop thumbprint --key FILE`,
/// `portcullis dpop proof --key FILE --method M --url URL [--token T] [--nonce N]`: a DPoP client
/// for curl (RFC 9449). The key file is a PKCS#8 PEM private key, written with mode 0600.
enum DPoPCommand {
    static let usage = "usage: portcullis dpop keygen --out FILE [--type p256|ed25519|rsa] | thumbprint --key FILE | proof --key FILE --method M --url URL [--token T] [--nonce N]"

    static func run(_ args: ArraySlice<String>) -> Int32 {
        guard let action = args.first else { return fail(usage) }
        let options: CommandLineOptions
        do { options = try CommandLineOptions(args.dropFirst(), valueOptions: ["out", "type", "key", "method", "url", "token", "nonce"]) }
        catch { return fail("\(error)\n\(usage)") }
        switch action {
        case "keygen":
            guard let out = options.values["out"] else { return fail(usage) }
            let types: [String: SigningKeyType] = ["p256": .p256, "ed25519": .ed25519, "rsa": .rsa]
            guard let type = types[options.values["type"] ?? "p256"] else { return fail("--type: p256, ed25519 or rsa") }
            do {
                let pem = try SigningKeyHandle.generate(type).pkcs8PEM()
                guard FileManager.default.createFile(atPath: out, contents: Data(pem), attributes: [.posixPermissions: 0o600]) else {
                    return fail("cannot write \(out)")
                }
            } catch { return fail("key generation failed: \(error)") }
            return 0
        case "thumbprint", "proof":
            guard let path = options.values["key"], let pem = FileManager.default.contents(atPath: path) else {
                return fail("--key FILE: a readable PKCS#8 PEM private key")
            }
            let signer: DPoPProofSigner
            do { signer = DPoPProofSigner(key: try SigningKeyHandle(pkcs8PEM: [UInt8](pem))) }
            catch { return fail("\(path): not a usable private key") }
            if action == "thumbprint" { print(signer.thumbprint); return 0 }
            guard let method = options.values["method"], let url = options.values["url"] else { return fail(usage) }
            do {
                print(try signer.proof(method: method, url: url, accessToken: options.values["token"], nonce: options.values["nonce"],
                                       now: MonotonicClock().unixSeconds()))
            } catch { return fail("signing failed: \(error)") }
            return 0
        default:
            return fail(usage)
        }
    }
}
