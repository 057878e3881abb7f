import Foundation
import Testing
import ZoneCastHTML

@Suite struct TypedMarkupTests {
    static let hostile = "<script>alert('x')</script> & \"q\" <img src=x onerror=y>"
    static let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot; &lt;img src=x onerror=y&gt;"

    @Test func interpolatedTextIsEscapedInContentAndAttributes() async {
        // Given text from a record, when it is interpolated into markup, then it arrives as text, not markup.
        let name = Self.hostile
        let page: HTML = "<p title=\"\(name)\">\(name)</p>"
        #expect(page.rendered == "<p title=\"\(Self.escaped)\">\(Self.escaped)</p>")
        #expect(!page.rendered.contains("<script"))
    }

    @Test func everyTextLikeInterpolationIsEscaped() async {
        enum Kind: String { case hostile = "<b>\"x\"</b>" }
        let sub: Substring = Self.hostile.dropFirst(0)
        let optional: String? = Self.hostile
        let page: HTML = "\(sub)|\(Kind.hostile)|\(optional ?? "")|\(HTML(text: Self.hostile))"
        #expect(!page.rendered.contains("<script"))
        #expect(!page.rendered.contains("<b>"))
        #expect(page.rendered.components(separatedBy: "|").count == 4)
    }

    @Test func markupInterpolatedIntoMarkupIsKeptOnce() async {
        let inner: HTML = "<b>\(Self.hostile)</b>"
        let outer: HTML = "<p>\(inner)</p>"
        #expect(outer.rendered == "<p><b>\(Self.escaped)</b></p>")
        let list: HTML = "<ul>\([inner, inner].map { "<li>\($0)</li>" as HTML })</ul>"
        #expect(list.rendered == "<ul><li><b>\(Self.escaped)</b></li><li><b>\(Self.escaped)</b></li></ul>")
        #expect([inner, inner].joined(separator: "<br>").rendered == "<b>\(Self.escaped)</b><br><b>\(Self.escaped)</b>")
    }

    @Test func escapingHandlesEveryCharacterClassAndLeavesOthersByteForByte() async {
        let text = "plain é 🚓 \u{0}\t\n"
        #expect(HTML.escape(text) == text)
        #expect(HTML.escape("&&") == "&amp;&amp;")
        // Brute force against a reference over every ASCII character.
        for scalar in (0..<128).compactMap(Unicode.Scalar.init) {
            let c = String(Character(scalar))
            let expected = ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"][c] ?? c
            #expect(HTML.escape("a\(c)b") == "a\(expected)b")
        }
    }

    @Test func numbersAndPathsAreMarkupFreeByConstruction() async {
        var path = SVGPath()
        path.move(toX: 1.25, y: -0.04)
        path.horizontal(by: .nan)
        path.vertical(by: .infinity)
        path.close()
        #expect(path.data == "M1.3 0h0v1000000000000z")
        let page: HTML = "<path d=\"\(path)\"/>\(42)\(Double.nan, decimals: 2)\(CSSColour(red: 255, green: 0, blue: 300))"
        #expect(page.rendered.hasSuffix("420.00#ff00ff"))
    }
}
