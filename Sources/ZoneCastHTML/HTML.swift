/// Markup in which every piece of data was escaped on its way in.
///
/// Pages, maps and reports are written as string literals with interpolations: the literal parts are the
/// program's own markup and are kept as written; every interpolated `String` is escaped for text and for quoted
/// attribute values alike (`& < > " '`). Data cannot become markup by accident: there is no initialiser from a
/// run-time `String`, and the only unescaped entry, `HTML.trusted(_:)`, takes a `StaticString`, a literal the
/// compiler saw in the source. Numbers and the other typed fragments below are markup-free by construction.
///
/// Why not a DSL: the pages are mostly prose and tables; a literal with escaping holes reads like the page it
/// produces, and the type makes the unsafe way the one that does not compile.
public struct HTML: Sendable, Hashable {
    /// The markup, ready to send.
    public let rendered: String

    private init(markup: String) { rendered = markup }

    /// Nothing.
    public static let empty = HTML(markup: "")

    /// Markup written in the source (a stylesheet, a constant fragment), never data: a `StaticString` cannot be
    /// built at run time.
    public static func trusted(_ markup: StaticString) -> HTML {
        HTML(markup: markup.description)
    }

    /// Text as the reader should see it, escaped.
    public init(text: String) { rendered = HTML.escape(text) }

    /// Whether there is nothing to render.
    public var isEmpty: Bool { rendered.isEmpty }

    /// UTF-8 bytes of the markup (for response bodies).
    public var utf8: String.UTF8View { rendered.utf8 }

    /// Escapes `& < > " '`: enough for element content and for attribute values in double or single quotes.
    /// Scans bytes and copies untouched runs, so text without those characters costs one pass.
    public static func escape(_ text: String) -> String {
        let utf8 = text.utf8
        let needs = utf8.withContiguousStorageIfAvailable { buffer in buffer.contains(where: Self.isSpecial) }
            ?? utf8.contains(where: Self.isSpecial)
        if !needs { return text }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}

extension HTML: ExpressibleByStringInterpolation {
    public init(stringLiteral value: StaticString) { rendered = value.description }

    public init(stringInterpolation: Interpolation) { rendered = stringInterpolation.markup }

    /// Literal parts are the program's markup; interpolated values are escaped unless their type is markup.
    public struct Interpolation: StringInterpolationProtocol {
        fileprivate var markup = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            markup.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: StaticString) { markup += literal.description }

        /// Data: escaped.
        public mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }

        /// Data: escaped (a `Substring`, a `Character`...).
        public mutating func appendInterpolation<S: StringProtocol>(_ text: S) { markup += HTML.escape(String(text)) }

        /// Markup: kept.
        public mutating func appendInterpolation(_ html: HTML) { markup += html.rendered }

        /// Markup or nothing.
        public mutating func appendInterpolation(_ html: HTML?) { if let html { markup += html.rendered } }

        /// Pieces of markup, one after the other.
        public mutating func appendInterpolation<S: Sequence>(_ pieces: S) where S.Element == HTML {
            for piece in pieces { markup += piece.rendered }
        }

        /// Whole numbers hold no markup characters.
        public mutating func appendInterpolation<I: BinaryInteger>(_ number: I) { markup += String(number) }

        /// A number to `decimals` places (`String(format:)` output holds digits, sign, point, "nan" or "inf").
        public mutating func appendInterpolation(_ number: Double, decimals: Int) {
            markup += SVGNumber.fixed(number, decimals: decimals)
        }

        /// A path's data: numbers and command letters only.
        public mutating func appendInterpolation(_ path: SVGPath) { markup += path.data }

        /// A value whose raw value is text (an enumeration's case name): escaped.
        public mutating func appendInterpolation<R: RawRepresentable>(_ value: R) where R.RawValue == String {
            markup += HTML.escape(value.rawValue)
        }
    }
}

extension HTML: CustomStringConvertible {
    public var description: String { rendered }
}

extension Sequence where Element == HTML {
    /// The pieces one after another, with `separator` between them.
    public func joined(separator: HTML = .empty) -> HTML {
        var parts = [String]()
        for piece in self { parts.append(piece.rendered) }
        return HTML.joinedUnchecked(parts, separator: separator.rendered)
    }
}

extension HTML {
    /// Pieces that are all `HTML` already: joining them cannot let data through.
    fileprivate static func joinedUnchecked(_ parts: [String], separator: String) -> HTML {
        HTML(markup: parts.joined(separator: separator))
    }

    /// Two pieces of markup, one after the other.
    public static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(markup: lhs.rendered + rhs.rendered) }
}
