import Foundation
import ZoneCastCore
import ZoneCastHTML
import ZoneCastStreets

extension MapRenderer {
    static let legendRowPixels = 17.0
    static let legendWidthPixels = 210.0

    /// Boxes the scale bar and north arrow occupy, reserved before any label is placed (the legend's, whose size
    /// depends on the layers drawn, is reserved once they are known, before the street labels).
    func furnitureBoxes(_ viewport: MapViewport) -> [PixelBox] {
        let w = viewport.widthPixels, h = viewport.heightPixels
        return [PixelBox(minX: 0, minY: h - 46, maxX: 150, maxY: h), PixelBox(minX: w - 40, minY: 0, maxX: w, maxY: 52)]
    }

    /// Where the legend goes: bottom-right, unless it would cover part of a zone (its cells or its label), which is
    /// what the map is for. Then the first of bottom-left (above the scale bar), top-left and top-right (below the north
    /// arrow) that covers none; failing all four, the one covering the least zone area. A zone in the bottom-right
    /// corner of a city map was hidden under the legend.
    func legendFrame(rows: Int, viewport: MapViewport, avoiding zones: [PixelBox]) -> PixelBox {
        let w = viewport.widthPixels, h = viewport.heightPixels
        let width = Self.legendWidthPixels, height = 22 + Double(rows) * Self.legendRowPixels
        let bottomRight = PixelBox(minX: w - width - 6, minY: h - height - 6, maxX: w - 6, maxY: h - 6)
        let margin: Double = 6, aboveScaleBar: Double = h - 52, belowNorthArrow: Double = 58, rightEdge: Double = w - margin
        let candidates: [PixelBox] = [PixelBox(minX: margin, minY: aboveScaleBar - height, maxX: margin + width, maxY: aboveScaleBar),
                                      PixelBox(minX: margin, minY: margin, maxX: margin + width, maxY: margin + height),
                                      PixelBox(minX: rightEdge - width, minY: belowNorthArrow, maxX: rightEdge, maxY: belowNorthArrow + height)]
        let others = candidates.filter { (box: PixelBox) -> Bool in box.minX >= 0 && box.minY >= 0 && box.maxX <= w && box.maxY <= h }
        func covered(_ frame: PixelBox) -> Double { zones.reduce(0) { $0 + frame.overlapArea($1) } }
        var best = bottomRight, least = covered(bottomRight)
        for frame in others where least > 0 {
            let area = covered(frame)
            if area < least { best = frame; least = area }
        }
        return best
    }

    /// The largest 1, 2 or 5 × 10ⁿ not above `limit`.
    static func roundLength(below limit: Double) -> Double {
        guard limit > 0, limit.isFinite else { return 1 }
        let p = pow(10, (log10(limit)).rounded(.down))
        for m in [5.0, 2, 1] where m * p <= limit { return m * p }
        return p
    }

    /// Two bars, metric above imperial, each a round length at most 120 px long.
    func scaleBar(_ viewport: MapViewport) -> HTML {
        let maxMeters = 120 * viewport.metersPerPixel
        let meters = Self.roundLength(below: maxMeters)
        let metricText = meters >= 1_000 ? "\(FixedText.grouped(Int(meters / 1_000))) km" : "\(Int(meters)) m"
        let footMeters = 0.3048, mileMeters = 1_609.344
        let imperialMeters: Double, imperialText: String
        if maxMeters >= 0.5 * mileMeters {
            let miles = Self.roundLength(below: maxMeters / mileMeters)
            imperialMeters = miles * mileMeters
            imperialText = miles >= 1 ? "\(Int(miles)) mi" : "\(miles) mi"
        } else {
            let feet = Self.roundLength(below: maxMeters / footMeters)
            imperialMeters = feet * footMeters
            imperialText = "\(FixedText.grouped(Int(feet))) ft"
        }
        let x = 10.0, y = viewport.heightPixels - 30
        let mw = meters / viewport.metersPerPixel, iw = imperialMeters / viewport.metersPerPixel
        return """
            <g class="zc-scale" data-scale-meters="\(Int(meters))" font-size="10" fill="#222">\
            <rect x="\(x - 4, decimals: 1)" y="\(y - 14, decimals: 1)" width="\(max(mw, iw) + 48, decimals: 1)" height="38" fill="#fff" fill-opacity="0.85"/>\
            <path d="M\(x, decimals: 1) \(y - 4, decimals: 1)v4h\(mw, decimals: 1)v-4" fill="none" stroke="#222" stroke-width="1.5"/>\
            <text x="\(x + mw + 4, decimals: 1)" y="\(y, decimals: 1)">\(metricText)</text>\
            <path d="M\(x, decimals: 1) \(y + 14, decimals: 1)v-4h\(iw, decimals: 1)v4" fill="none" stroke="#222" stroke-width="1.5"/>\
            <text x="\(x + iw + 4, decimals: 1)" y="\(y + 18, decimals: 1)">\(imperialText)</text></g>
            """
    }

