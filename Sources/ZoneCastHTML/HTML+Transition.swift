// TRANSITIONAL, for the move of the web pages to typed markup: old string-built fragments can still be wrapped
// and appended while pages are converted one by one. This file is deleted when the last page is typed; the
// test `TypedMarkupTests.noTransitionalEntriesRemain` fails while it exists.

extension HTML {
    /// Wraps markup built as a `String` by code not yet converted. Not for new code.
    public static func legacyUnchecked(_ markup: String) -> HTML { HTML(text: "").appendingLegacy(markup) }

    private func appendingLegacy(_ markup: String) -> HTML {
        var i = HTML.Interpolation(literalCapacity: 0, interpolationCount: 0)
        i.appendInterpolation(self)
        i.appendLegacy(markup)
        return HTML(stringInterpolation: i)
    }
}

extension HTML.Interpolation {
    fileprivate mutating func appendLegacy(_ markup: String) { markup_appendLegacy(markup) }
}

public func += (lhs: inout String, rhs: HTML) { lhs += rhs.rendered }
