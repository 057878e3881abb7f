import ZoneCastCore

/// A harm category's position in `HarmCategory.allCases`, by a switch on the case. The category is a
/// `String`-backed enum, so `Set`/`Dictionary` lookups and `==` go through the raw-value string (the standard
/// library's `RawRepresentable` defaults): in auto's inner windows, where every event of every training set is
/// looked up once per candidate, those string hashes were about 5 % of a whole proposal's CPU time. The switch is
/// exhaustive, so a new category does not compile until it is placed here; a test checks the order against `allCases`.
enum CategoryIndex {
    static let count = HarmCategory.allCases.count

    static func of(_ category: HarmCategory) -> Int {
        switch category {
        case .homicide: 0
        case .nonFatalShooting: 1
        case .driveByShooting: 2
        case .shotsFired: 3
        case .fatalTrafficCrash: 4
        case .drugOverdose: 5
        case .aggravatedAssault: 6
        case .robbery: 7
        case .other: 8
        }
    }

    /// Membership of each category (by index) in `categories`.
    static func mask(_ categories: Set<HarmCategory>) -> [Bool] {
        var out = [Bool](repeating: false, count: count)
        for c in categories { out[of(c)] = true }
        return out
    }
}
