import Foundation

/// Numbers as SVG coordinates: one decimal (a tenth of a pixel is below what a screen shows), no trailing ".0".
public enum SVGNumber {
    /// Not finite or beyond a billion pixels (a point projected from far away) is clamped, never converted raw.
    public static func tenths(_ v: Double) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        appendTenths(v, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `tenths(v)` written as ASCII onto `bytes`: a map draws tens of thousands of numbers, and a `String` per
    /// number was most of the cost of drawing one.
    static func appendTenths(_ v: Double, to bytes: inout [UInt8]) {
        let tenths = Int(v.isNaN ? 0 : min(max((v * 10).rounded(), -1e13), 1e13))
        if tenths < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = tenths.magnitude
        appendDigits(magnitude / 10, to: &bytes)
        let fraction = magnitude % 10
        if fraction != 0 {
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0") + UInt8(fraction))
        }
    }

    private static func appendDigits(_ n: UInt, to bytes: inout [UInt8]) {
        if n >= 10 { appendDigits(n / 10, to: &bytes) }
        bytes.append(UInt8(ascii: "0") + UInt8(n % 10))
    }

    /// `decimals` places; not finite is written as 0 so an attribute never holds "nan".
    public static func fixed(_ v: Double, decimals: Int) -> String {
        String(format: "%.\(max(0, min(decimals, 12)))f", v.isFinite ? v : 0)
    }
}

/// An SVG path's `d` data, built from commands and numbers only, so it is markup-free by construction and goes
/// into a page unescaped (large maps are mostly path data; escaping it would be wasted work). Kept as ASCII bytes
/// until it is written out.
public struct SVGPath: Sendable, Hashable {
    private var bytes: [UInt8] = []

    public init(reservingCapacity: Int = 0) { bytes.reserveCapacity(reservingCapacity) }

    public var data: String { String(decoding: bytes, as: UTF8.self) }

    public var isEmpty: Bool { bytes.isEmpty }

    private mutating func command(_ letter: Unicode.Scalar, _ a: Double, _ b: Double) {
        bytes.append(UInt8(ascii: letter))
        SVGNumber.appendTenths(a, to: &bytes)
        bytes.append(UInt8(ascii: " "))
        SVGNumber.appendTenths(b, to: &bytes)
    }

    private mutating func command(_ letter: Unicode.Scalar, _ a: Double) {
        bytes.append(UInt8(ascii: letter))
        SVGNumber.appendTenths(a, to: &bytes)
    }

    /// "M x y"
    public mutating func move(toX x: Double, y: Double) { command("M", x, y) }
    /// "L x y"
    public mutating func line(toX x: Double, y: Double) { command("L", x, y) }
    /// "l dx dy"
    public mutating func line(byX dx: Double, y dy: Double) { command("l", dx, dy) }
    /// "h dx"
    public mutating func horizontal(by dx: Double) { command("h", dx) }
    /// "v dy"
    public mutating func vertical(by dy: Double) { command("v", dy) }
    /// "z"
    public mutating func close() { bytes.append(UInt8(ascii: "z")) }
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
