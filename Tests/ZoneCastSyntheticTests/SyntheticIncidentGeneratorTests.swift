import Foundation
import Testing
import ZoneCastCore
@testable import ZoneCastSynthetic

struct SyntheticIncidentGeneratorTests {
    @Test func givenTheDefaultMix_whenGenerating_thenTheShareOfTriggeredShootingsIsNearTheBranchingRatio() async throws {
        let shootings = Fixtures.standard.rows.filter { $0.offence.isShooting && $0.defect != .duplicate }
        #expect(shootings.count > 900)
        let fraction = Double(shootings.filter(\.isTriggered).count) / Double(shootings.count)
        #expect(abs(fraction - 0.35) < 0.05, "offspring fraction \(fraction)")
        #expect(abs(fraction - Fixtures.standard.metadata.shootingProcess.observedOffspringFraction) < 1e-12)
        #expect(Fixtures.standard.rows.allSatisfy { $0.offence.isShooting || !$0.isTriggered })
    }

    @Test func givenShootingsOnly_whenGenerating_thenBranchingDelayAndDistanceMatchTheTruth() async throws {
        let rows = Fixtures.shootingsOnly
        #expect(rows.count == 20_000)
        let fraction = Double(rows.filter(\.isTriggered).count) / Double(rows.count)
        #expect(abs(fraction - 0.35) < 0.02, "offspring fraction \(fraction)")

        var delaySum = 0.0, distanceSum = 0.0, pairs = 0
        for row in rows {
            guard let parentSeq = row.triggeredBySequenceNumber else { continue }
            let parent = rows[parentSeq - 1]
            #expect(parent.sequenceNumber == parentSeq && parentSeq < row.sequenceNumber)
            let minutes = row.occurred.secondsSinceEpochIgnoringZone - parent.occurred.secondsSinceEpochIgnoringZone
            #expect(minutes >= 0)
            delaySum += Double(minutes) / 86_400
            distanceSum += row.position.distanceMeters(to: parent.position)
            pairs += 1
        }
        // Exponential(1/7 day) delays, mildly reshaped by the diurnal thinning and the window's end.
        #expect(abs(delaySum / Double(pairs) - 7) < 1, "mean delay \(delaySum / Double(pairs))")
        // Isotropic Gaussian displacement: mean distance is sigma * sqrt(pi / 2) = 150.4 m for sigma 120 m.
        #expect(abs(distanceSum / Double(pairs) - 120 * (Double.pi / 2).squareRoot()) < 10, "mean distance \(distanceSum / Double(pairs))")
    }

    @Test func givenTheRows_whenCountingViolenceByHour_thenLateEveningAndNightBeatTheMorning() async {
        var night = 0, morning = 0
        for row in Fixtures.standard.rows where HarmCategory.violent.contains(row.category) && row.timePrecision == .exact {
            switch row.occurred.hour {
            case 22, 23, 0, 1: night += 1
            case 6, 7, 8, 9: morning += 1
            default: break
            }
        }
        #expect(night > 2 * morning, "night \(night), morning \(morning)")
    }

    @Test func givenTheRows_whenCountingByWeekday_thenWeekendViolenceIsUplifted() async {
        var weekend = 0, midweek = 0
        for row in Fixtures.standard.rows where HarmCategory.violent.contains(row.category) {
            let weekday = ((row.occurred.date.daysSinceEpoch % 7) + 11) % 7  // 0 = Sunday
            if weekday == 6 || weekday == 0 { weekend += 1 } else if weekday == 2 || weekday == 3 { midweek += 1 }
        }
        #expect(Double(weekend) > 1.2 * Double(midweek), "weekend \(weekend), Tue+Wed \(midweek)")
    }

    @Test func givenTheRows_whenReadingInOrder_thenTimesAreSortedAndIDsSequential() async {
        let rows = Fixtures.standard.rows
        var previous = Int64.min, expectedSeq = 1
        for row in rows {
            let t = row.occurred.secondsSinceEpochIgnoringZone
            #expect(t >= previous)
            previous = t
            if row.defect == .duplicate { continue }
            #expect(row.sequenceNumber == expectedSeq)
            expectedSeq += 1
            #expect(row.occurred.isValid)
            #expect(row.occurred.date >= LocalDate(year: 2023, month: 1, day: 1) && row.occurred.date <= LocalDate(year: 2024, month: 12, day: 30))
        }
    }

