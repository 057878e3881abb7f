import Foundation

/// Numbers as SVG coordinates: one decimal (a tenth of a pixel is below what a screen shows), no trailing ".0".
public enum SVGNumber {
    /// Not finite or beyond a billion pixels (a point projected from far away) is clamped, never converted raw.
    public static func tenths(_ v: Double) -> String {
        let tenths = Int(v.isNaN ? 0 : min(max((v * 10).rounded(), -1e13), 1e13))
        let whole = tenths / 10, frac = abs(tenths % 10)
        if frac == 0 { return String(whole) }
        return (tenths < 0 && whole == 0 ? "-0" : String(whole)) + "." + String(frac)
    }

    /// `decimals` places; not finite is written as 0 so an attribute never holds "nan".
    public static func fixed(_ v: Double, decimals: Int) -> String {
        String(format: "%.\(max(0, min(decimals, 12)))f", v.isFinite ? v : 0)
    }
}

/// An SVG path's `d` data, built from commands and numbers only, so it is markup-free by construction and goes
/// into a page unescaped (large maps are mostly path data; escaping it would be wasted work).
public struct SVGPath: Sendable, Hashable {
    public private(set) var data = ""

    public init(reservingCapacity: Int = 0) { data.reserveCapacity(reservingCapacity) }

    public var isEmpty: Bool { data.isEmpty }

    /// "M x y"
    public mutating func move(toX x: Double, y: Double) { data += "M\(SVGNumber.tenths(x)) \(SVGNumber.tenths(y))" }
    /// "L x y"
    public mutating func line(toX x: Double, y: Double) { data += "L\(SVGNumber.tenths(x)) \(SVGNumber.tenths(y))" }
    /// "l dx dy"
    public mutating func line(byX dx: Double, y dy: Double) { data += "l\(SVGNumber.tenths(dx)) \(SVGNumber.tenths(dy))" }
    /// "h dx"
    public mutating func horizontal(by dx: Double) { data += "h\(SVGNumber.tenths(dx))" }
    /// "v dy"
    public mutating func vertical(by dy: Double) { data += "v\(SVGNumber.tenths(dy))" }
    /// "z"
    public mutating func close() { data += "z" }
}

/// A colour as "#rrggbb" from components, markup-free by construction.
public struct CSSColour: Sendable, Hashable {
    public let hex: String

    /// Components 0-255 (clamped).
    public init(red: Double, green: Double, blue: Double) {
        func c(_ u: Double) -> String {
            let n = Int(max(0, min(255, u.isFinite ? u : 0)).rounded())
            let h = String(n, radix: 16)
            return h.count == 1 ? "0" + h : h
        }
        hex = "#" + c(red) + c(green) + c(blue)
    }
}

extension HTML.Interpolation {
    public mutating func appendInterpolation(_ colour: CSSColour) { appendInterpolation(HTML(text: colour.hex)) }
}
