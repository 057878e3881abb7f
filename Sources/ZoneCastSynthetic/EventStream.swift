/// The independent generating processes. Each has its own random stream (see `SeededGenerator(seed:stream:)`),
/// its own place model and its own time profile.
enum EventStream: String, CaseIterable, Sendable {
    case shootings, shotsFired, fatalCrashes, overdoses, aggravatedAssaults, robberies, drugPossession, drunkDriving, larceny, burglary

    var temporalProfile: TemporalProfile {
        switch self {
        case .shootings, .shotsFired, .aggravatedAssaults, .robberies: .violence
        case .fatalCrashes: .crash
        case .overdoses: .overdose
        case .drugPossession: .patrolActivity
        case .drunkDriving: .drunkDrivingEnforcement
        case .larceny: .daytimeProperty
        case .burglary: .burglary
        }
    }

    /// Where the stream's events fall. Violence-related streams share the violent hot areas at different spreads
    /// (overdoses cluster near, not on, them); property crime is spread broadly; police-initiated records follow
    /// patrols, not harm; crashes follow corridors.
    func locationModel(for city: SyntheticCity, corridors: CorridorNetwork) -> LocationModel {
        switch self {
        case .shootings: .hotAreas(city.violentHotAreas, sigmaScale: 1.0, uniformFraction: 0.08)
        case .shotsFired: .hotAreas(city.violentHotAreas, sigmaScale: 1.2, uniformFraction: 0.15)
        case .aggravatedAssaults: .hotAreas(city.violentHotAreas, sigmaScale: 1.1, uniformFraction: 0.15)
        case .robberies: .hotAreas(city.violentHotAreas, sigmaScale: 1.4, uniformFraction: 0.25)
        case .overdoses: .hotAreas(city.violentHotAreas, sigmaScale: 1.7, uniformFraction: 0.25)
        case .fatalCrashes: .corridors(corridors, jitterMeters: 30)
        case .drugPossession: .hotAreas(city.patrolAreas, sigmaScale: 1.0, uniformFraction: 0.10)
        case .drunkDriving: .mixture(.hotAreas(city.patrolAreas, sigmaScale: 1.0, uniformFraction: 0),
                                     .corridors(corridors, jitterMeters: 60), firstFraction: 0.5)
        case .larceny: .hotAreas(city.violentHotAreas + city.patrolAreas, sigmaScale: 3.0, uniformFraction: 0.55)
        case .burglary: .hotAreas(city.violentHotAreas, sigmaScale: 2.5, uniformFraction: 0.70)
        }
    }

    /// Probability the record says a firearm was involved.
    var firearmProbability: Double {
        switch self {
        case .shootings, .shotsFired: 1
        case .robberies: 0.40
        case .aggravatedAssaults: 0.30
        case .drugPossession: 0.03
        default: 0
        }
    }

    /// The offence of a non-shooting stream (shootings are split by the configuration's fractions).
    var offence: SyntheticOffence {
        switch self {
        case .shootings: .nonFatalShooting
        case .shotsFired: .shotsFired
        case .fatalCrashes: .fatalCrash
        case .overdoses: .overdose
        case .aggravatedAssaults: .aggravatedAssault
        case .robberies: .robbery
        case .drugPossession: .drugPossession
        case .drunkDriving: .dui
        case .larceny: .larceny
        case .burglary: .burglary
        }
    }
}
