import XCTest
@testable import JOSE

final class JOSESmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertEqual(String(describing: JOSEModule.self), "JOSEModule")
    }
}
