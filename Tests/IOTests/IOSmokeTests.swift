import XCTest
@testable import IO

final class IOSmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertEqual(String(describing: IOModule.self), "IOModule")
    }
}
