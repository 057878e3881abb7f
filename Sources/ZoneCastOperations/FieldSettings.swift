public import Foundation

/// A phone's position at an in-zone check (WGS 84 degrees), stored with a visit only when the department enables it.
public struct VisitPosition: Hashable, Sendable, Codable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }
}

/// Department settings for the field that an admin changes in the web app (audited). Officers' positions are
/// personal data: by default a visit keeps only whether the in-zone check found the phone inside the zone, and the
/// coordinates are kept only when the department decides it needs them (e.g. to audit disputed visits).
public struct FieldSettings: StoredDocument, Hashable {
    public static let kind = "field-settings"
    public static let documentID = "field-settings"
    /// The settings until an admin saves some: coordinates are not kept.
    public static let defaults = FieldSettings(keepVisitCoordinates: false, updatedAt: Date(timeIntervalSince1970: 0), updatedBy: "default")

    public var id: String = FieldSettings.documentID
    /// Keep the coordinates of in-zone checks with the visit (off by default: only the in/out flag is kept).
    public var keepVisitCoordinates: Bool
    public var updatedAt: Date
    public var updatedBy: String

    public init(keepVisitCoordinates: Bool, updatedAt: Date, updatedBy: String) {
        self.keepVisitCoordinates = keepVisitCoordinates
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    public var group: String { "" }
    public var recordedAt: Date { updatedAt }
}