    @Test func givenTheMix_whenCounting_thenCategoryCountsFollowTheSharesExactly() async {
        let metadata = Fixtures.standard.metadata
        let events = metadata.eventCount  // 19,980
        #expect(metadata.eventCountsByOffence["LARCENY"] == Int((0.356 * Double(events)).rounded()))
        let shootings = ["HOMICIDE", "SHOOTING - NON FATAL", "DRIVE-BY SHOOTING"].compactMap { metadata.eventCountsByOffence[$0] }.reduce(0, +)
        #expect(shootings == Int((0.05 * Double(events)).rounded()))
        #expect(metadata.shootingProcess.backgroundCount + metadata.shootingProcess.offspringCount == shootings)
        let homicideShare = Double(metadata.eventCountsByOffence["HOMICIDE"] ?? 0) / Double(shootings)
        #expect(abs(homicideShare - 0.15) < 0.04)
    }

    @Test func givenPoliceInitiatedRecords_whenComparedWithShootings_thenTheyConcentrateElsewhere() async {
        // Patrols centre on the entertainment district; no violent hot area does.
        let district = PlanarPoint(xMeters: -400, yMeters: 600)
        let rows = Fixtures.standard.rows
        func shareNear(_ filter: (SyntheticRow) -> Bool) -> Double {
            let chosen = rows.filter(filter)
            return Double(chosen.filter { $0.position.distanceMeters(to: district) < 700 }.count) / Double(chosen.count)
        }
        #expect(shareNear(\.isPoliceInitiated) > 3 * shareNear { $0.offence.isShooting })
    }

    @Test func givenFatalCrashes_whenMeasuringDistanceToCorridors_thenTheyLieAlongThem() async {
        let city = SyntheticCity()
        let crashes = Fixtures.standard.rows.filter { $0.offence == .fatalCrash }
        #expect(!crashes.isEmpty)
        for crash in crashes {
            let d = city.corridors.flatMap { c in zip(c.vertices, c.vertices.dropFirst()).map { segmentDistance(crash.position, $0, $1) } }.min()!
            #expect(d < 200, "crash \(crash.incidentID) is \(d) m from any corridor")
        }
    }

    @Test func givenLargestRemainder_whenSplitting_thenCountsSumExactly() async {
        #expect(SyntheticIncidentGenerator.largestRemainder(total: 10, shares: [1, 1, 1]) == [4, 3, 3])
        #expect(SyntheticIncidentGenerator.largestRemainder(total: 0, shares: [1, 2]) == [0, 0])
        #expect(SyntheticIncidentGenerator.largestRemainder(total: 999_001, shares: OffenceMix().shares).reduce(0, +) == 999_001)
    }

    @Test func givenTheSpringForwardDay_whenGenerating_thenNoRowFallsInTheSkippedHour() async {
        // 2023-03-12 and 2024-03-10: 02:00-02:59 does not exist in America/Chicago.
        let skipped = [LocalDate(year: 2023, month: 3, day: 12), LocalDate(year: 2024, month: 3, day: 10)]
        #expect(!Fixtures.standard.rows.contains { skipped.contains($0.occurred.date) && $0.occurred.hour == 2 })
        let calendar = SamplingCalendar(startDate: LocalDate(year: 2023, month: 1, day: 1), dayCount: 730, timeZone: TimeZone(identifier: "America/Chicago")!)
        let day = skipped[0].daysSinceEpoch - LocalDate(year: 2023, month: 1, day: 1).daysSinceEpoch
        #expect(!calendar.hourExists(day: day, hour: 2))
        #expect(calendar.hourExists(day: day, hour: 3) && calendar.hourExists(day: day, hour: 1) && calendar.hourExists(day: day + 1, hour: 2))
    }

    private func segmentDistance(_ p: PlanarPoint, _ a: PlanarPoint, _ b: PlanarPoint) -> Double {
        let dx = b.xMeters - a.xMeters, dy = b.yMeters - a.yMeters
        let t = max(0, min(1, ((p.xMeters - a.xMeters) * dx + (p.yMeters - a.yMeters) * dy) / (dx * dx + dy * dy)))
        return p.distanceMeters(to: PlanarPoint(xMeters: a.xMeters + t * dx, yMeters: a.yMeters + t * dy))
    }
}
