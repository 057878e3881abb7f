public import Foundation

/// The API's contract as JSON (Generated/openapi.json, written by scripts/generate-api from openapi.yaml), served
/// as it is at /api/openapi.json.
public enum OpenAPIDocument {
    /// Loaded once from the target's resources; a build always carries it (Package.swift copies it).
    public static let json: Data = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"), let data = try? Data(contentsOf: url) else {
            preconditionFailure("openapi.json is missing from ZoneCastAPI's resources")
        }
        return data
    }()
}
