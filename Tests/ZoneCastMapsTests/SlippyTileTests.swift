import Foundation
import Testing
@testable import ZoneCastMaps

/// Moved here from the web tests when the old MapCanvas (which had its own copy of these formulas) was removed:
/// the one map component's tile arithmetic is checked against the same published values.
@Suite("Base-map tile arithmetic")
struct SlippyTileTests {
    @Test("given the OpenStreetMap tile formulas, then a known point maps to its published tile and tile corners invert exactly")
    func slippyTiles() async {
        // Kansas City City Hall (39.0997 N, 94.5786 W). Reference values from the OpenStreetMap wiki's formula
        // (x = floor((lon + 180) / 360 * 2^z), y = floor((1 - asinh(tan(lat)) / pi) / 2 * 2^z)) computed independently
        // in Python: tile 14/3887/6255, whose west edge is -94.59228515625 and whose rows span 39.09596 to 39.11301 N.
        #expect(MapRenderer.tileX(-94.5786, 14) == 3887)
        #expect(MapRenderer.tileY(39.0997, 14) == 6255)
        #expect(abs(MapRenderer.tileLongitude(3887, 14) - (-94.59228515625)) < 1e-9)
        #expect(abs(MapRenderer.tileLatitude(6255, 14) - 39.11301365149974) < 1e-9)
        #expect(abs(MapRenderer.tileLatitude(6256, 14) - 39.09596293630548) < 1e-9)
    }
}
