import Foundation

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

    public init(username: String, displayName: String, role: Role, units: Set<PatrolUnit> = [], passwordHash: String,
                mustChangePassword: Bool, createdAt: Date, disabled: Bool = false) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.units = units
        self.passwordHash = passwordHash
        self.mustChangePassword = mustChangePassword
        self.createdAt = createdAt
        self.disabled = disabled
    }

    /// Whether this account may see a zone assigned to `zoneUnits` (empty: not yet assigned).
    public func maySeeZone(assignedTo zoneUnits: Set<PatrolUnit>) -> Bool {
        guard !disabled, role.may(.viewZoneLocations) else { return false }
        if role.may(.viewAllZones) { return true }
        return !units.isDisjoint(with: zoneUnits)
    }
}
