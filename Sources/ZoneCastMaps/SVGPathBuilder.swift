import Foundation
import ZoneCastHTML

/// Marker shapes on top of `SVGPath` (which keeps path data markup-free by construction).
struct SVGPathBuilder {
    var path: SVGPath

    init(reservingCapacity: Int = 0) { path = SVGPath(reservingCapacity: reservingCapacity) }

    /// A regular polygon of `sides` corners on a circle of radius r, the first corner straight up turned by `rotation`.
    mutating func polygon(_ x: Double, _ y: Double, _ r: Double, sides: Int, rotation: Double) {
        for k in 0..<sides {
            let a = rotation + 2 * .pi * Double(k) / Double(sides)
            let px = x + r * sin(a), py = y - r * cos(a)
            if k == 0 { path.move(toX: px, y: py) } else { path.line(toX: px, y: py) }
        }
        path.close()
    }

    mutating func cross(_ x: Double, _ y: Double, _ r: Double) {
        let d = r * 0.75
        path.move(toX: x - d, y: y - d); path.line(toX: x + d, y: y + d)
        path.move(toX: x - d, y: y + d); path.line(toX: x + d, y: y - d)
    }

    mutating func plus(_ x: Double, _ y: Double, _ r: Double) {
        path.move(toX: x - r, y: y); path.line(toX: x + r, y: y)
        path.move(toX: x, y: y - r); path.line(toX: x, y: y + r)
    }
}
