import Foundation
public import ZoneCastCore

/// What part of the jurisdiction a map shows and at what scale: a centre in planar metres (the jurisdiction's
/// projection), metres per pixel, and a size in pixels. Pages get server-rendered zoom views by building one
/// (`fitting` a zone's box, `zoomed(by:)`, `panned`) and passing its parameters in links, so pan and zoom work
/// without JavaScript.
public struct MapViewport: Hashable, Sendable {
    public let center: PlanarPoint
    public let metersPerPixel: Double
    public let widthPixels: Double
    public let heightPixels: Double

    public init(center: PlanarPoint, metersPerPixel: Double, widthPixels: Double, heightPixels: Double) throws(MapError) {
        guard metersPerPixel.isFinite, metersPerPixel > 0 else { throw .invalidViewport("metres per pixel \(metersPerPixel)") }
        guard widthPixels.isFinite, heightPixels.isFinite, widthPixels >= 16, heightPixels >= 16, widthPixels <= 8_192, heightPixels <= 8_192 else {
            throw .invalidViewport("size \(widthPixels) × \(heightPixels) px (16 to 8,192 each)")
        }
        guard center.xMeters.isFinite, center.yMeters.isFinite else { throw .invalidViewport("centre \(center)") }
        self.center = center
        self.metersPerPixel = metersPerPixel
        self.widthPixels = widthPixels.rounded()
        self.heightPixels = heightPixels.rounded()
    }

    /// The viewport that shows `box` plus `marginMeters` on each side, `widthPixels` wide, its height following the
    /// box's shape (between `minHeightPixels` and `maxHeightPixels`; the scale grows to fit when capped).
    public init(fitting box: PlanarBoundingBox, widthPixels: Double = 720, marginMeters: Double = 0,
                minHeightPixels: Double = 200, maxHeightPixels: Double = 900) throws(MapError) {
        let w = box.widthMeters + 2 * marginMeters, h = box.heightMeters + 2 * marginMeters
        guard w.isFinite, h.isFinite, w > 0, h > 0 else { throw .invalidViewport("box \(box) has no area") }
        var mpp = w / widthPixels
        var height = h / mpp
        if height > maxHeightPixels { mpp = h / maxHeightPixels; height = maxHeightPixels }
        height = max(height, minHeightPixels)
        try self.init(center: PlanarPoint(xMeters: (box.minX + box.maxX) / 2, yMeters: (box.minY + box.maxY) / 2),
                      metersPerPixel: mpp, widthPixels: widthPixels, heightPixels: height)
    }

    /// The area shown, in planar metres.
    public var bounds: PlanarBoundingBox {
        let hw = widthPixels * metersPerPixel / 2, hh = heightPixels * metersPerPixel / 2
        return PlanarBoundingBox(minX: center.xMeters - hw, minY: center.yMeters - hh, maxX: center.xMeters + hw, maxY: center.yMeters + hh)
    }

    /// Zoomed in (`levels` > 0) or out (< 0) about the centre: each level halves or doubles metres per pixel.
    public func zoomed(by levels: Int) -> MapViewport {
        // Valid by construction: the scale stays finite and positive for any Int shift within ±60.
        (try? MapViewport(center: center, metersPerPixel: metersPerPixel * pow(2, Double(-max(-60, min(60, levels)))),
                          widthPixels: widthPixels, heightPixels: heightPixels)) ?? self
    }

    /// Moved by fractions of the view (0.5 east = half a width east; north is +y).
    public func panned(east: Double, north: Double) -> MapViewport {
        let c = PlanarPoint(xMeters: center.xMeters + east * widthPixels * metersPerPixel, yMeters: center.yMeters + north * heightPixels * metersPerPixel)
        return (try? MapViewport(center: c, metersPerPixel: metersPerPixel, widthPixels: widthPixels, heightPixels: heightPixels)) ?? self
    }

    /// Pixel x of a planar point (0 at the left edge).
    @inline(__always) public func x(_ p: PlanarPoint) -> Double { (p.xMeters - center.xMeters) / metersPerPixel + widthPixels / 2 }
    /// Pixel y of a planar point (0 at the top edge; north is up).
    @inline(__always) public func y(_ p: PlanarPoint) -> Double { heightPixels / 2 - (p.yMeters - center.yMeters) / metersPerPixel }
}
