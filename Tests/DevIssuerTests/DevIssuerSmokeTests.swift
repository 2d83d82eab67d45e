import XCTest
@testable import DevIssuer

final class DevIssuerSmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertEqual(String(describing: DevIssuerModule.self), "DevIssuerModule")
    }
}
