public import Foundation
public import ZoneCastAccess

/// One patrol visit to a zone, as the officer logged it. The activities separate relationship-building
/// (community contacts, business checks) from enforcement, and split citations into minor infractions (which the
/// initiative says not to write) and other citations, so oversight can see whether patrols stayed non-enforcement.
public struct PatrolVisit: StoredDocument, Hashable {
    public static let kind = "patrol-visit"
    /// Koper (1995): stops of about 10 to 16 minutes gave the longest residual deterrence; shorter did little and
    /// longer added little.
    public static let recommendedMinutes: ClosedRange<Double> = 10...16
    /// The zone id of a comparison patrol outside every zone: the non-enforcement monitor compares the same units'
    /// enforcement rates outside zones with those inside.
    public static let outsideZones = "outside"

    public var id: String
    public var officer: String
    public var unit: PatrolUnit?
    public var cycleID: String
    public var zoneID: String
    public var startedAt: Date
    public var endedAt: Date
    public var activities: PatrolActivities
    public var notes: String
    public var loggedAt: Date
    /// Whether the phone's location, checked with the officer's consent during the visit, was inside the zone's
    /// cells; nil when no check was made. The server works it out and, unless the department keeps coordinates
    /// (`FieldSettings.keepVisitCoordinates`, off by default), discards the coordinates themselves.
    public var inZone: Bool?
    /// The checked position, kept only when the department enabled it; nil otherwise.
    public var checkedPosition: VisitPosition?

    public init(id: String, officer: String, unit: PatrolUnit?, cycleID: String, zoneID: String, startedAt: Date, endedAt: Date,
                activities: PatrolActivities, notes: String, loggedAt: Date, inZone: Bool? = nil, checkedPosition: VisitPosition? = nil) {
        self.id = id
        self.officer = officer
        self.unit = unit
        self.cycleID = cycleID
        self.zoneID = zoneID
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.activities = activities
        self.notes = notes
        self.loggedAt = loggedAt
        self.inZone = inZone
        self.checkedPosition = checkedPosition
    }

    public var group: String { cycleID }
    public var recordedAt: Date { startedAt }
    public var minutes: Double { endedAt.timeIntervalSince(startedAt) / 60 }
}

public struct PatrolActivities: Hashable, Sendable, Codable {
    public var communityContacts: Int
    public var businessChecks: Int
    public var fieldInterviews: Int
    public var minorInfractionCitations: Int
    public var otherCitations: Int
    public var arrests: Int

    public init(communityContacts: Int = 0, businessChecks: Int = 0, fieldInterviews: Int = 0, minorInfractionCitations: Int = 0,
                otherCitations: Int = 0, arrests: Int = 0) {
        self.communityContacts = communityContacts
        self.businessChecks = businessChecks
        self.fieldInterviews = fieldInterviews
        self.minorInfractionCitations = minorInfractionCitations
        self.otherCitations = otherCitations
        self.arrests = arrests
    }

    /// Actions that touch a resident coercively: field interviews, citations and arrests.
    public var enforcementActions: Int { fieldInterviews + minorInfractionCitations + otherCitations + arrests }
    public var relationshipActions: Int { communityContacts + businessChecks }
}

extension Array where Element == PatrolVisit {
    /// The visits that started before `instant`: the array itself (no copy) when all did, as they usually have.
    public func startingBefore(_ instant: Date) -> [PatrolVisit] {
        allSatisfy { $0.startedAt < instant } ? self : filter { $0.startedAt < instant }
    }
}
