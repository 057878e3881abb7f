import Foundation
import Testing
import ZoneCastCore
import ZoneCastHTML
import ZoneCastMaps
import ZoneCastStreets
import ZoneCastSynthetic

/// Shaded areas (the outcomes page's buffer rings and comparison places) and marked places (intelligence), which
/// the dashboard, outcomes and intelligence maps needed when they moved from the old MapCanvas to the component.
@Suite("Map areas and markers")
struct MapOverlaysTests {
    let renderer = MapRenderer(projection: MapFixtures.projection)

    @Test("given areas and markers in and out of view when rendered then only those in view are drawn, each area part carries its id and tooltip, and the legend lists exactly the kinds drawn")
    func drawnInViewOnly() throws {
        // Given: a view of about 2 km around the origin; one area kind in view, one far outside; a marker in view, one outside.
        let view = try MapViewport(fitting: PlanarBoundingBox(minX: -1_000, minY: -1_000, maxX: 1_000, maxY: 1_000), widthPixels: 600)
        var content = MapContent(lattice: MapFixtures.lattice, boundary: MapFixtures.city.jurisdiction.boundary)
        content.areas = [
            MapArea(key: "buffers", label: "Buffer ring (400 m)", colour: "#e69f00",
                    parts: [MapArea.Part(id: "C1/Z1", title: "Ring of C1/Z1", cells: MapFixtures.cells(x: 0 ... 300, y: 0 ... 300))]),
            MapArea(key: "faraway", label: "Far away", colour: "#009e73", parts: [MapArea.Part(cells: MapFixtures.cells(x: 8_000 ... 8_300, y: 6_000 ... 6_300))]),
        ]
        content.markers = [MapMarker(position: PlanarPoint(xMeters: 100, yMeters: -200), title: "Tip: <dispute>"),
                           MapMarker(position: PlanarPoint(xMeters: 9_000, yMeters: 7_000), title: "Far tip")]
        // When
        let map = renderer.render(content, in: view, title: "Overlays")
        let svg = map.svg.rendered
        // Then
        #expect(svg.contains("data-layer=\"area-buffers\"") && svg.contains("data-part=\"C1/Z1\"") && svg.contains("<title>Ring of C1/Z1</title>"))
        #expect(!svg.contains("area-faraway"))
        #expect(svg.contains("data-layer=\"markers\"") && svg.contains("Tip: &lt;dispute&gt;") && !svg.contains("Far tip"))
        let legend = map.legend.map(\.key)
        #expect(legend.contains("area-buffers") && legend.contains("markers") && !legend.contains("area-faraway"))
        #expect(Set(MapFixtures.attributeValues("data-legend", in: svg)) == Set(legend))
        #expect(map.legend.first { $0.key == "area-buffers" }?.label == "Buffer ring (400 m)")
    }
}
