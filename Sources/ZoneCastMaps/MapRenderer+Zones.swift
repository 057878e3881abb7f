import Foundation
import ZoneCastCore
import ZoneCastHTML
import ZoneCastStreets

extension MapRenderer {
    /// The cells of the lattice that the viewport can show, as column and row ranges (nil when none).
    static func visibleRange(_ lattice: CellLattice, _ view: PlanarBoundingBox) -> (ClosedRange<Int>, ClosedRange<Int>)? {
        let s = lattice.cellSizeMeters
        func index(_ v: Double, _ origin: Double) -> Int { Int(((v - origin) / s).rounded(.down)) }
        let c0 = max(0, index(view.minX, lattice.originX)), c1 = min(lattice.columns - 1, index(view.maxX, lattice.originX))
        let r0 = max(0, index(view.minY, lattice.originY)), r1 = min(lattice.rows - 1, index(view.maxY, lattice.originY))
        guard c0 <= c1, r0 <= r1 else { return nil }
        return (c0...c1, r0...r1)
    }

    /// The surface as a muted background: the highest `surfaceCellLimit` cells in view, in six classes of the
    /// light grey-blue ramp by √(value / the surface's maximum), one path per class. The maximum is the whole
    /// surface's, so a cell keeps its shade in every zoom view.
    func surface(_ values: [Double], lattice: CellLattice, viewport: MapViewport) -> HTML? {
        guard values.count == lattice.cellCount, let high = values.max(), high > 0, high.isFinite,
              let (cols, rows) = Self.visibleRange(lattice, viewport.bounds) else { return nil }
        var cells = [Int]()
        for r in rows { for c in cols { let i = r * lattice.columns + c; if values[i] > 0 { cells.append(i) } } }
        if cells.count > surfaceCellLimit {
            cells.sort { (values[$0], $1) > (values[$1], $0) }
            cells.removeLast(cells.count - surfaceCellLimit)
        }
        guard !cells.isEmpty else { return nil }
        let classes = MapStyle.surfaceRamp.count
        var paths = [SVGPath](repeating: SVGPath(), count: classes)
        let side = max(0.6, lattice.cellSizeMeters / viewport.metersPerPixel)
        for i in cells {
            let k = min(classes - 1, Int((values[i] / high).squareRoot() * Double(classes)))
            let sq = lattice.square(of: i)
            let corner = PlanarPoint(xMeters: sq.minX, yMeters: sq.maxY)
            paths[k].move(toX: viewport.x(corner), y: viewport.y(corner))
            paths[k].horizontal(by: side)
            paths[k].vertical(by: side)
            paths[k].horizontal(by: -side)
            paths[k].close()
        }
        let groups = paths.enumerated().filter { !$0.element.isEmpty }.map { k, path -> HTML in
            "<path fill=\"\(MapStyle.surfaceRamp[k])\" d=\"\(path)\"/>"
        }
        return "<g data-layer=\"surface\" stroke=\"none\">\(groups)</g>"
    }

