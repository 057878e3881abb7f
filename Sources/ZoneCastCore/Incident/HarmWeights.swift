public import Foundation

/// A harm weight per category: how much one incident of the kind counts when harms are summed.
///
/// Defaults are in days of imprisonment, the unit of the Cambridge Crime Harm Index (Sherman, Neyroud & Neyroud
/// 2016, "The Cambridge Crime Harm Index: measuring total harm from crime based on sentencing guidelines",
/// Policing 10(3):171-183): the starting-point sentence for a first offender in the Sentencing Council guideline
/// for the closest offence in England and Wales. The mapping used here:
///
/// | category            | days  | guideline offence and starting point                                    |
/// |---------------------|-------|-------------------------------------------------------------------------|
/// | homicide            | 5,475 | murder: 15 years (CCHI's homicide value)                                |
/// | non_fatal_shooting  | 2,190 | wounding/GBH with intent (s.18), category 2: 6 years                    |
/// | drive_by_shooting   | 1,460 | s.18 category 3: 4 years (discharge at people, often without injury)    |
/// | fatal_traffic_crash | 1,825 | causing death by dangerous driving, level 2: 5 years                    |
/// | robbery             | 1,460 | street robbery, category 2: 4 years                                     |
/// | aggravated_assault  |   547 | unlawful wounding/GBH (s.20), category 2: 18 months                     |
/// | shots_fired         |   365 | firearm discharge / possession with intent to cause fear: 1 year       |
/// | drug_overdose       |   365 | no offence: a policy choice (a death-risk event, weighted like a year)  |
/// | other               |     1 | nominal: present in counts, negligible in harm sums                     |
///
/// The table is our reading of those guidelines, not an official CCHI export; departments should review it at
/// their first IRIS meeting and override it with a weights file (see `HarmWeights.decode`).
public struct HarmWeights: Hashable, Sendable, Codable {
    public private(set) var daysByCategory: [HarmCategory: Double]

    public static let cambridgeDefaults = HarmWeights(uncheckedDays: [
        .homicide: 5475, .nonFatalShooting: 2190, .driveByShooting: 1460, .fatalTrafficCrash: 1825,
        .robbery: 1460, .aggravatedAssault: 547, .shotsFired: 365, .drugOverdose: 365, .other: 1,
    ])

    init(uncheckedDays: [HarmCategory: Double]) { daysByCategory = uncheckedDays }

    public init(days: [HarmCategory: Double]) throws(CoreError) {
        var merged = Self.cambridgeDefaults.daysByCategory
        for (c, v) in days {
            guard v.isFinite, v >= 0 else { throw CoreError.invalidHarmWeight(category: c.rawValue, value: v) }
            merged[c] = v
        }
        daysByCategory = merged
    }

    public subscript(_ category: HarmCategory) -> Double { daysByCategory[category] ?? 0 }

    /// Reads `{"homicide": 5475, "robbery": 900, ...}`; categories left out keep their defaults.
    public static func decode(_ data: Data) throws(CoreError) -> HarmWeights {
        guard let dict = JSONValue.parse(data)?.objectValue else {
            throw CoreError.invalidHarmWeights("harm weights must be a JSON object of category to number of days")
        }
        var days: [HarmCategory: Double] = [:]
        for (key, value) in dict {
            let c = try HarmCategory.parse(key)
            guard let n = value.numberValue else {
                throw CoreError.invalidHarmWeights(
                    "\(key): expected a number of days, got \(String(decoding: (try? JSONEncoder().encode(value)) ?? Data(), as: UTF8.self))")
            }
            days[c] = n
        }
        return try HarmWeights(days: days)
    }
}
