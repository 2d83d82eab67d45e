import XCTest
@testable import PortcullisCrypto

final class PortcullisCryptoSmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertEqual(String(describing: PortcullisCryptoModule.self), "PortcullisCryptoModule")
    }
}
