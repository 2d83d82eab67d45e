import XCTest
@testable import Config

final class ConfigSmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertEqual(String(describing: ConfigModule.self), "ConfigModule")
    }
}
