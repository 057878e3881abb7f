import Foundation
import Testing
import ZoneCastCore
import ZoneCastHTML

/// SVG numbers are written digit by digit (for speed); C's printf, rounding the same tenths, is the reference.
@Suite("SVG numbers and path data")
struct SVGNumberTests {
    /// printf's "%.1f" of the value rounded to tenths the way the map does (half away from zero), without a
    /// trailing ".0" and with "-0" kept only before a fraction.
    static func reference(_ v: Double) -> String {
        let tenths = (v * 10).rounded()
        var text = String(format: "%.1f", tenths / 10)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text == "-0" ? "0" : text
    }

    @Test("given 20,000 seeded values from -1e6 to 1e6 px, tenths matches printf's rounding of the same tenths")
    func matchesPrintf() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<20_000 {
            let scale = [1.0, 10, 1_000, 1_000_000][Int(rng.next() % 4)]
            let v = (Double(rng.next() % 2_000_001) / 1_000_000 - 1) * scale
            #expect(SVGNumber.tenths(v) == Self.reference(v), "\(v)")
        }
    }

    @Test("given edge values, when written, then they read as people and SVG expect")
    func edges() {
        #expect(SVGNumber.tenths(0) == "0")
        #expect(SVGNumber.tenths(-0.04) == "0")
        #expect(SVGNumber.tenths(-0.05) == "-0.1")
        #expect(SVGNumber.tenths(-0.5) == "-0.5")
        #expect(SVGNumber.tenths(-5) == "-5")
        #expect(SVGNumber.tenths(12.34) == "12.3")
        #expect(SVGNumber.tenths(.nan) == "0")
        #expect(SVGNumber.tenths(.infinity) == "1000000000000")
        #expect(SVGNumber.tenths(-.infinity) == "-1000000000000")
    }

    @Test("given commands, when a path is built, then its data is the commands with their numbers in tenths")
    func pathData() {
        var path = SVGPath()
        #expect(path.isEmpty)
        path.move(toX: 1.25, y: -0.04)
        path.line(toX: 10, y: 20.06)
        path.line(byX: -3, y: 0.5)
        path.horizontal(by: 7.77)
        path.vertical(by: -0.5)
        path.close()
        #expect(path.data == "M1.3 0L10 20.1l-3 0.5h7.8v-0.5z")
        #expect(!path.isEmpty)
    }
}
