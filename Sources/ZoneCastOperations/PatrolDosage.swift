public import Foundation
public import ZoneCastCore

/// How much patrol a zone received in a cycle, from the officers' logged visits: the measures the initiative
/// watches. Koper (1995) found visits of about 10 to 16 minutes, at unpredictable times, deter longest; long gaps
/// and visits always at the same hours of the day make presence predictable.
public struct PatrolDosage: Hashable, Sendable {
    public var visits: Int
    public var minutes: Double
    /// Visits lasting the recommended 10 to 16 minutes.
    public var recommendedVisits: Int
    /// The longest stretch in hours, from the cycle start (or the previous visit's end) to the next visit's start,
    /// and from the last visit to `min(now, cycle end)`. The whole elapsed cycle when there was no visit.
    public var longestGapHours: Double
    /// Every gap in hours, in time order: from the cycle start to the first visit, between visits (from the end of
    /// the previous one to the start of the next; 0 when visits overlap), and from the last visit to
    /// `min(now, cycle end)`. Visits starting after that horizon are left out. Never empty.
    public var gapsHours: [Double]
    /// Local hours of the day (0 to 23) during which at least one visit was under way.
    public var hoursCovered: Set<Int>
    public var activities: PatrolActivities

    /// Share of visits lasting 10 to 16 minutes (0 when there were none).
    public var recommendedShare: Double { visits == 0 ? 0 : Double(recommendedVisits) / Double(visits) }

    /// Computes the dosage of `visits` (one zone, one cycle) for a cycle from `start` to `end`, as of `now`,
    /// counting hours of the day in `timeZone`.
    public init(_ visits: [PatrolVisit], cycleStart start: Date, cycleEnd end: Date, now: Date, timeZone: TimeZone) {
        // Callers usually pass visits in order already (stores keep them so): then nothing is copied. The loops
        // below read fields by index, which borrows each visit; `for v in` copied each one (a cycle has thousands).
        var inOrder = true
        for i in visits.indices.dropFirst() where (visits[i - 1].startedAt, visits[i - 1].id) > (visits[i].startedAt, visits[i].id) {
            inOrder = false
            break
        }
        let sorted = inOrder ? visits : visits.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        self.visits = sorted.count
        let horizon = min(now, end)
        var minutes = 0.0, recommended = 0
        var gaps: [Double] = []
        var last = start
        var activities = PatrolActivities()
        var clock = LocalHourClock(timeZone: timeZone)
        var hours = Set<Int>()
        for i in sorted.indices {
            let startedAt = sorted[i].startedAt, endedAt = sorted[i].endedAt, length = sorted[i].minutes
            minutes += max(0, length)
            if PatrolVisit.recommendedMinutes.contains(length) { recommended += 1 }
            activities = activities + sorted[i].activities
            if startedAt < horizon {
                gaps.append(max(0, startedAt.timeIntervalSince(last)) / 3_600)
                last = max(last, endedAt)
            }
            if endedAt > startedAt {
                // Every local hour the visit touches: step through the hour starts it spans.
                var t = clock.hourStart(of: startedAt)
                var steps = 0
                while t < endedAt && steps < 48 {
                    hours.insert(clock.hour(of: t))
                    t = t.addingTimeInterval(3_600)
                    steps += 1
                }
            }
        }
        gaps.append(max(0, horizon.timeIntervalSince(last)) / 3_600)
        self.minutes = minutes
        self.recommendedVisits = recommended
        self.longestGapHours = gaps.max() ?? 0
        self.gapsHours = gaps
        self.hoursCovered = hours
        self.activities = activities
    }
}

extension PatrolActivities {
    public static func + (a: PatrolActivities, b: PatrolActivities) -> PatrolActivities {
        PatrolActivities(communityContacts: a.communityContacts + b.communityContacts, businessChecks: a.businessChecks + b.businessChecks,
                         fieldInterviews: a.fieldInterviews + b.fieldInterviews,
                         minorInfractionCitations: a.minorInfractionCitations + b.minorInfractionCitations,
                         otherCitations: a.otherCitations + b.otherCitations, arrests: a.arrests + b.arrests)
    }
}

/// Where a reported place lies relative to the jurisdiction: inside, near (within `nearMeters` of its boundary,
/// e.g. across a boundary street), or too far to be the department's concern.
public enum PlaceCheck: Hashable, Sendable {
    case inside
    case near(meters: Double)
    case outside(meters: Double)

    /// Intelligence may sit up to 2 km outside the boundary (disputes cross city lines).
    public static let nearMeters = 2_000.0

    public static func of(_ point: GeoPoint, in jurisdiction: Jurisdiction, nearMeters: Double = PlaceCheck.nearMeters) -> PlaceCheck {
        if jurisdiction.contains(point) { return .inside }
        let projection = jurisdiction.projection.prepared()
        let p = projection.project(point)
        var best = Double.infinity
        for polygon in jurisdiction.boundary.polygons {
            for ring in [polygon.outer] + polygon.holes {
                let pts = ring.map(projection.project)
                guard pts.count > 1 else { continue }
                for k in 0..<pts.count {
                    best = min(best, Self.distance(p, pts[k], pts[(k + 1) % pts.count]))
                }
            }
        }
        return best <= nearMeters ? .near(meters: best) : .outside(meters: best)
    }

    /// Distance from `p` to the segment a–b, in metres.
    static func distance(_ p: PlanarPoint, _ a: PlanarPoint, _ b: PlanarPoint) -> Double {
        let dx = b.xMeters - a.xMeters, dy = b.yMeters - a.yMeters
        let length2 = dx * dx + dy * dy
        var t = length2 == 0 ? 0 : ((p.xMeters - a.xMeters) * dx + (p.yMeters - a.yMeters) * dy) / length2
        t = min(1, max(0, t))
        let x = a.xMeters + t * dx - p.xMeters, y = a.yMeters + t * dy - p.yMeters
        return (x * x + y * y).squareRoot()
    }
}
