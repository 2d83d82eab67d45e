import XCTest
@testable import LoadtestCore

final class LoadtestCoreSmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertEqual(String(describing: LoadtestCoreModule.self), "LoadtestCoreModule")
    }
}
