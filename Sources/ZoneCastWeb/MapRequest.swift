import Foundation
import HTTPTypes
import Hummingbird
import ZoneCastStreets

/// What a page's maps need from the request and the configuration: the zoom view asked for in the query string
/// (`?zoom=2&east=-1&north=3`, range-checked here, at the edge), the path the zoom and pan links point back to,
/// the base-map tile template (`--tile-url`) and the street layer (nil until the store holds one).
///
/// It reaches the views as a task-local value set by `MapRequestMiddleware` for the one request (and given the
/// street layer by `StreetLayerMiddleware` on page routes), so every page's maps draw the same streets without each
/// handler and view passing the layer along.
struct MapRequest: Sendable {
    /// Zoom levels relative to each map's default view: each level halves or doubles the metres per pixel.
    static let zoomLevels = -3...8
    /// Pan steps of half a view east (negative: west) and north (negative: south).
    static let panSteps = -40...40

    var zoom = 0
    var east = 0
    var north = 0
    /// The page's path ("/zones/C1/Z1"): zoom and pan links go back to it.
    var path = "/"
    var tileURLTemplate: String?
    var streets: StreetLayer?
    /// The store's version of `streets` ("none" without): rendered figures are kept per version.
    var streetsVersion = "none"
    /// Whether `streets` and `streetsVersion` were read for this request (`StreetLayerMiddleware`, on the page groups),
    /// so the page's zone locations use the same layer without reading the version again.
    var streetsRead = false

    @TaskLocal static var current = MapRequest()

    /// Whether the map is shown as asked (no zoom or pan).
    var isDefaultView: Bool { zoom == 0 && east == 0 && north == 0 }

    /// Reads `zoom`, `east` and `north`, each an integer within its range, checked as text before any conversion;
    /// anything else is refused with a 400 naming the parameter, the value and the range.
    init(query: [String: String], path: String, tileURLTemplate: String?, streets: StreetLayer?) throws(WebError) {
        self.path = path
        self.tileURLTemplate = tileURLTemplate
        self.streets = streets
        zoom = try Self.integer("zoom", query["zoom"], in: Self.zoomLevels)
        east = try Self.integer("east", query["east"], in: Self.panSteps)
        north = try Self.integer("north", query["north"], in: Self.panSteps)
    }

    init() {}

    static func integer(_ name: String, _ text: String?, in range: ClosedRange<Int>) throws(WebError) -> Int {
        guard let text, !text.isEmpty else { return 0 }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text), range.contains(value) else {
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            throw WebError(.badRequest, "map view: \(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(shown)\"")
        }
        return value
    }

    /// The link to this page with another view of its maps, back at the map `anchor`.
    func link(zoom: Int, east: Int, north: Int, anchor: String) -> String {
        var items = [String]()
        if zoom != 0 { items.append("zoom=\(zoom)") }
        if east != 0 { items.append("east=\(east)") }
        if north != 0 { items.append("north=\(north)") }
        return path + (items.isEmpty ? "" : "?" + items.joined(separator: "&")) + "#" + anchor
    }
}

/// Sets `MapRequest.current` for each request, serves the maps' same-origin script, and lets the configured tile
/// server's origin (and only it) into every page's `img-src`, so `--tile-url` tiles load under every map.
struct MapRequestMiddleware<Context: RequestContext>: RouterMiddleware {
    let tileURLTemplate: String?
    let tileOrigin: String?

    init(configuration: WebConfiguration) {
        tileURLTemplate = configuration.tileURLTemplate
        tileOrigin = configuration.tileOrigin
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == MapScript.path {
            guard request.method == .get || request.method == .head else { throw WebError(.notFound, "no such page") }
            return MapScript.response
        }
        var query = [String: String]()
        for key in ["zoom", "east", "north"] {
            if let v = request.uri.queryParameters[Substring(key)] { query[key] = String(v) }
        }
        let map = try MapRequest(query: query, path: request.uri.path, tileURLTemplate: tileURLTemplate, streets: nil)
        var response = try await MapRequest.$current.withValue(map) { try await next(request, context) }
        if let origin = tileOrigin, let csp = response.headers[.contentSecurityPolicy], !csp.contains("img-src 'self' data: \(origin);") {
            response.headers[.contentSecurityPolicy] = csp.replacingOccurrences(of: "img-src 'self' data:;", with: "img-src 'self' data: \(origin);")
        }
        return response
    }
}

/// Gives the request's maps the street layer (`WebEnvironment.streetLayer()`, built once per street import). On the
/// page route groups only, after sign-in and the permission check: API calls, health checks and anonymous requests
/// never read the street version, and a page pays one small read for it.
struct StreetLayerMiddleware<Context: RequestContext>: RouterMiddleware {
    let env: WebEnvironment

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var map = MapRequest.current
        (map.streets, map.streetsVersion) = try await env.streetLayers.versionedLayer(in: env.store)
        map.streetsRead = true
        return try await MapRequest.$current.withValue(map) { try await next(request, context) }
    }
}

extension WebConfiguration {
    /// The tile server's origin ("http://tiles.local:8081"), which the pages' Content-Security-Policy must allow.
    var tileOrigin: String? {
        guard let t = tileURLTemplate,
              let url = URL(string: ["{z}", "{x}", "{y}"].reduce(t) { $0.replacingOccurrences(of: $1, with: "0") }),
              let scheme = url.scheme, let host = url.host else { return nil }
        return "\(scheme)://\(host)\(url.port.map { ":\($0)" } ?? "")"
    }
}
