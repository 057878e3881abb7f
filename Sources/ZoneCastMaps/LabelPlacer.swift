import Foundation

/// An axis-aligned box in pixels (y down): label collisions, and where the legend went.
public struct PixelBox: Hashable, Sendable {
    public var minX: Double, minY: Double, maxX: Double, maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    func overlaps(_ o: PixelBox) -> Bool { minX < o.maxX && o.minX < maxX && minY < o.maxY && o.minY < maxY }

    /// The area (square pixels) this box shares with `o`.
    func overlapArea(_ o: PixelBox) -> Double { max(0, min(maxX, o.maxX) - max(minX, o.minX)) * max(0, min(maxY, o.maxY) - max(minY, o.minY)) }

    /// The box around a text of `width` × `height` centred on (x, y) and turned by `angle` radians (conservative
    /// for turned text: the turned rectangle's bounding box).
    static func around(x: Double, y: Double, width: Double, height: Double, angle: Double) -> PixelBox {
        let c = abs(cos(angle)), s = abs(sin(angle))
        let hw = (width * c + height * s) / 2, hh = (width * s + height * c) / 2
        return PixelBox(minX: x - hw, minY: y - hh, maxX: x + hw, maxY: y + hh)
    }
}

/// Greedy label placement: candidates are offered best first and each is kept only if its box overlaps no box
/// already taken (labels, zone labels, the legend, the scale bar and the north arrow) and lies inside the map.
/// Simple, deterministic, and linear in the number of placed labels per test, which stays small (tens).
struct LabelPlacer {
    let width: Double, height: Double
    private(set) var taken: [PixelBox] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Reserves a box whatever it overlaps (map furniture).
    mutating func reserve(_ box: PixelBox) { taken.append(box) }

    /// Takes the box if it is free and inside the map; returns whether it did.
    mutating func place(_ box: PixelBox) -> Bool {
        guard box.minX >= 0, box.minY >= 0, box.maxX <= width, box.maxY <= height else { return false }
        if taken.contains(where: { $0.overlaps(box) }) { return false }
        taken.append(box)
        return true
    }
}
