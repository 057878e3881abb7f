public import ZoneCastCore

/// The offence texts the synthetic city's records system uses. The raw values are exactly what appears in the
/// CSV's `offence` column, so a mapping file maps them as it would a real source's codes.
public enum SyntheticOffence: String, CaseIterable, Hashable, Sendable, Codable {
    case homicide = "HOMICIDE"
    case nonFatalShooting = "SHOOTING - NON FATAL"
    case driveByShooting = "DRIVE-BY SHOOTING"
    case shotsFired = "SHOTS FIRED"
    case fatalCrash = "FATAL CRASH"
    case overdose = "OVERDOSE"
    case aggravatedAssault = "AGGRAVATED ASSAULT"
    case robbery = "ROBBERY"
    case drugPossession = "DRUG POSSESSION"
    case dui = "DUI"
    case larceny = "LARCENY"
    case burglary = "BURGLARY"

    /// The harm category a mapping file is expected to assign.
    public var category: HarmCategory {
        switch self {
        case .homicide: .homicide
        case .nonFatalShooting: .nonFatalShooting
        case .driveByShooting: .driveByShooting
        case .shotsFired: .shotsFired
        case .fatalCrash: .fatalTrafficCrash
        case .overdose: .drugOverdose
        case .aggravatedAssault: .aggravatedAssault
        case .robbery: .robbery
        case .drugPossession, .dui, .larceny, .burglary: .other
        }
    }

    /// Records created by police activity rather than by a victim's or witness's report.
    public var isPoliceInitiated: Bool { self == .drugPossession || self == .dui }

    /// The three offences produced by the self-exciting shooting process.
    public var isShooting: Bool { self == .homicide || self == .nonFatalShooting || self == .driveByShooting }

    var index: UInt8 { UInt8(Self.allCases.firstIndex(of: self)!) }
    static let byIndex: [SyntheticOffence] = allCases
}
