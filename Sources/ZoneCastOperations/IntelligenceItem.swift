public import Foundation
public import ZoneCastAccess

/// Something residents or partners told the department that bears on where violence may happen next: a dispute
/// that could escalate, possible retaliation. Community tips arrive as items with source `communityTip` and status
/// `new`, for an analyst to triage. An analyst may let an item raise a place's priority in proposals (logged).
public struct IntelligenceItem: StoredDocument, Hashable {
    public static let kind = "intelligence"

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case dispute, retaliation, groupConflict = "group-conflict", weapons, other
        public var label: String {
            switch self {
            case .dispute: "Dispute that could escalate"
            case .retaliation: "Possible retaliation"
            case .groupConflict: "Group or crew conflict"
            case .weapons: "Weapons seen or talked about"
            case .other: "Other concern"
            }
        }
    }

    public enum Source: String, Codable, Sendable, CaseIterable {
        case resident, communityPartner = "community-partner", officer, victimServices = "victim-services", hospital, communityTip = "community-tip", other
        public var label: String {
            switch self {
            case .resident: "Resident"
            case .communityPartner: "Community partner"
            case .officer: "Officer's own observation"
            case .victimServices: "Victim services"
            case .hospital: "Hospital"
            case .communityTip: "Community tip (public form)"
            case .other: "Other"
            }
        }
    }

    /// Who may read the item's text: `restricted` items are for analysts and commanders only.
    public enum Sensitivity: String, Codable, Sendable, CaseIterable { case normal, restricted }

    public enum Status: String, Codable, Sendable, CaseIterable { case new, open, closed, dismissed }

    public var id: String
    public var createdAt: Date
    /// The account that recorded it; nil for a community tip (which may be anonymous).
    public var createdBy: String?
    public var kind: Kind
    public var summary: String
    public var locationText: String
    public var latitude: Double?
    public var longitude: Double?
    public var source: Source
    public var sensitivity: Sensitivity
    public var expiresAt: Date
    public var status: Status
    /// A tipster's contact, only when they chose to give it.
    public var contact: String?
    /// Set by an analyst: the item raises the priority of cells within `priorityRadiusMeters` of its location.
    public var raisesPriority: Bool
    public var priorityRadiusMeters: Double
    public var triageNote: String?
    public var triagedBy: String?
    /// When the analyst last triaged it.
    public var triagedAt: Date?
    /// When it happened or will happen, as the reporter put it ("last night", "Friday after the game").
    public var whenText: String?

    public init(id: String, createdAt: Date, createdBy: String?, kind: Kind, summary: String, locationText: String, latitude: Double?, longitude: Double?,
                source: Source, sensitivity: Sensitivity, expiresAt: Date, status: Status, contact: String? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.kind = kind
        self.summary = summary
        self.locationText = locationText
        self.latitude = latitude
        self.longitude = longitude
        self.source = source
        self.sensitivity = sensitivity
        self.expiresAt = expiresAt
        self.status = status
        self.contact = contact
        self.raisesPriority = false
        self.priorityRadiusMeters = 300
        self.triageNote = nil
        self.triagedBy = nil
    }

    public var group: String { status.rawValue }
    public var recordedAt: Date { createdAt }

    /// Whether an account may read this item: normal items by everyone who records intelligence; restricted ones
    /// by roles that see every zone (analysts, commanders, admins) and by whoever wrote them.
    public func isVisible(to account: Account) -> Bool {
        sensitivity == .normal || account.role.may(.viewAllZones) || (createdBy != nil && createdBy == account.username)
    }

    public func isExpired(at now: Date) -> Bool { now >= expiresAt }

    /// Open and not yet expired: what the map and the IRIS agenda show.
    public func isCurrent(at now: Date) -> Bool { (status == .open || status == .new) && now < expiresAt }
}
