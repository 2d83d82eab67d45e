import XCTest
@testable import Config

/// `timeouts.drain_delay_ms`: how long a SIGTERM'd gateway keeps serving before it stops accepting.
final class DrainDelayConfigTests: XCTestCase {
    func testDefaultsToZeroAndReadsExplicitValues() throws {
        XCTAssertEqual(try load(ConfigFixture.minimal()).timeouts.drainDelayMilliseconds, 0)
        XCTAssertEqual(try load(ConfigFixture.minimal(#""timeouts": {"drain_delay_ms": 0}"#)).timeouts.drainDelayMilliseconds, 0)
        XCTAssertEqual(try load(ConfigFixture.minimal(#""timeouts": {"drain_delay_ms": 5000}"#)).timeouts.drainDelayMilliseconds, 5000)
    }

    func testOutOfRangeOrNonIntegerIsRejectedWithItsPath() {
        assertConfigError(ConfigFixture.minimal(#""timeouts": {"drain_delay_ms": -1}"#),
                          "timeouts.drain_delay_ms: -1 is out of range 0...3600000")
        assertConfigError(ConfigFixture.minimal(#""timeouts": {"drain_delay_ms": 1.5}"#),
                          "timeouts.drain_delay_ms: expected an integer, got 1.5")
    }
}
