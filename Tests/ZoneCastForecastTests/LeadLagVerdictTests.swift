import Testing
@testable import ZoneCastForecast
import ZoneCastCore

@Suite struct LeadLagVerdictTests {
    static func pair(chi: Double, perm: Double?, effect: Double = 0.31) -> LeadLagAnalysis.Pair {
        LeadLagAnalysis.Pair(leader: .shotsFired, follower: .aggravatedAssault, effect: effect, standardError: 0.05, likelihoodRatio: 40,
                             pValueChiSquared: chi, pValuePermutation: perm, rows: 5_200)
    }

    @Test func tinyChiSquaredBesideLargePermutationMeansSharedPlaces() {
        // Given p(chi2) = 0.00001 and p(perm) = 1.000 from 19 permutations, 52 assaults over 5,200 cell-windows
        let v = Self.pair(chi: 0.00001, perm: 1).verdict(permutations: 19, followerEvents: 52)
        // Then the verdict trusts the permutation value, says why, and names the sparsity
        #expect(v.finding == .sharedPlacesOnly && v.trusted == "p(perm)")
        #expect(v.text == "shots fired -> aggravated assault: shared places, no lead: trust p(perm)=1.000, not p(chi2)=<0.0001 (chi-squared treats "
                + "clustered cell-windows as independent and credits shots fired's places, which shuffling shots fired's times keeps; "
                + "0.010 aggravated assault per cell-window)")
    }

    @Test func smallPermutationValueIsALead() {
        // Given p(perm) = 0.05 from 19 permutations (the smallest attainable) and a negative effect
        let v = Self.pair(chi: 0.001, perm: 0.05, effect: -0.2).verdict(permutations: 19)
        // Then a lead, stated with its direction
        #expect(v.finding == .leads)
        #expect(v.text == "shots fired -> aggravated assault: shots fired nearby lowers aggravated assault in the next window beyond aggravated assault's "
                + "own history (p(perm)=0.0500, effect -0.20 ± 0.05)")
    }

    @Test func oneOfManyPairsMustClearTheBonferroniBar() {
        // Given p(perm) = 0.05 from 19 permutations, one of 42 pairs tested together
        let v = Self.pair(chi: 0.001, perm: 0.05).verdict(permutations: 19, tests: 42)
        // Then it is not a lead: 0.05 / 42 = 0.0012 is out of reach of 19 permutations
        #expect(v.finding == .unconfirmed)
        #expect(v.text.contains("p(perm)=0.0500 does not clear 0.0012, the bar for one of 42 pairs")
                && v.text.contains("19 permutations cannot go below 0.0500, run at least 840"), "\(v.text)")
        // And with 999 permutations reaching p = 0.001, it is one
        #expect(Self.pair(chi: 0.001, perm: 0.001).verdict(permutations: 999, tests: 42).finding == .leads)
    }

    @Test func hugeEffectIsDegenerate() {
        // Given an effect of 23.47 (a rate ratio of e^23) at the permutation floor
        let v = Self.pair(chi: 0.0001, perm: 0.05, effect: 23.47).verdict(permutations: 19)
        #expect(v.finding == .unconfirmed && v.text.contains("degenerate fit, not a finding: effect 23.47"), "\(v.text)")
    }

    @Test func tooFewPermutationsCannotConfirm() {
        // Given 9 permutations (smallest p 0.1) and a small chi-squared value
        let v = Self.pair(chi: 0.001, perm: 0.1).verdict(permutations: 9)
        #expect(v.finding == .unconfirmed)
        #expect(v.text.contains("9 permutations cannot reach p ≤ 0.0500 (smallest 0.100)"))
    }

    @Test func chiSquaredAloneIsUnconfirmedOrNo() {
        #expect(Self.pair(chi: 0.01, perm: nil).verdict(permutations: 0).finding == .unconfirmed)
        #expect(Self.pair(chi: 0.4, perm: nil).verdict(permutations: 0).finding == .noEvidence)
        #expect(Self.pair(chi: 0.4, perm: 0.6).verdict(permutations: 19).text == "shots fired -> aggravated assault: no sign of a lead (p(perm)=0.600, p(chi2)=0.400)")
    }
}
