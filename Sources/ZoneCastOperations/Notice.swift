public import Foundation
public import ZoneCastAccess

/// A message in the application for everyone holding a role (e.g. "the next cycle's proposal is ready" for
/// analysts, "enforcement above threshold in Z2" for commanders).
public struct Notice: StoredDocument, Hashable {
    public static let kind = "notice"

    public var id: String
    public var createdAt: Date
    public var audience: Role
    public var text: String
    /// A path inside the application.
    public var link: String?
    public var readBy: [String]

    public init(id: String, createdAt: Date, audience: Role, text: String, link: String?) {
        self.id = id
        self.createdAt = createdAt
        self.audience = audience
        self.text = text
        self.link = link
        self.readBy = []
    }

    public var group: String { audience.rawValue }
    public var recordedAt: Date { createdAt }
}
