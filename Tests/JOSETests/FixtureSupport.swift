import Foundation
import XCTest
@testable import JOSE
import TextCoding

/// The generated fixtures (Fixtures/fixtures.json, minted by Fixtures/generate.py).
struct Fixtures {
    struct Token {
        let name: String
        let expect: String
        let malformedReason: String?
        let token: String
    }

    let now: Int64
    let issuers: [String: TrustedIssuer]
    let tokens: [String: Token]
    let rsa1PublicPEM: String

    static let shared: Fixtures = {
        do { return try Fixtures() } catch { fatalError("fixtures unreadable: \(error)") }
    }()

    private init() throws {
        guard let url = Bundle.module.url(forResource: "fixtures", withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile)
        }
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        now = (root["now"] as! NSNumber).int64Value
        rsa1PublicPEM = root["rsa1_public_pem"] as! String
        var issuers: [String: TrustedIssuer] = [:]
        for entry in root["issuers"] as! [[String: Any]] {
            let name = entry["issuer"] as! String
            let config = try IssuerConfiguration(
                issuer: name,
                audiences: entry["audiences"] as? [String] ?? [],
                allowedAlgorithms: Set((entry["algorithms"] as! [String]).map { JWSAlgorithm(rawValue: $0)! }),
                clockSkewSeconds: (entry["clock_skew_seconds"] as! NSNumber).int64Value,
                requiredClaims: entry["required_claims"] as? [String] ?? [],
                requiredType: entry["require_typ"] as? String,
                sharedSecret: (entry["shared_secret"] as? String).map { Base64URL.decode($0)! })
            let jwksData = try JSONSerialization.data(withJSONObject: entry["jwks"]!)
            let keys = try JWKSet(json: [UInt8](jwksData))
            issuers[name] = TrustedIssuer(configuration: config, keys: keys)
        }
        self.issuers = issuers
        var tokens: [String: Token] = [:]
        for t in root["tokens"] as! [[String: Any]] {
            let token = Token(name: t["name"] as! String, expect: t["expect"] as! String,
                              malformedReason: t["malformed_reason"] as? String, token: t["token"] as! String)
            tokens[token.name] = token
        }
        self.tokens = tokens
    }

    /// Runs the whole flow on fixture `name`.
    func verify(_ name: String, now: Int64? = nil) throws(TokenRejection) -> VerifiedToken {
        guard let fixture = tokens[name] else { fatalError("no fixture \(name)") }
        return try TokenVerifier().verify(Array(fixture.token.utf8), now: now ?? self.now) { issuers[$0] }
    }
}

extension XCTestCase {
    /// Asserts fixture `name` is rejected with `code` (and, if given, the malformed sub-reason).
    func assertRejected(_ name: String, _ code: TokenRejection.Code, _ reason: TokenRejection.MalformedReason? = nil,
                        file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Fixtures.shared.tokens[name]?.expect, code.rawValue, "fixture expectation drifted", file: file, line: line)
        do {
            let verified = try Fixtures.shared.verify(name)
            XCTFail("\(name) was accepted (sub \(verified.subject ?? "-"))", file: file, line: line)
        } catch {
            XCTAssertEqual(error.code, code, "\(name): \(error.description)", file: file, line: line)
            if let reason { XCTAssertEqual(error.malformedReason, reason, file: file, line: line) }
        }
    }

    @discardableResult
    func assertAccepted(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> VerifiedToken? {
        do {
            return try Fixtures.shared.verify(name)
        } catch {
            XCTFail("\(name) rejected: \(error.code.rawValue) \(error.description)", file: file, line: line)
            return nil
        }
    }
}
