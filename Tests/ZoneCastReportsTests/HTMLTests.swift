import Testing
import ZoneCastHTML
@testable import ZoneCastReports

@Suite("HTML building")
struct HTMLTests {
    @Test("given hostile text, when escaped, then no markup survives")
    func escaping() async {
        #expect(HTML.escape("<script>alert('x')</script> & \"q\"") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
        let page = ReportDocument.page(title: "<b>t</b>", body: HTML.table(header: ["<h>"], rows: [["<td>"]])).rendered
        #expect(!page.contains("<b>t</b>") && !page.contains("<td><td>"))
        #expect(!page.contains("<h>") && page.contains("&lt;b&gt;t&lt;/b&gt;") && page.contains("&lt;td&gt;"))
        #expect(!page.contains("http://") && !page.contains("https://"))
    }

    @Test("the colour ramp runs from light yellow to dark red and clamps")
    func ramp() async {
        #expect(ColorRamp.hex(0) == "#ffffcc")
        #expect(ColorRamp.hex(1) == "#800026")
        #expect(ColorRamp.hex(-3) == "#ffffcc")
        #expect(ColorRamp.hex(.nan) == "#ffffcc")
    }
}
