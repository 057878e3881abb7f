import ArgumentParser
import Foundation
import ZoneCastCore
import ZoneCastForecast

/// `--static-layer [NAME=]FILE.geojson` (repeatable): analyst-supplied points (liquor outlets, transit stops, vacant
/// properties) whose distance and density become features of the boosted model.
enum StaticLayerOption {
    static let help: ArgumentHelp = """
        GeoJSON points (liquor outlets, transit stops...) as features of the boosted model (and of auto with \
        --set auto.candidates=thorough): NAME=FILE.geojson, or FILE.geojson named after the file. Repeatable.
        """

    /// The layer's name and path from `NAME=FILE` or `FILE` (the file's name without its extension).
    static func nameAndPath(_ spec: String) -> (name: String, path: String) {
        if let eq = spec.firstIndex(of: "="), !spec[..<eq].contains("/") {
            return (String(spec[..<eq]), String(spec[spec.index(after: eq)...]))
        }
        return (URL(fileURLWithPath: spec).deletingPathExtension().lastPathComponent, spec)
    }

    /// Reads every layer, projected with the jurisdiction's projection. Errors name the option, the file and, from the
    /// GeoJSON reader, the feature's JSON path and the bad value.
    static func read(_ specs: [String], projection: TransverseMercator) throws -> [BoostedTreesModel.StaticLayer] {
        var layers: [BoostedTreesModel.StaticLayer] = []
        for spec in specs {
            let (name, path) = nameAndPath(spec)
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("--static-layer \(spec): cannot read \(path)") }
            guard !layers.contains(where: { $0.name == name }) else {
                throw ValidationError("--static-layer \(spec): a layer named \(name) is given twice (name them: NAME=FILE)")
            }
            do {
                layers.append(try BoostedTreesModel.StaticLayer.geoJSON(data, name: name, projection: projection))
            } catch {
                throw ValidationError("--static-layer \(spec) (\(path)): \(error)")
            }
        }
        return layers
    }

    /// Refuses layers no listed model would read, before any data is loaded.
    static func check(_ specs: [String], models: String, settings: [String]) throws {
        guard !specs.isEmpty else { return }
        let placeholders = specs.map { BoostedTreesModel.StaticLayer(name: nameAndPath($0).name, points: []) }
        do { _ = try ModelCatalog.parse(models, settings: settings, staticLayers: placeholders) } catch {
            throw ValidationError("--static-layer: \(error)")
        }
    }
}
