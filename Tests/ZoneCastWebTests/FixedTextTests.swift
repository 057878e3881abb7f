import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastWeb

/// The page formatters replaced Foundation's for speed; Foundation is the reference they must reproduce.
@Suite struct FixedTextTests {
    @Test func givenCountsWhenGroupedThenThousandsAreSeparatedByCommasAsAnEnUSFormatterDoes() async {
        let reference = NumberFormatter()
        reference.locale = Locale(identifier: "en_US_POSIX")
        reference.numberStyle = .decimal
        reference.usesGroupingSeparator = true
        reference.groupingSeparator = ","
        reference.groupingSize = 3
        for n in [0, 7, 999, 1_000, -1_000, 12_345, -123_456, 1_234_567, Int.max, Int.min + 1] {
            #expect(FixedText.grouped(n) == reference.string(from: NSNumber(value: n)), "\(n)")
        }
    }

    @Test func givenRandomAndTieValuesWhenWrittenWithDecimalsThenTheyMatchPrintf() async {
        var rng = SplitMix64(seed: 11)
        var values: [Double] = [0, -0.0, 0.05, 0.25, 0.35, 2.5, 3.5, -0.05, -0.25, 0.125, 1.005, 99.995, 1e-9, -1e-9, 123_456_789.987, 1e11, 5e12, .infinity]
        for _ in 0..<20_000 {
            let magnitude = pow(10, Double(rng.next() % 9) - 3)
            values.append((Double(rng.next() % 2_000_001) / 1_000_000 - 1) * magnitude)
            values.append(Double(rng.next() % 10_000) / 8)      // exact binary ties at several digits
        }
        for x in values {
            for digits in 0...3 {
                #expect(FixedText.fixed(x, digits) == String(format: "%.\(digits)f", x), "\(x) with \(digits) digits")
            }
        }
    }

    @Test func givenInstantsWhenWrittenAsISO8601ThenTheyMatchTheFormatter() async {
        let formatter = ISO8601DateFormatter()
        var rng = SplitMix64(seed: 12)
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400), Date(timeIntervalSince1970: 4_107_542_399.999)]
        for _ in 0..<5_000 { dates.append(Date(timeIntervalSince1970: Double(rng.next() % 4_102_444_800_000) / 1_000)) }
        for d in dates {
            #expect(FixedText.iso8601(d) == formatter.string(from: d), "\(d.timeIntervalSince1970)")
        }
    }

    @Test func givenISO8601TextWhenParsedThenValidOnesMatchTheFormatterAndOthersAreLeftToIt() async {
        let formatter = ISO8601DateFormatter()
        var rng = SplitMix64(seed: 13)
        for _ in 0..<2_000 {
            let text = formatter.string(from: Date(timeIntervalSince1970: Double(rng.next() % 4_102_444_800)))
            #expect(FixedText.parseUTCSeconds(text) == formatter.date(from: text), "\(text)")
        }
        for text in ["2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z", "2026-11-28T24:00:00Z", "2026-11-28T22:34:00+01:00", "2026-11-28 22:34:00Z", "2026-11-28T22:34:00.5Z", "２026-11-28T22:34:00Z", ""] {
            #expect(FixedText.parseUTCSeconds(text) == nil, "\(text)")
        }
    }
}
