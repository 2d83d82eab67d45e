import XCTest
@testable import Policy

final class PolicySmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertEqual(String(describing: PolicyModule.self), "PolicyModule")
    }
}
