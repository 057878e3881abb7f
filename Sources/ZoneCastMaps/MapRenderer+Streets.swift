import Foundation
import ZoneCastCore
import ZoneCastHTML
import ZoneCastStreets

/// A straight run of one named street in pixels, a place its label could go.
struct StreetLabelCandidate {
    let name: String
    let streetClass: StreetClass
    let x0: Double, y0: Double, x1: Double, y1: Double
    var length: Double { ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)).squareRoot() }
}

extension MapRenderer {
    /// Whether a class is drawn at this scale (see the type's documentation).
    static func drawsClass(_ c: StreetClass, metersPerPixel: Double) -> Bool {
        switch c {
        case .service: metersPerPixel <= 12
        case .residential, .other: metersPerPixel <= 25
        default: true
        }
    }

    /// Whether a class is labelled at this scale: tertiary and up always; residential and other streets once zoomed
    /// to blocks (3 m per pixel or closer), where they are most of what there is to name.
    static func labelsClass(_ c: StreetClass, metersPerPixel: Double) -> Bool {
        c.isMajor || (metersPerPixel <= 3 && (c == .residential || c == .other))
    }

    /// One path per drawn class (smallest first, so major roads lie on top), the classes drawn, and label candidates.
    func streets(_ layer: StreetLayer, viewport: MapViewport) -> ([HTML], [StreetClass], [StreetLabelCandidate]) {
        let mpp = viewport.metersPerPixel
        let refs = layer.segments(intersecting: viewport.bounds)
        // Per class by rank, mutated in place (see `incidents`: a dictionary value taken out and put back is copied).
        var paths = [SVGPath](repeating: SVGPath(), count: StreetClass.allCases.count)
        var last = [(Int, Int)](repeating: (-1, -1), count: StreetClass.allCases.count)
        var segmentsByName = [String: (StreetClass, [(Double, Double, Double, Double)])]()
        for ref in refs {
            let placed = layer.streets[ref.street]
            let c = placed.street.streetClass
            guard Self.drawsClass(c, metersPerPixel: mpp) else { continue }
            let (a, b) = layer.endpoints(of: ref)
            let ax = viewport.x(a), ay = viewport.y(a), bx = viewport.x(b), by = viewport.y(b)
            if last[c.rank] == (ref.street, ref.segment - 1) {
                paths[c.rank].line(toX: bx, y: by)
            } else {
                paths[c.rank].move(toX: ax, y: ay)
                paths[c.rank].line(toX: bx, y: by)
            }
            last[c.rank] = (ref.street, ref.segment)
            if !placed.street.name.isEmpty, Self.labelsClass(c, metersPerPixel: mpp) {
                // Left to right (or top to bottom), so collinear pieces of one street chain end to start.
                let forward = ax < bx || (ax == bx && ay < by)
                let seg = forward ? (ax, ay, bx, by) : (bx, by, ax, ay)
                segmentsByName[placed.street.name, default: (c, [])].0 = min(segmentsByName[placed.street.name]?.0 ?? c, c)
                segmentsByName[placed.street.name, default: (c, [])].1.append(seg)
            }
        }
        let classes = StreetClass.allCases.reversed().filter { !paths[$0.rank].isEmpty }
        // Major streets get a white casing under them, so they stand out from the surface and from each other.
        let groups = classes.map { c -> HTML in
            let casing: HTML = c.isMajor
                ? "<path d=\"\(paths[c.rank])\" stroke=\"#ffffff\" stroke-width=\"\(MapStyle.streetWidth(c) + 2, decimals: 1)\"/>" : .empty
            return """
                <g data-layer="streets-\(c.rawValue)" fill="none" stroke-linecap="round" stroke-linejoin="round">\(casing)\
                <path d="\(paths[c.rank])" stroke="\(MapStyle.streetGrey(c))" stroke-width="\(MapStyle.streetWidth(c), decimals: 1)"/></g>
                """
        }
        var candidates = [StreetLabelCandidate]()
        for name in segmentsByName.keys.sorted() {
            let (c, segments) = segmentsByName[name]!
            for run in Self.straightRuns(segments) {
                candidates.append(StreetLabelCandidate(name: name, streetClass: c, x0: run.0, y0: run.1, x1: run.2, y1: run.3))
            }
        }
        return (groups, classes, candidates)
    }

