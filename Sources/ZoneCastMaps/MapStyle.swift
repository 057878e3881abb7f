public import ZoneCastCore
public import ZoneCastStreets
import Foundation

/// One drawn layer, as both the SVG group (`data-layer="key"`) and the legend entry (`data-legend="key"`) name it,
/// so a test can check that the legend lists exactly what was drawn.
public struct MapLayer: Hashable, Sendable, Comparable {
    public let key: String
    public let label: String
    /// The fill of a shaded area's legend swatch (`MapArea`); nil for the fixed layers.
    public var swatchColour: String? = nil

    public static let tiles = MapLayer(key: "tiles", label: "Base map")
    public static let surface = MapLayer(key: "surface", label: "Forecast risk (darker = higher)")
    public static let boundary = MapLayer(key: "boundary", label: "Jurisdiction boundary")
    public static let cells = MapLayer(key: "cells", label: "Grid cells (select to adjust)")
    public static func streets(_ c: StreetClass) -> MapLayer { MapLayer(key: "streets-\(c.rawValue)", label: MapStyle.streetLabel(c)) }
    public static func zones(_ s: MapZoneStatus) -> MapLayer {
        MapLayer(key: "zones-\(s.rawValue)", label: s == .active ? "Zone in force (solid outline)" : "Proposed zone (dashed outline)")
    }
    public static func incidents(_ c: HarmCategory) -> MapLayer { MapLayer(key: "incidents-\(c.rawValue)", label: MapStyle.categoryLabel(c)) }

    public static func < (a: MapLayer, b: MapLayer) -> Bool { a.key < b.key }
}

/// Colours, widths and shapes, in one place.
///
/// - Streets: greys, wider and darker for larger classes, so they read in greyscale print and stay behind zones.
/// - Surface: a light sequential grey-blue ramp (`surfaceRamp`), low in saturation, so it never looks like a zone.
/// - Zones: the Okabe-Ito colour-blind-safe palette (Okabe & Ito 2008) in its strong hues, as bold outlines;
///   active solid 3.5 px, proposed dashed 8-4 at 2.5 px, which stay apart when printed in grey.
/// - Incidents: one shape per category (and an Okabe-Ito colour), so categories are told apart without colour.
public enum MapStyle {
    public static let zonePalette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
    public static let surfaceRamp = ["#eef1f5", "#dfe5ec", "#cfd8e2", "#bccad7", "#a8bacb", "#93a9bf"]
    /// Marked places (intelligence): a purple no zone or category uses.
    public static let markerColour = "#6a1b9a"

    public static func zoneColour(_ index: Int) -> String { zonePalette[index % zonePalette.count] }

    /// (stroke width px, dash) per status.
    public static func zoneStroke(_ s: MapZoneStatus) -> (width: Double, dash: String?) {
        s == .active ? (3.5, nil) : (2.5, "8 4")
    }

    public static func streetWidth(_ c: StreetClass) -> Double {
        switch c {
        case .motorway: 5
        case .trunk: 4.5
        case .primary: 4
        case .secondary: 3
        case .tertiary: 2.4
        case .residential: 1.4
        case .service: 0.8
        case .other: 1
        }
    }

    public static func streetGrey(_ c: StreetClass) -> String {
        switch c {
        case .motorway: "#6b6b6b"
        case .trunk: "#777777"
        case .primary: "#828282"
        case .secondary: "#909090"
        case .tertiary: "#9c9c9c"
        case .residential: "#a2a2a2"
        case .service: "#bababa"
        case .other: "#adadad"
        }
    }

    static func streetLabel(_ c: StreetClass) -> String {
        switch c {
        case .motorway: "Motorway / interstate"
        case .trunk: "Trunk road / highway"
        case .primary: "Primary street"
        case .secondary: "Secondary street"
        case .tertiary: "Tertiary street"
        case .residential: "Residential street"
        case .service: "Service road"
        case .other: "Other road"
        }
    }

    public static func categoryColour(_ c: HarmCategory) -> String {
        switch c {
        case .homicide: "#000000"
        case .nonFatalShooting: "#d55e00"
        case .driveByShooting: "#cc79a7"
        case .shotsFired: "#b8860b"
        case .fatalTrafficCrash: "#0072b2"
        case .drugOverdose: "#009e73"
        case .aggravatedAssault: "#e69f00"
        case .robbery: "#56b4e9"
        case .other: "#7f7f7f"
        }
    }

    static func categoryLabel(_ c: HarmCategory) -> String {
        c.rawValue.replacingOccurrences(of: "_", with: " ").capitalizedFirst
    }

    /// The marker of a category as path data centred on (x, y), radius r: a distinct shape for each.
    static func marker(_ c: HarmCategory, x: Double, y: Double, r: Double, into path: inout SVGPathBuilder) {
        switch c {
        case .homicide: path.cross(x, y, r)
        case .nonFatalShooting: path.polygon(x, y, r, sides: 3, rotation: 0)
        case .driveByShooting: path.polygon(x, y, r, sides: 3, rotation: .pi)
        case .shotsFired: path.polygon(x, y, r, sides: 4, rotation: 0)
        case .fatalTrafficCrash: path.polygon(x, y, r * 0.9, sides: 4, rotation: .pi / 4)
        case .drugOverdose: path.plus(x, y, r)
        case .aggravatedAssault: path.polygon(x, y, r * 0.8, sides: 12, rotation: 0)
        case .robbery: path.polygon(x, y, r, sides: 5, rotation: 0)
        case .other: path.polygon(x, y, r * 0.8, sides: 6, rotation: 0)
        }
    }

    /// Crosses and pluses are strokes; the rest are filled outlines.
    static func markerIsStroked(_ c: HarmCategory) -> Bool { c == .homicide || c == .drugOverdose }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
