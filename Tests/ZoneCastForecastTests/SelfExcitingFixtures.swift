import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastSynthetic

/// Synthetic shootings for the self-exciting model's tests, generated once per test process (static lets are
/// lazily and safely initialised; Swift Testing runs tests in parallel).
enum SelfExcitingFixtures {
    struct Shootings: Sendable {
        /// Clean shootings with their recorded precision (minute, or day for the generator's date-only rows).
        var exact: EventSet
        /// The same shootings with every time truncated to its local day (precision 86,400 s).
        var dayPrecision: EventSet
        var truth: SyntheticMetadata.ShootingProcessTruth
        /// End of the generated period, seconds since the epoch.
        var endSeconds: Double
    }

    static let rowCount = 200_000
    static let seed: UInt64 = 2_011

    /// 200,000 rows of the default mix (about 10,000 shootings over 730 days); homicides, non-fatal and drive-by
    /// shootings kept, deliberately faulty rows (duplicates, blank coordinates, unparseable dates) left out,
    /// lat/lon projected with the city's own projection, local times converted with the city's time zone.
    static let shootings: Shootings = {
        let generator = SyntheticIncidentGenerator(rowCount: rowCount, seed: seed)
        let projection = generator.city.jurisdiction.projection.prepared()
        var converter = LocalTimeConverter(timeZone: TimeZone(identifier: generator.city.jurisdiction.timeZoneIdentifier)!)
        var exact = EventSet(), day = EventSet()
        let metadata = generator.generate { row in
            guard row.offence.isShooting, row.defect == .none else { return }
            let p = projection.project(row.location)
            let midnight = converter.instant(LocalDateTime(date: row.occurred.date)).timeIntervalSince1970
            let t = row.timePrecision == .day ? midnight : converter.instant(row.occurred).timeIntervalSince1970
            exact.append(x: p.xMeters, y: p.yMeters, time: t, precisionSeconds: Double(row.timePrecision.intervalSeconds), category: row.category)
            day.append(x: p.xMeters, y: p.yMeters, time: midnight, precisionSeconds: 86_400, category: row.category)
        }
        let config = generator.configuration
        let endDate = LocalDate(daysSinceEpoch: config.startDate.daysSinceEpoch + config.durationDays)
        let end = converter.instant(LocalDateTime(date: endDate)).timeIntervalSince1970
        return Shootings(exact: exact, dayPrecision: day, truth: metadata.shootingProcess, endSeconds: end)
    }()
}