    /// Grid north, which in the jurisdiction's own transverse Mercator is true north at its central meridian (and
    /// within a fraction of a degree across a city).
    func northArrow(_ viewport: MapViewport) -> HTML {
        let x = viewport.widthPixels - 20
        return """
            <g class="zc-north" aria-label="North"><path d="M\(x, decimals: 1) 10l7 22-7-5-7 5z" fill="#222"/>\
            <text x="\(x, decimals: 1)" y="46" text-anchor="middle" font-size="12" font-weight="bold" fill="#222">N</text></g>
            """
    }

    /// The legend: one row per drawn layer (and nothing else), in `frame` (`legendFrame`).
    func legendBox(_ layers: [MapLayer], frame: PixelBox) -> HTML {
        guard !layers.isEmpty else { return .empty }
        let rows = layers.enumerated().map { k, layer -> HTML in
            let y = frame.minY + 18 + Double(k) * Self.legendRowPixels
            return """
                <g data-legend="\(layer.key)">\(swatch(layer, x: frame.minX + 8, y: y))\
                <text x="\(frame.minX + 40, decimals: 1)" y="\(y + 4, decimals: 1)">\(layer.label)</text></g>
                """
        }
        return """
            <g class="zc-legend" font-size="10.5" fill="#222"><rect x="\(frame.minX, decimals: 1)" y="\(frame.minY, decimals: 1)" \
            width="\(frame.maxX - frame.minX, decimals: 1)" height="\(frame.maxY - frame.minY, decimals: 1)" fill="#fff" fill-opacity="0.9" \
            stroke="#999" stroke-width="0.5"/><text x="\(frame.minX + 8, decimals: 1)" y="\(frame.minY + 8, decimals: 1)" \
            font-weight="bold">Legend</text>\(rows)</g>
            """
    }

    /// A 24 px wide sample of how a layer is drawn, centred vertically on y.
    func swatch(_ layer: MapLayer, x: Double, y: Double) -> HTML {
        func line(_ colour: String, _ width: Double, _ dash: String?) -> HTML {
            let d: HTML = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            return "<path d=\"M\(x, decimals: 1) \(y, decimals: 1)h24\" stroke=\"\(colour)\" stroke-width=\"\(width, decimals: 1)\"\(d) fill=\"none\"/>"
        }
        switch layer.key {
        case MapLayer.tiles.key: return "<rect x=\"\(x, decimals: 1)\" y=\"\(y - 5, decimals: 1)\" width=\"24\" height=\"10\" fill=\"#e4e2dc\"/>"
        case MapLayer.surface.key:
            let ramp = [MapStyle.surfaceRamp[1], MapStyle.surfaceRamp[3], MapStyle.surfaceRamp[5]].enumerated().map { k, colour -> HTML in
                "<rect x=\"\(x + Double(k) * 8, decimals: 1)\" y=\"\(y - 5, decimals: 1)\" width=\"8\" height=\"10\" fill=\"\(colour)\"/>"
            }
            return "\(ramp)"
        case MapLayer.boundary.key: return line("#3a3a3a", 1.6, "10 3 2 3")
        case MapLayer.cells.key:
            return "<rect x=\"\(x + 7, decimals: 1)\" y=\"\(y - 5, decimals: 1)\" width=\"10\" height=\"10\" fill=\"none\" stroke=\"#8a8a8a\"/>"
        default: break
        }
        for c in StreetClass.allCases where layer == .streets(c) { return line(MapStyle.streetGrey(c), MapStyle.streetWidth(c), nil) }
        for s in MapZoneStatus.allCases where layer == .zones(s) {
            let stroke = MapStyle.zoneStroke(s)
            return line(MapStyle.zoneColour(0), stroke.width, stroke.dash)
        }
        for c in HarmCategory.allCases where layer == .incidents(c) {
            var path = SVGPathBuilder()
            MapStyle.marker(c, x: x + 12, y: y, r: 4, into: &path)
            let colour = MapStyle.categoryColour(c)
            return MapStyle.markerIsStroked(c)
                ? "<path d=\"\(path.path)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"/>"
                : "<path d=\"\(path.path)\" fill=\"\(colour)\"/>"
        }
        if layer == .markers {
            return "<path d=\"M\(x + 12, decimals: 1) \(y - 6, decimals: 1)l4.5 6-4.5 6-4.5-6z\" fill=\"\(MapStyle.markerColour)\"/>"
        }
        if let colour = layer.swatchColour {
            return "<rect x=\"\(x, decimals: 1)\" y=\"\(y - 5, decimals: 1)\" width=\"24\" height=\"10\" fill=\"\(colour)\" fill-opacity=\"0.6\"/>"
        }
        return .empty
    }
}