    /// Zones as bold outlines of their cell union (edges between a zone cell and a non-zone cell), a faint fill, and
    /// a label at the top-left cell. Labels are placed before street labels and always drawn. Also returns the pixel
    /// boxes of the drawn cells and labels: what the legend must not cover.
    func zones(_ zones: [MapZone], lattice: CellLattice, viewport: MapViewport, placer: inout LabelPlacer)
        -> ([HTML], [MapZoneStatus], [MapLabel], covered: [PixelBox]) {
        var groups = [HTML](), statuses = Set<MapZoneStatus>(), labels = [MapLabel](), covered = [PixelBox]()
        let view = viewport.bounds
        for (index, zone) in zones.enumerated() {
            let set = Set(zone.cells.filter { $0 >= 0 && $0 < lattice.cellCount })
            guard !set.isEmpty else { continue }
            let squares = set.map(lattice.square)
            guard squares.contains(where: { $0.maxX >= view.minX && $0.minX <= view.maxX && $0.maxY >= view.minY && $0.minY <= view.maxY }) else { continue }
            var outline = SVGPath(reservingCapacity: set.count * 24), fill = SVGPath(reservingCapacity: set.count * 24)
            let side = lattice.cellSizeMeters / viewport.metersPerPixel
            for c in set.sorted() {
                let sq = lattice.square(of: c)
                let x0 = viewport.x(PlanarPoint(xMeters: sq.minX, yMeters: 0)), x1 = viewport.x(PlanarPoint(xMeters: sq.maxX, yMeters: 0))
                let y0 = viewport.y(PlanarPoint(xMeters: 0, yMeters: sq.maxY)), y1 = viewport.y(PlanarPoint(xMeters: 0, yMeters: sq.minY))
                covered.append(PixelBox(minX: x0, minY: y0, maxX: x1, maxY: y1))
                fill.move(toX: x0, y: y0); fill.horizontal(by: side); fill.vertical(by: side); fill.horizontal(by: -side); fill.close()
                let col = c % lattice.columns
                if col == 0 || !set.contains(c - 1) { outline.move(toX: x0, y: y0); outline.line(toX: x0, y: y1) }
                if col == lattice.columns - 1 || !set.contains(c + 1) { outline.move(toX: x1, y: y0); outline.line(toX: x1, y: y1) }
                if !set.contains(c + lattice.columns) { outline.move(toX: x0, y: y0); outline.line(toX: x1, y: y0) }
                if !set.contains(c - lattice.columns) { outline.move(toX: x0, y: y1); outline.line(toX: x1, y: y1) }
            }
            let colour = MapStyle.zoneColour(index)
            let stroke = MapStyle.zoneStroke(zone.status)
            let dash: HTML = stroke.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            // Label just inside the top-left corner of the top row's left-most cell.
            let top = set.max { (lattice.cellRow($0), -lattice.cellColumn($0)) < (lattice.cellRow($1), -lattice.cellColumn($1)) }!
            let corner = lattice.square(of: top)
            let lx = viewport.x(PlanarPoint(xMeters: corner.minX, yMeters: 0)) + 4, ly = viewport.y(PlanarPoint(xMeters: 0, yMeters: corner.maxY)) + 4
            let width = Double(zone.label.count) * 8.5 + 6
            let box = PixelBox(minX: lx - 2, minY: ly - 2, maxX: lx + width, maxY: ly + 17)
            placer.reserve(box)
            covered.append(box)
            labels.append(MapLabel(text: zone.label, x: lx, y: ly, angleDegrees: 0, minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: box.maxY))
            let shape: HTML = """
                <path d="\(fill)" fill="\(colour)" fill-opacity="0.08" stroke="none"/>\
                <path d="\(outline)" fill="none" stroke="\(colour)" stroke-width="\(stroke.width, decimals: 1)"\(dash) stroke-linecap="square"/>\
                <text x="\(lx, decimals: 1)" y="\(ly, decimals: 1)" dominant-baseline="hanging" font-size="14" font-weight="bold" fill="\(colour)" \
                stroke="#fff" stroke-width="3" paint-order="stroke">\(zone.label)</text>
                """
            // A zone with a note (an upcoming cycle's, drawn like one in force) says it in a tooltip even without a link.
            let title: HTML = "<title>\(zone.label) (\(zone.note ?? zone.status.rawValue))</title>"
            let linked: HTML = zone.link.map { "<a href=\"\($0)\">\(title)\(shape)</a>" } ?? (zone.note == nil ? shape : "\(title)\(shape)")
            groups.append("<g data-layer=\"zones-\(zone.status)\" data-zone=\"\(zone.id)\" data-status=\"\(zone.status)\">\(linked)</g>")
            statuses.insert(zone.status)
        }
        return (groups, MapZoneStatus.allCases.filter(statuses.contains), labels, covered)
    }

    /// Incidents in view, one path per category in its shape and colour.
    func incidents(_ incidents: [MapIncident], viewport: MapViewport) -> ([HTML], [HarmCategory]) {
        let view = viewport.bounds
        // One builder per category, mutated in place in an array (a dictionary's value taken out and put back would
        // copy the whole path on every marker).
        let all = HarmCategory.allCases
        var paths = [SVGPathBuilder](repeating: SVGPathBuilder(), count: all.count)
        let r = 3.6
        for i in incidents where view.contains(i.position) {
            let k = all.firstIndex(of: i.category)!
            MapStyle.marker(i.category, x: viewport.x(i.position), y: viewport.y(i.position), r: r, into: &paths[k])
        }
        let categories = all.enumerated().filter { !paths[$0.offset].path.isEmpty }.map(\.element)
        let groups = categories.map { c -> HTML in
            let colour = MapStyle.categoryColour(c)
            let paint: HTML = MapStyle.markerIsStroked(c)
                ? "fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\""
                : "fill=\"\(colour)\" fill-opacity=\"0.85\" stroke=\"#fff\" stroke-width=\"0.6\""
            return "<g data-layer=\"incidents-\(c.rawValue)\" \(paint)><path d=\"\(paths[all.firstIndex(of: c)!].path)\"/></g>"
        }
        return (groups, categories)
    }
}

extension CellLattice {
    func cellRow(_ cell: Int) -> Int { cell / columns }
    func cellColumn(_ cell: Int) -> Int { cell % columns }
}
