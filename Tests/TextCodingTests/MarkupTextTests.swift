import XCTest
import TextCoding

/// The one HTML/XML escaper (development issuer pages, loadtest charts).
final class MarkupTextTests: XCTestCase {
    func testEscapesEveryMarkupCharacter_ScriptInjection() {
        XCTAssertEqual(MarkupText.escape(#"<script>alert("x&y")</script>'"#),
                       "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt;&#39;")
    }

    func testLeavesOtherTextAlone() {
        XCTAssertEqual(MarkupText.escape("Demo User — ÅÄÖ 42"), "Demo User — ÅÄÖ 42")
    }
}
