/// The people who use ZoneCast, by what they may do. Zone locations are confidential: only roles with
/// `viewZoneLocations` see them, and officers only for the units they belong to.
public enum Role: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    case admin, analyst, commander, officer, auditor

    public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }
}

/// Things a person can do; the web layer checks one permission per route.
public enum Permission: String, CaseIterable, Hashable, Sendable, Codable {
    case viewZoneLocations          // maps and lists of zones (officers: their units' zones only)
    case viewAllZones               // every zone, whatever the unit
    case importData
    case runForecasts               // surfaces, backtests, factor analysis
    case proposeZones
    case adjustProposal             // add or suppress cells, draw a zone, with a reason
    case decideZones                // approve, modify or reject at an IRIS meeting
    case assignUnits                // deploy units to approved zones
    case recordIntelligence
    case triageTips
    case logPatrols
    case viewAuditLog
    case manageAccounts
    case exportData                 // GeoJSON and API exports (logged)
    case viewOversight              // outcomes, dosage, the non-enforcement monitor, equity and feedback-loop reports
}

extension Role {
    /// The permission matrix. Kept in one place so the route tests can check every role against every route.
    public var permissions: Set<Permission> {
        switch self {
        case .admin: [.viewZoneLocations, .viewAllZones, .manageAccounts, .viewAuditLog, .importData, .viewOversight]
        case .analyst: [.viewZoneLocations, .viewAllZones, .importData, .runForecasts, .proposeZones, .adjustProposal, .recordIntelligence,
                        .triageTips, .exportData, .viewOversight]
        case .commander: [.viewZoneLocations, .viewAllZones, .runForecasts, .decideZones, .assignUnits, .recordIntelligence, .exportData, .viewOversight]
        case .officer: [.viewZoneLocations, .logPatrols, .recordIntelligence]
        case .auditor: [.viewAuditLog, .viewOversight]
        }
    }

    public func may(_ p: Permission) -> Bool { permissions.contains(p) }
}
