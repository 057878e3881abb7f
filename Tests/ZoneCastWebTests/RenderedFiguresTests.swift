import Synchronization
import Testing
import ZoneCastCore
import ZoneCastHTML
import ZoneCastStreets
@testable import ZoneCastWeb

@Suite("Rendered map figures kept per view")
struct RenderedFiguresTests {
    @Test("given a figure drawn for a view, when the same view is asked again, then it is not drawn again; another zoom, path or street version is")
    func keptPerView() throws {
        let figures = RenderedFigures()
        let draws = Mutex(0)
        func figure(_ request: MapRequest) -> String {
            figures.figure(for: request) { r in
                draws.withLock { $0 += 1 }
                return "<svg data-zoom=\"\(r.zoom)\"></svg>"
            }.rendered
        }
        var request = try MapRequest(query: [:], path: "/zones/C1/Z1", tileURLTemplate: nil, streets: nil)
        #expect(figure(request) == "<svg data-zoom=\"0\"></svg>")
        #expect(figure(request) == "<svg data-zoom=\"0\"></svg>")
        #expect(draws.withLock { $0 } == 1)
        request.zoom = 2
        #expect(figure(request) == "<svg data-zoom=\"2\"></svg>")
        request.path = "/officer"
        _ = figure(request)
        #expect(draws.withLock { $0 } == 3)
        // A street layer, then the same layer's next import (another version): each is drawn once.
        request.streets = StreetLayer(streets: [], projection: TransverseMercator(latitudeOfOriginDegrees: 39.1, centralMeridianDegrees: -94.6))
        request.streetsVersion = "v1"
        _ = figure(request)
        _ = figure(request)
        request.streetsVersion = "v2"
        _ = figure(request)
        #expect(draws.withLock { $0 } == 5)
    }
}
