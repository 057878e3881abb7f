public import Foundation
public import ZoneCastCore
public import ZoneCastForecast

/// Why a zone: the numbers behind it and a paragraph an IRIS meeting can read aloud, generated from them.
public struct ZoneExplanation: Hashable, Sendable, Codable {
    public struct CategoryCounts: Hashable, Sendable, Codable {
        public var category: HarmCategory
        public var last7Days: Int
        public var last28Days: Int
        public var last365Days: Int
    }

    public var forecastHarm: Double
    public var shareOfCity: Double
    public var categories: [CategoryCounts]
    /// Share of the zone's forecast the point process attributes to recent triggering (near-repeat,
    /// retaliation), when a point-process fit is available.
    public var triggeredShare: Double?
    /// Violent incidents in the last 28 days against the 28 before, and the 365-day monthly average.
    public var violentLast28: Int
    public var violentPrevious28: Int
    public var violentMonthlyAverage: Double
    /// Most frequent addresses (blocks, intersections) of incidents inside the zone over the last year.
    public var places: [String]
    public var text: String

    /// Explains `zone` at `origin` from the incidents before it. `incidents` may hold more than the zone; only
    /// those in its cells count.
    public static func explain(zone: Zone, grid: Grid, surfaceTotal: Double, incidents: [Incident], origin: Date, triggeredShare: Double?,
                               label: String) -> ZoneExplanation {
        let cells = Set(zone.cells)
        let day = 86_400.0
        let inside = incidents.filter { i in
            i.occurredAt < origin && i.occurredAt >= origin.addingTimeInterval(-365 * day) && (grid.cell(containing: i.position).map(cells.contains) ?? false)
        }
        var counts: [HarmCategory: CategoryCounts] = [:]
        for i in inside {
            let age = origin.timeIntervalSince(i.occurredAt) / day
            var c = counts[i.category] ?? CategoryCounts(category: i.category, last7Days: 0, last28Days: 0, last365Days: 0)
            c.last365Days += 1
            if age < 28 { c.last28Days += 1 }
            if age < 7 { c.last7Days += 1 }
            counts[i.category] = c
        }
        let categories = counts.values.sorted { ($0.last365Days, $1.category) > ($1.last365Days, $0.category) }
        let violent = inside.filter { HarmCategory.violent.contains($0.category) }
        let last28 = violent.filter { origin.timeIntervalSince($0.occurredAt) < 28 * day }.count
        let prev28 = violent.filter { let a = origin.timeIntervalSince($0.occurredAt); return a >= 28 * day && a < 56 * day }.count
        let monthly = Double(violent.count) / 12
        var placeCounts: [String: Int] = [:]
        for i in inside { if let a = i.address?.trimmingCharacters(in: .whitespaces), !a.isEmpty { placeCounts[a, default: 0] += 1 } }
        let places = placeCounts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3).map(\.key)
        let share = surfaceTotal > 0 ? zone.value / surfaceTotal : 0

        var sentences: [String] = []
        sentences.append(String(format: "%@ covers %.2f km² and holds %.1f %% of the city's forecast harm for the coming window.",
                                label, zone.areaKm2, share * 100))
        // Lead with the harms that drove the zone: "other" incidents carry no harm weight, so they come last whatever their count.
        let harmsFirst = categories.filter { $0.category != .other } + categories.filter { $0.category == .other }
        let named = harmsFirst.prefix(3).map { $0.category.counted($0.last365Days) }
        if !named.isEmpty {
            sentences.append("In the last year it saw \(named.joined(separator: ", "))" + (categories.count > 3 ? " among other incidents." : "."))
        } else {
            sentences.append("It saw no recorded incident in the last year; its forecast comes from harm nearby.")
        }
        let recent = categories.filter { $0.last28Days > 0 }
            .sorted { ($0.last28Days, $1.category) > ($1.last28Days, $0.category) }
            .map { $0.category.counted($0.last28Days) }
        if !recent.isEmpty { sentences.append("In the last four weeks: \(recent.joined(separator: ", ")).") }
        if last28 > prev28 + 1 {
            sentences.append("Violence is rising: \(PlainWords.count(last28, "violent incident")) in the last four weeks against \(prev28) in the four before.")
        } else if prev28 > last28 + 1 {
            sentences.append("Violence is easing: \(PlainWords.count(last28, "violent incident")) in the last four weeks against \(prev28) in the four before.")
        } else if violent.count > 0 { sentences.append(String(format: "Violence is steady at about %.1f incidents a month.", monthly)) }
        // A share that rounds to 0 % is no near-repeat triggering: say nothing rather than "0 % of the forecast comes from ...".
        if let t = triggeredShare, t >= 0.005 {
            if t >= 0.3 {
                sentences.append(String(format: "About %.0f %% of its forecast comes from recent incidents that tend to be followed by more nearby "
                                             + "(near-repeat or retaliation risk).", t * 100))
            } else {
                sentences.append(String(format: "Its risk is mostly long-standing: %.0f %% of the forecast comes from recent near-repeat triggering.",
                                        t * 100))
            }
        }
        if !places.isEmpty { sentences.append("Most incidents were recorded at \(places.joined(separator: "; ")).") }
        return ZoneExplanation(forecastHarm: zone.value, shareOfCity: share, categories: categories, triggeredShare: triggeredShare,
                               violentLast28: last28, violentPrevious28: prev28, violentMonthlyAverage: monthly, places: Array(places),
                               text: sentences.joined(separator: " "))
    }
}
