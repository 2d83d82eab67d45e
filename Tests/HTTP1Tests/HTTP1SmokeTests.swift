import XCTest
@testable import HTTP1

final class HTTP1SmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertEqual(String(describing: HTTP1Module.self), "HTTP1Module")
    }
}
