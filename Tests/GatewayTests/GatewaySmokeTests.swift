import XCTest
@testable import Gateway

final class GatewaySmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertEqual(String(describing: GatewayModule.self), "GatewayModule")
    }
}