    /// Chains segments (already oriented left to right) into straight runs: a segment continues a run when it
    /// starts within half a pixel of the run's end and turns by less than 10°.
    static func straightRuns(_ segments: [(Double, Double, Double, Double)]) -> [(Double, Double, Double, Double)] {
        func key(_ x: Double, _ y: Double) -> [Int] { [Int((x * 2).rounded()), Int((y * 2).rounded())] }
        var byStart = [[Int]: [Int]]()
        for (i, s) in segments.enumerated() { byStart[key(s.0, s.1), default: []].append(i) }
        var hasPredecessor = Set<Int>()
        for s in segments {
            for j in byStart[key(s.2, s.3)] ?? [] { if turn(s, segments[j]) < 10 { hasPredecessor.insert(j) } }
        }
        var used = Set<Int>(), runs = [(Double, Double, Double, Double)]()
        // Starts first (segments nothing continues into), then whatever is left (closed loops).
        let order = segments.indices.filter { !hasPredecessor.contains($0) } + segments.indices.filter { hasPredecessor.contains($0) }
        for i in order where !used.contains(i) {
            used.insert(i)
            var run = segments[i], current = segments[i]
            while let next = (byStart[key(current.2, current.3)] ?? []).first(where: { !used.contains($0) && turn(current, segments[$0]) < 10 }) {
                used.insert(next)
                current = segments[next]
                run.2 = current.2
                run.3 = current.3
            }
            runs.append(run)
        }
        return runs
    }

    /// Degrees between two segments' directions.
    static func turn(_ a: (Double, Double, Double, Double), _ b: (Double, Double, Double, Double)) -> Double {
        let d = abs(atan2(a.3 - a.1, a.2 - a.0) - atan2(b.3 - b.1, b.2 - b.0)) * 180 / .pi
        return min(d, 360 - d)
    }

    /// Greedy placement, larger classes first, longer runs first; one label per street name, tried at the run's
    /// middle and then at 30 % and 70 % of it. Text runs along the line, never upside down, with a white halo.
    func placeStreetLabels(_ candidates: [StreetLabelCandidate], placer: inout LabelPlacer) -> (HTML, [MapLabel]) {
        let ordered = candidates.sorted { ($0.streetClass.rank, -$0.length, $0.name) < ($1.streetClass.rank, -$1.length, $1.name) }
        var done = Set<String>(), labels = [MapLabel](), texts = [HTML]()
        let height = labelFontSize * 1.25
        for c in ordered where !done.contains(c.name) {
            let width = Double(c.name.count) * labelFontSize * 0.6 + 6
            guard c.length >= width + 4 else { continue }
            var angle = atan2(c.y1 - c.y0, c.x1 - c.x0)
            if angle > .pi / 2 { angle -= .pi } else if angle <= -.pi / 2 { angle += .pi }
            for t in [0.5, 0.3, 0.7] {
                let x = c.x0 + (c.x1 - c.x0) * t, y = c.y0 + (c.y1 - c.y0) * t
                // The label must lie on the run: its half-width from the middle point both ways.
                guard t * c.length >= width / 2 + 2, (1 - t) * c.length >= width / 2 + 2 else { continue }
                let box = PixelBox.around(x: x, y: y, width: width, height: height, angle: angle)
                guard placer.place(box) else { continue }
                let degrees = angle * 180 / .pi
                labels.append(MapLabel(text: c.name, x: x, y: y, angleDegrees: degrees, minX: box.minX, minY: box.minY, maxX: box.maxX, maxY: box.maxY))
                texts.append("""
                    <text x="\(x, decimals: 1)" y="\(y, decimals: 1)" transform="rotate(\(degrees, decimals: 1) \(x, decimals: 1) \(y, decimals: 1))">\
                    \(c.name)</text>
                    """)
                done.insert(c.name)
                break
            }
        }
        let group: HTML = """
            <g data-labels="streets" fill="#222" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke" \
            text-anchor="middle" dominant-baseline="central">\(texts)</g>
            """
        return (group, labels)
    }
}
