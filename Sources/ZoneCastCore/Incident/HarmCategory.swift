/// The kinds of harm ZoneCast combines. Raw offence codes never appear in models: a mapping file turns each
/// source's codes into one of these.
public enum HarmCategory: String, CaseIterable, Hashable, Sendable, Codable, Comparable {
    case homicide
    case nonFatalShooting = "non_fatal_shooting"
    case driveByShooting = "drive_by_shooting"
    case shotsFired = "shots_fired"
    case fatalTrafficCrash = "fatal_traffic_crash"
    case drugOverdose = "drug_overdose"
    case aggravatedAssault = "aggravated_assault"
    case robbery
    case other

    /// The violent categories forecasts target by default (the Kansas City initiative's homicides, shootings,
    /// drive-bys and aggravated assaults).
    public static let violent: Set<HarmCategory> = [.homicide, .nonFatalShooting, .driveByShooting, .aggravatedAssault]

    public var displayName: String {
        switch self {
        case .homicide: "Homicide"
        case .nonFatalShooting: "Non-fatal shooting"
        case .driveByShooting: "Drive-by shooting"
        case .shotsFired: "Shots fired"
        case .fatalTrafficCrash: "Fatal traffic crash"
        case .drugOverdose: "Drug overdose"
        case .aggravatedAssault: "Aggravated assault"
        case .robbery: "Robbery"
        case .other: "Other"
        }
    }

    /// Plural for counts in generated text ("3 robberies").
    public var pluralName: String {
        switch self {
        case .homicide: "homicides"
        case .nonFatalShooting: "non-fatal shootings"
        case .driveByShooting: "drive-by shootings"
        case .shotsFired: "shots-fired incidents"
        case .fatalTrafficCrash: "fatal traffic crashes"
        case .drugOverdose: "drug overdoses"
        case .aggravatedAssault: "aggravated assaults"
        case .robbery: "robberies"
        case .other: "other incidents"
        }
    }

    /// "1 robbery", "3 robberies".
    public func counted(_ n: Int) -> String {
        n == 1 ? "1 \(self == .shotsFired ? "shots-fired incident" : self == .other ? "other incident" : displayName.lowercased())" : "\(n) \(pluralName)"
    }

    /// Declaration order; used to order tables and to break ties deterministically.
    public var ordinal: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: HarmCategory, rhs: HarmCategory) -> Bool { lhs.ordinal < rhs.ordinal }

    public static func parse(_ text: String) throws(CoreError) -> HarmCategory {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        guard let c = HarmCategory(rawValue: key) else { throw CoreError.unknownCategory(text) }
        return c
    }
}

import Foundation
