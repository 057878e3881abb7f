public import ZoneCastCore

/// Fictional block addresses ("1200 BLOCK OAK AVE"), a pure function of planar position, so the address column
/// looks like a records system's (which usually rounds to the block for privacy) and is reproducible.
///
/// The city is laid out as a grid: named avenues run north-south every 400 m, numbered streets east-west every
/// 400 m; house numbers advance 100 per 100 m from the south-west corner. A point takes the nearer street.
/// No street is called MAIN, so no incident matches headquarters' "100 MAIN ST" address pattern.
public enum SyntheticAddress {
    static let streetSpacingMeters = 400.0
    static let westEdgeMeters = -12_000.0
    static let southEdgeMeters = -9_000.0

    static let avenueNames: [String] = [
        "ALDER", "ASH", "ASPEN", "BALSAM", "BASSWOOD", "BEECH", "BIRCH", "BOXELDER", "BUCKEYE", "BUTTERNUT",
        "CATALPA", "CEDAR", "CHERRY", "CHESTNUT", "COTTONWOOD", "CYPRESS", "DOGWOOD", "ELDER", "ELM", "FIR",
        "GINKGO", "HACKBERRY", "HAWTHORN", "HAZEL", "HEMLOCK", "HICKORY", "HOLLY", "HORNBEAM", "JUNIPER", "LARCH",
        "LAUREL", "LINDEN", "LOCUST", "MAGNOLIA", "MAPLE", "MULBERRY", "OAK", "OLIVE", "OSAGE", "PAWPAW",
        "PECAN", "PERSIMMON", "PINE", "PLUM", "POPLAR", "REDBUD", "REDWOOD", "ROWAN", "SASSAFRAS", "SPRUCE",
        "SUMAC", "SYCAMORE", "TAMARACK", "TUPELO", "WALNUT", "WILLOW", "WISTERIA", "YEW", "ZELKOVA", "BAYBERRY",
        "QUINCE", "SEQUOIA",
    ]

    /// The block address for a planar position in the synthetic city's projection.
    public static func blockAddress(for p: PlanarPoint) -> String {
        let fx = (p.xMeters - westEdgeMeters) / streetSpacingMeters
        let fy = (p.yMeters - southEdgeMeters) / streetSpacingMeters
        let avenue = fx.rounded(), street = fy.rounded()
        if abs(fx - avenue) <= abs(fy - street) {
            let i = min(max(Int(avenue), 0), avenueNames.count - 1)
            return "\(block(p.yMeters - southEdgeMeters)) BLOCK \(avenueNames[i]) AVE"
        } else {
            return "\(block(p.xMeters - westEdgeMeters)) BLOCK \(ordinal(max(Int(street), 0) + 1)) ST"
        }
    }

    private static func block(_ metersFromEdge: Double) -> Int { max(0, Int(metersFromEdge / 100)) * 100 }

    static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 100, n % 10) {
        case (11...13, _): suffix = "TH"
        case (_, 1): suffix = "ST"
        case (_, 2): suffix = "ND"
        case (_, 3): suffix = "RD"
        default: suffix = "TH"
        }
        return "\(n)\(suffix)"
    }
}
