import XCTest
import Config

final class ListenAddressTests: XCTestCase {
    func testDescriptionIsHostColonPort() {
        XCTAssertEqual(ListenAddress(host: "127.0.0.1", port: 8080).description, "127.0.0.1:8080")
    }
}
