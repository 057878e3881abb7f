import Foundation
import ZoneCastCore

/// Generates the synthetic city's incident records: a seeded, pure function of its `Configuration` (no clock,
/// no files, no global random state), so a demo or a scale test can be reproduced exactly from its seed.
///
/// Rows come out in time order with sequential `SYN-` ids. Every clean row lies inside the boundary, at least
/// 30 m from headquarters (the 25 m default-location radius plus a margin), at a local time that exists. A small,
/// counted number of rows are deliberately faulty (see `SyntheticDefect`), and a small share carry only a date.
public struct SyntheticIncidentGenerator: Sendable {
    /// Bumped whenever the same configuration would produce different rows.
    public static let version = "zonecast-synthetic/1"

    public var configuration: Configuration
    public let city: SyntheticCity

    public init(configuration: Configuration, city: SyntheticCity = SyntheticCity()) {
        precondition(configuration.rowCount >= 0, "rowCount must be >= 0")
        precondition(configuration.durationDays > 0, "durationDays must be > 0")
        precondition((0..<1).contains(configuration.shootingProcess.branchingRatio), "branchingRatio must be in [0, 1)")
        self.configuration = configuration
        self.city = city
    }

    public init(rowCount: Int, seed: UInt64) {
        self.init(configuration: Configuration(rowCount: rowCount, seed: seed))
    }

    /// Generates every row and hands them to `rowHandler` in time order (a duplicate immediately follows its
    /// original). Memory is that of the compact event list (about 50 bytes per row), not of the rendered rows.
    /// Returns the data set's metadata, including the true parameters.
    @discardableResult
    public func generate(rowHandler: (SyntheticRow) throws -> Void) rethrows -> SyntheticMetadata {
        let plan = makePlan()
        let width = max(7, String(plan.events.count).count)
        let calendar = plan.calendar
        for position in 0..<plan.events.count {
            let index = Int(plan.order[position])
            let e = plan.events[index]
            let minute = Int(e.minute)
            let occurred = LocalDateTime(date: calendar.localDate(day: minute / 1_440), hour: (minute % 1_440) / 60, minute: minute % 60)
            let parent = e.parent >= 0 ? Int(plan.sequenceOfEvent[Int(e.parent)]) : nil
            let seq = position + 1
            let digits = String(seq)
            var row = SyntheticRow(
                sequenceNumber: seq, incidentID: "SYN-" + String(repeating: "0", count: max(0, width - digits.count)) + digits,
                offence: SyntheticOffence.byIndex[Int(e.offence)], occurred: occurred,
                timePrecision: plan.dateOnly[position] ? .day : .exact, location: e.location, position: e.position,
                address: SyntheticAddress.blockAddress(for: e.position), firearm: e.firearm,
                defect: .none, triggeredBySequenceNumber: parent)
            switch plan.fault[position] {
            case Fault.blankCoordinates: row.defect = .blankCoordinates
            case Fault.unparseableDate: row.defect = .unparseableDate
            default: break
            }
            try rowHandler(row)
            if plan.fault[position] == Fault.duplicated {
                row.defect = .duplicate
                try rowHandler(row)
            }
        }
        return plan.metadata
    }

    /// All rows in time order. Convenient for tests and small sets; prefer `generate(rowHandler:)` at scale.
    public func generateAll() -> [SyntheticRow] {
        var rows: [SyntheticRow] = []
        rows.reserveCapacity(configuration.rowCount)
        generate { rows.append($0) }
        return rows
    }

    /// The metadata alone (runs the generation, renders nothing).
    public func metadata() -> SyntheticMetadata { makePlan().metadata }

    // MARK: - Planning

    enum Fault {
        static let none: UInt8 = 0, blankCoordinates: UInt8 = 1, unparseableDate: UInt8 = 2, duplicated: UInt8 = 3
    }

