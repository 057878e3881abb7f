import ZoneCastHTML

/// A map figure per view, kept with the data it was drawn from (the zone page's sections, cached while the data is
/// unchanged): a zone's year of incidents drawn as markers was the largest single cost of serving the zone page,
/// and everyone who opens the zone asks for the same few views.
final class RenderedFigures: Sendable {
    /// Views kept per figure; pan and zoom links make more possible, and the oldest go first.
    static let capacity = 16

    private let figures = RenderedParts<HTML>(capacity: RenderedFigures.capacity)

    /// The figure for `request`'s view, drawn by `draw` the first time that view is asked for.
    func figure(for request: MapRequest, draw: (MapRequest) -> HTML) -> HTML {
        figures.value(for: request.figureKey) { draw(request) }
    }
}

extension MapRequest {
    /// Everything of the request a figure's markup depends on.
    var figureKey: String {
        "\(zoom)|\(east)|\(north)|\(path)|\(tileURLTemplate ?? "")|\(streets == nil ? "no streets" : "streets \(streetsVersion)")"
    }
}
