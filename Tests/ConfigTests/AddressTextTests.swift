import XCTest
@testable import Config

/// Addresses as text: IPv6 literals get brackets wherever a port or scheme follows.
final class AddressTextTests: XCTestCase {
    func testListenAddressDescription() {
        XCTAssertEqual(ListenAddress(host: "127.0.0.1", port: 8080).description, "127.0.0.1:8080")
        XCTAssertEqual(ListenAddress(host: "::1", port: 8080).description, "[::1]:8080")
    }

    func testUpstreamTargetDescriptionAndHostHeader() {
        XCTAssertEqual(UpstreamTarget(host: "api.internal", port: 9100).description, "http://api.internal:9100")
        XCTAssertEqual(UpstreamTarget(host: "::1", port: 9100).description, "http://[::1]:9100")
        XCTAssertEqual(UpstreamTarget(host: "api.internal", port: 80).hostHeader, "api.internal")
        XCTAssertEqual(UpstreamTarget(host: "::1", port: 80).hostHeader, "[::1]")
        XCTAssertEqual(UpstreamTarget(host: "::1", port: 9100).hostHeader, "[::1]:9100")
    }
}
