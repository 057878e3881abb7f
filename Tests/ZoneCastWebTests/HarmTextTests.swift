import Testing
@testable import ZoneCastWeb

/// Forecast harm keeps two significant digits below 1: a walk-through on Los Angeles homicides found every zone's
/// forecast harm written 0.0 (0.0389 to one decimal).
@Suite struct HarmTextTests {
    @Test("given harm amounts from a sparse city's hundredths to a big city's hundreds, when written, then none below 1 loses its digits")
    func twoSignificantDigitsBelowOne() {
        let cases: [(Double, String)] = [(0.0389, "0.039"), (0.5, "0.50"), (0.00123, "0.0012"), (0.1, "0.10"), (0, "0.0"), (1.26, "1.3"),
                                         (99.94, "99.9"), (250.4, "250"), (12_345.6, "12346"), (0.0000001, "< 0.000001")]
        for (value, text) in cases { #expect(HarmText.amount(value) == text, "\(value)") }
    }
}