    /// Everything decided before rendering: the events, their time order, and per-row decorations.
    struct Plan {
        var calendar: SamplingCalendar
        var events: [GeneratedEvent]
        /// Event indices in output order.
        var order: [Int32]
        /// 1-based sequence number of each event (by generation index).
        var sequenceOfEvent: [Int32]
        /// Per output position.
        var dateOnly: [Bool]
        var fault: [UInt8]
        var metadata: SyntheticMetadata
    }

    func makePlan() -> Plan {
        let config = configuration
        let seed = config.seed
        let duplicates = Self.wholeRows(config.dirtyRows.duplicateFraction, of: config.rowCount)
        let eventCount = config.rowCount - duplicates
        let blanks = min(Self.wholeRows(config.dirtyRows.blankCoordinateFraction, of: config.rowCount), eventCount)
        let badDates = min(Self.wholeRows(config.dirtyRows.unparseableDateFraction, of: config.rowCount), eventCount - blanks)
        let duplicated = min(duplicates, eventCount - blanks - badDates)
        precondition(duplicated == duplicates, "rowCount too small for the requested duplicate rows")

        let timeZone = TimeZone(identifier: city.jurisdiction.timeZoneIdentifier) ?? TimeZone(secondsFromGMT: 0)!
        let calendar = SamplingCalendar(startDate: config.startDate, dayCount: config.durationDays, timeZone: timeZone)
        let locations = LocationSampler(city: city)
        let corridors = CorridorNetwork(city.corridors)
        let counts = Self.largestRemainder(total: eventCount, shares: config.mix.shares)

        var events: [GeneratedEvent] = []
        events.reserveCapacity(eventCount)
        var shootingTruth = ShootingCascade.Truth()
        var backgroundCounts: [String: Int] = [:]
        for (stream, count) in zip(EventStream.allCases, counts) {
            var rng = SeededGenerator(seed: seed, stream: "stream/" + stream.rawValue)
            let times = TimeSampler(profile: stream.temporalProfile, calendar: calendar)
            let model = stream.locationModel(for: city, corridors: corridors)
            if stream == .shootings {
                let cascade = ShootingCascade(parameters: config.shootingProcess, fatalFraction: config.fatalShootingFraction,
                                              driveByFraction: config.driveByFraction)
                shootingTruth = cascade.simulate(count: count, locations: locations, model: model, times: times, using: &rng, into: &events)
                backgroundCounts[stream.rawValue] = shootingTruth.backgroundCount
            } else {
                for _ in 0..<count {
                    let minute = times.sampleMinute(using: &rng)
                    let (p, g) = locations.sample(model, using: &rng)
                    let firearm = rng.bernoulli(stream.firearmProbability)
                    events.append(GeneratedEvent(minute: minute, offence: stream.offence, firearm: firearm, parent: -1, position: p, location: g))
                }
                backgroundCounts[stream.rawValue] = count
            }
        }

        // Time order; ties by generation index, which keeps every triggering shooting before its offspring.
        var order = (0..<Int32(events.count)).map { $0 }
        order.sort { a, b in
            let ma = events[Int(a)].minute, mb = events[Int(b)].minute
            return ma != mb ? ma < mb : a < b
        }
        var sequenceOfEvent = [Int32](repeating: 0, count: events.count)
        for (position, index) in order.enumerated() { sequenceOfEvent[Int(index)] = Int32(position + 1) }

        // Decorations, from their own stream so they never perturb the events.
        var post = SeededGenerator(seed: seed, stream: "rows")
        var dateOnly = [Bool](repeating: false, count: events.count)
        var dateOnlyCount = 0
        for i in 0..<events.count where post.bernoulli(config.dateOnlyFraction) {
            dateOnly[i] = true
            dateOnlyCount += 1
        }
        var fault = [UInt8](repeating: Fault.none, count: events.count)
        var positions = (0..<Int32(events.count)).map { $0 }
        let faulty = blanks + badDates + duplicated
        for k in 0..<faulty {  // partial Fisher-Yates: `faulty` distinct positions
            let j = k + post.uniformInt(below: positions.count - k)
            positions.swapAt(k, j)
            fault[Int(positions[k])] = k < blanks ? Fault.blankCoordinates : (k < blanks + badDates ? Fault.unparseableDate : Fault.duplicated)
        }

        var eventCounts: [String: Int] = Dictionary(uniqueKeysWithValues: SyntheticOffence.allCases.map { ($0.rawValue, 0) })
        var rowCounts = eventCounts
        for (position, index) in order.enumerated() {
            let name = SyntheticOffence.byIndex[Int(events[Int(index)].offence)].rawValue
            eventCounts[name, default: 0] += 1
            rowCounts[name, default: 0] += fault[position] == Fault.duplicated ? 2 : 1
        }

        let shootings = shootingTruth.backgroundCount + shootingTruth.offspringCount
        let metadata = SyntheticMetadata(
            label: SyntheticMetadata.standardLabel, generatorVersion: Self.version, seed: seed, rowCount: config.rowCount,
            eventCount: events.count, jurisdiction: city.jurisdiction.name, timeZone: city.jurisdiction.timeZoneIdentifier,
            startDate: config.startDate.description, durationDays: config.durationDays,
            endDate: LocalDate(daysSinceEpoch: config.startDate.daysSinceEpoch + config.durationDays - 1).description,
            csvHeader: SyntheticCSV.header,
            shootingProcess: .init(
                branchingRatio: config.shootingProcess.branchingRatio, omegaPerDay: config.shootingProcess.omegaPerDay,
                meanDelayDays: config.shootingProcess.meanDelayDays, sigmaMeters: config.shootingProcess.sigmaMeters,
                backgroundCount: shootingTruth.backgroundCount, offspringCount: shootingTruth.offspringCount,
                offspringDroppedBeyondWindow: shootingTruth.offspringDroppedBeyondWindow,
                observedOffspringFraction: shootings > 0 ? Double(shootingTruth.offspringCount) / Double(shootings) : 0,
                fatalShootingFraction: config.fatalShootingFraction, driveByFraction: config.driveByFraction),
            backgroundCountsByStream: backgroundCounts, eventCountsByOffence: eventCounts, rowCountsByOffence: rowCounts,
            dirtyRows: .init(duplicateRows: duplicated, blankCoordinateRows: blanks, unparseableDateRows: badDates),
            dateOnlyEvents: dateOnlyCount, dateOnlyFraction: config.dateOnlyFraction, mix: config.mix,
            notes: SyntheticMetadata.standardNotes)
        return Plan(calendar: calendar, events: events, order: order, sequenceOfEvent: sequenceOfEvent, dateOnly: dateOnly,
                    fault: fault, metadata: metadata)
    }

    static func wholeRows(_ fraction: Double, of rows: Int) -> Int {
        max(0, Int((fraction * Double(rows)).rounded()))
    }

    /// Integer counts proportional to `shares` that sum exactly to `total` (Hamilton's largest-remainder method;
    /// ties go to the earlier share, so the split is deterministic).
    static func largestRemainder(total: Int, shares: [Double]) -> [Int] {
        let sum = shares.reduce(0) { $0 + max(0, $1) }
        guard total > 0, sum > 0 else { return shares.map { _ in 0 } }
        let exact = shares.map { max(0, $0) / sum * Double(total) }
        var counts = exact.map { Int($0.rounded(.down)) }
        let remaining = total - counts.reduce(0, +)
        let byRemainder = exact.indices.sorted { a, b in
            let ra = exact[a] - Double(counts[a]), rb = exact[b] - Double(counts[b])
            return ra != rb ? ra > rb : a < b
        }
        for i in byRemainder.prefix(remaining) { counts[i] += 1 }
        return counts
    }
}
