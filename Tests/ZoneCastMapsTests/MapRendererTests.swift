import Foundation
import Testing
import ZoneCastCore
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastStreets
import ZoneCastSynthetic

@Suite("The map component")
struct MapRendererTests {
    let renderer = MapRenderer(projection: MapFixtures.projection)

    @Test("given every kind of content when rendered then the legend lists exactly the layers drawn")
    func legendMatchesDrawn() throws {
        // Given: a zone view around both zones, and a city-wide view with only streets and the boundary.
        let zoneView = try MapViewport(fitting: PlanarBoundingBox(minX: -300, minY: 0, maxX: 1_800, maxY: 1_500), widthPixels: 800, marginMeters: 100)
        let cityView = try MapViewport(fitting: try #require(MapFixtures.city.jurisdiction.boundary.boundingBox.map { b in
            PlanarBoundingBox(minX: -10_500, minY: -8_200, maxX: 10_500, maxY: 8_200) }), widthPixels: 720)
        for (content, view) in [(MapFixtures.full(), zoneView),
                                (MapContent(boundary: MapFixtures.city.jurisdiction.boundary, streets: MapFixtures.layer), cityView)] {
            // When
            let map = renderer.render(content, in: view, title: "Test map")
            // Then
            let drawn = Set(MapFixtures.attributeValues("data-layer", in: map.svg.rendered))
            let listed = MapFixtures.attributeValues("data-legend", in: map.svg.rendered)
            #expect(Set(listed) == drawn)
            #expect(listed.count == Set(listed).count)
            #expect(map.legend.map(\.key) == listed)
        }
        // The full zone view draws every kind; the city view leaves residential streets out, and the legend with them.
        let full = renderer.render(MapFixtures.full(), in: zoneView, title: "Zone view")
        #expect(Set(full.legend.map(\.key)).isSuperset(of: ["tiles", "surface", "boundary", "cells", "zones-active", "zones-proposed",
                                                            "streets-residential", "streets-secondary", "incidents-robbery"]))
        let city = renderer.render(MapContent(streets: MapFixtures.layer), in: cityView, title: "City")
        #expect(!city.legend.contains(.streets(.residential)) && city.legend.contains(.streets(.motorway)))
    }

    @Test("given a zone view when street labels are placed then no two labels overlap and all lie inside the map")
    func labelsDoNotOverlap() throws {
        // Given: a view at block scale (2 m per pixel), where residential names are labelled too.
        let view = try MapViewport(center: PlanarPoint(xMeters: 500, yMeters: 800), metersPerPixel: 2, widthPixels: 900, heightPixels: 700)
        // When
        let map = renderer.render(MapFixtures.full(), in: view, title: "Labels")
        // Then
        let streetLabels = map.labels.filter { !["Z1", "P2"].contains($0.text) }
        #expect(streetLabels.count >= 4)
        for (i, a) in map.labels.enumerated() {
            #expect(a.minX >= 0 && a.minY >= 0 && a.maxX <= view.widthPixels && a.maxY <= view.heightPixels)
            for b in map.labels[(i + 1)...] {
                let overlap = a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY
                #expect(!overlap, "\(a.text) overlaps \(b.text)")
            }
        }
        // No street label under the legend (drawn last, it would hide them).
        let legend = try #require(map.legendBox)
        #expect(streetLabels.allSatisfy { $0.maxY <= legend.minY || $0.minY >= legend.maxY || $0.maxX <= legend.minX || $0.minX >= legend.maxX })
        // Every label placed is written once in the SVG.
        for label in streetLabels { #expect(map.svg.rendered.contains(">\(HTML(text: label.text).rendered)</text>")) }
    }

    @Test("given a street named <script> when labelled then the name is escaped")
    func escapesNames() throws {
        // Given
        let hostile = "<script>alert('x')</script> & Co"
        let p = MapFixtures.projection.prepared()
        let street = Street(name: hostile, streetClass: .primary, points: [p.unproject(PlanarPoint(xMeters: -400, yMeters: 0)),
                                                                           p.unproject(PlanarPoint(xMeters: 400, yMeters: 0))])
        let layer = StreetLayer(streets: [street], projection: MapFixtures.projection)
        let view = try MapViewport(center: PlanarPoint(xMeters: 0, yMeters: 0), metersPerPixel: 1, widthPixels: 900, heightPixels: 400)
        // When
        let map = renderer.render(MapContent(streets: layer), in: view, title: hostile)
        // Then
        #expect(map.labels.map(\.text) == [hostile])
        #expect(!map.svg.rendered.contains("<script"))
        #expect(map.svg.rendered.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"))
    }

    @Test("given an active and a proposed zone when drawn then their outlines differ in dash and weight, not only colour")
    func greyscaleDistinguishable() throws {
        // Given
        let view = try MapViewport(fitting: PlanarBoundingBox(minX: -300, minY: 0, maxX: 1_800, maxY: 1_500), widthPixels: 800)
        // When
        let svg = renderer.render(MapContent(lattice: MapFixtures.lattice, zones: [MapFixtures.activeZone, MapFixtures.proposedZone]),
                                  in: view, title: "Zones").svg.rendered
        // Then: each zone group's outline path (the one with fill="none") and its stroke attributes.
        func outline(_ status: String) throws -> String {
            let group = try #require(svg.range(of: "data-layer=\"zones-\(status)\"").map { String(svg[$0.lowerBound...]) })
            let start = try #require(group.range(of: "fill=\"none\""))
            return String(group[start.lowerBound..<(group[start.lowerBound...].range(of: "/>")?.lowerBound ?? group.endIndex)])
        }
        let active = try outline("active"), proposed = try outline("proposed")
        #expect(!active.contains("stroke-dasharray"))
        #expect(proposed.contains("stroke-dasharray=\"8 4\""))
        let widths = [active, proposed].map { MapFixtures.attributeValues("stroke-width", in: $0).first }
        #expect(widths[0] != nil && widths[1] != nil && widths[0] != widths[1])
    }

    @Test("given viewports at several zoom levels when tiles are drawn then they cover the view at a matching tile zoom")
    func tilesAtEveryZoom() throws {
        var zooms = [Int]()
        for level in 0..<5 {
            // Given
            let view = try MapViewport(center: PlanarPoint(xMeters: 0, yMeters: 0), metersPerPixel: 30, widthPixels: 720, heightPixels: 500)
                .zoomed(by: level)
            // When
            let svg = renderer.render(MapContent(tileURLTemplate: "https://t.example/{z}/{x}/{y}.png"), in: view, title: "Tiles").svg.rendered
            // Then: images whose union covers the whole view.
            let zoom = try #require(MapFixtures.attributeValues("data-tile-zoom", in: svg).first.flatMap { Int($0) })
            zooms.append(zoom)
            let xs = MapFixtures.attributeValues("x", in: svg).compactMap(Double.init), ys = MapFixtures.attributeValues("y", in: svg).compactMap(Double.init)
            let ws = MapFixtures.attributeValues("width", in: svg).dropFirst().compactMap(Double.init)
            let hs = MapFixtures.attributeValues("height", in: svg).dropFirst().compactMap(Double.init)
            let hrefs = MapFixtures.attributeValues("href", in: svg)
            #expect(hrefs.allSatisfy { $0.hasPrefix("https://t.example/\(zoom)/") })
            for (px, py) in [(1.0, 1.0), (view.widthPixels - 1, 1), (1, view.heightPixels - 1), (view.widthPixels / 2, view.heightPixels / 2)] {
                let covered = hrefs.indices.contains { k in
                    k < ws.count && k < hs.count && px >= xs[k] && px <= xs[k] + ws[k] && py >= ys[k] && py <= ys[k] + hs[k]
                }
                #expect(covered, "pixel (\(px), \(py)) at zoom level \(level) has no tile")
            }
        }
        // Each level in halves metres per pixel: one more tile zoom each time.
        #expect(zooms == Array(zooms[0]..<(zooms[0] + 5)))
    }

    @Test("given scales from blocks to the city when the scale bar is drawn then its length is a round number of metres")
    func roundScaleBar() throws {
        for mpp in [0.7, 2, 9, 33, 120] {
            let view = try MapViewport(center: PlanarPoint(xMeters: 0, yMeters: 0), metersPerPixel: mpp, widthPixels: 600, heightPixels: 400)
            let svg = renderer.render(MapContent(), in: view, title: "Scale").svg.rendered
            let meters = try #require(MapFixtures.attributeValues("data-scale-meters", in: svg).first.flatMap { Double($0) })
            let exponent = pow(10, log10(meters).rounded(.down))
            #expect([1.0, 2, 5].contains(meters / exponent))
            #expect(meters / mpp <= 120 && meters / mpp > 120 / 5 - 1e-9)
        }
    }

    @Test("given clickable cells when drawn then each visible cell is an element carrying its id")
    func clickableCells() throws {
        let view = try MapViewport(fitting: PlanarBoundingBox(minX: -300, minY: 0, maxX: 1_800, maxY: 1_500), widthPixels: 800)
        let cells = MapFixtures.cells(x: 0 ... 600, y: 600 ... 1_200) + [MapFixtures.lattice.cell(containing: PlanarPoint(xMeters: 9_000, yMeters: 7_000))!]
        let svg = renderer.render(MapContent(lattice: MapFixtures.lattice, clickableCells: cells), in: view, title: "Cells").svg.rendered
        // The far cell is out of view and not drawn.
        #expect(MapFixtures.attributeValues("data-cell", in: svg) == cells.dropLast().map(String.init))
    }
}
