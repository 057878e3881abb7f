import Foundation
import Testing
import ZoneCastForecast
@testable import ZoneCastZoning

struct ZoneDriversTests {
    @Test("given two raising features and one lowering when phrased then the sentence names the two with their factors, in order")
    func sentence() {
        let top = [FeatureContribution(feature: "n.homicide", description: "recent homicide incidents in and around the cells", meanLogContribution: log(2.1)),
                   FeatureContribution(feature: "kde", description: "the long-run density of past incidents", meanLogContribution: log(1.4)),
                   FeatureContribution(feature: "since", description: "how recently an incident happened here", meanLogContribution: -0.2)]
        let expected = "In the boosted model, the forecast here is raised most by recent homicide incidents in and around the cells (x2.1) "
            + "and the long-run density of past incidents (x1.4)."
        #expect(ZoneDrivers.sentence(top) == expected)
        #expect(ZoneDrivers.sentence(Array(top.suffix(1))) == nil)
        #expect(ZoneDrivers.sentence([]) == nil)
    }
}
