public import Foundation

/// A unit of the department's flexible forces; officers see only the zones assigned to their units.
public struct PatrolUnit: Hashable, Sendable, Codable, Comparable {
    public var name: String

    public init(_ name: String) { self.name = name }

    public static let traffic = PatrolUnit("Traffic Division")
    public static let specialOperations = PatrolUnit("Special Operations Division")
    public static let violentCrimesEnforcement = PatrolUnit("Violent Crimes Enforcement Division")
    public static let defaults: [PatrolUnit] = [.traffic, .specialOperations, .violentCrimesEnforcement]

    public static func < (a: PatrolUnit, b: PatrolUnit) -> Bool { a.name < b.name }
}

/// A local account. The password is only ever held as a bcrypt hash.
public struct Account: Hashable, Sendable, Codable {
    public var username: String
    public var displayName: String
    public var role: Role
    public var units: Set<PatrolUnit>
    public var passwordHash: String
    /// Set for accounts created with a one-time password: the first sign-in must choose a new one.
    public var mustChangePassword: Bool
    public var createdAt: Date
    public var disabled: Bool
    /// Bumped whenever the account's sessions must end (password changed or reset, role changed, disabled). Sessions
    /// live in the server's memory, but this stamp lives in the database, so a change made by `zonecast users` in
    /// another process ends them too: a session remembers the stamp it was created under and is valid only while the
    /// account still carries it.
    public var sessionsRevokedAt: Date?
    /// Failed sign-ins on this account at or before this time no longer count towards its back-off (an admin's
    /// unlock, from the CLI or the web; the throttle lives in the server's memory, the stamp in the database).
    public var failuresClearedAt: Date?

    public init(username: String, displayName: String, role: Role, units: Set<PatrolUnit> = [], passwordHash: String,
                mustChangePassword: Bool, createdAt: Date, disabled: Bool = false, sessionsRevokedAt: Date? = nil, failuresClearedAt: Date? = nil) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.units = units
        self.passwordHash = passwordHash
        self.mustChangePassword = mustChangePassword
        self.createdAt = createdAt
        self.disabled = disabled
        self.sessionsRevokedAt = sessionsRevokedAt
        self.failuresClearedAt = failuresClearedAt
    }

    /// Ends every session created before now. The new stamp is always at least a millisecond past the old one
    /// (sessions compare stamps with `sameSessionStamp`), even when two changes fall on the same clock reading.
    public mutating func revokeSessions(at now: Date) {
        if let old = sessionsRevokedAt, now < old.addingTimeInterval(0.001) {
            sessionsRevokedAt = old.addingTimeInterval(0.001)
        } else {
            sessionsRevokedAt = now
        }
    }

    /// Whether a session begun under `stamp` is still under this account's stamp. The stamp travels through the
    /// databases as floating-point seconds since 1970, which does not give back the same `Date` to the last bit, so
    /// stamps within half a millisecond are the same change (successive stamps are at least a millisecond apart).
    public func sessionStampMatches(_ stamp: Date?) -> Bool {
        switch (sessionsRevokedAt, stamp) {
        case (nil, nil): true
        case let (mine?, theirs?): abs(mine.timeIntervalSince(theirs)) < 0.0005
        default: false
        }
    }

    /// Whether this account may see a zone assigned to `zoneUnits` (empty: not yet assigned).
    public func maySeeZone(assignedTo zoneUnits: Set<PatrolUnit>) -> Bool {
        guard !disabled, role.may(.viewZoneLocations) else { return false }
        if role.may(.viewAllZones) { return true }
        return !units.isDisjoint(with: zoneUnits)
    }
}
