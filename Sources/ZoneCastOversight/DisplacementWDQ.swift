/// The Weighted Displacement Quotient (Bowers & Johnson 2003, "Measuring the geographical displacement and
/// diffusion of benefit effects of crime prevention activity", J. Quant. Criminol. 19:275-301).
///
/// With R the response (target) area, D the displacement (buffer) area around it, C a control area, and the
/// suffixes b (before) and a (after, here: while the zone was patrolled):
///
///     success measure  S   = R_a/C_a − R_b/C_b           (negative: crime fell in R relative to C)
///     buffer measure   Bm  = D_a/C_a − D_b/C_b           (negative: crime fell in D relative to C)
///     WDQ                  = Bm / S
///     total net effect TNE = [R_b·(C_a/C_b) − R_a] + [D_b·(C_a/C_b) − D_a]
///
/// Reading (Bowers & Johnson 2003, table 1): the WDQ is interpreted only when S < 0 (the intervention
/// "worked" relative to the control). WDQ > 0: diffusion of benefits (the buffer improved too); WDQ > 1: the
/// diffusion exceeds the direct effect; WDQ = 0: neither; WDQ < 0: displacement; WDQ < −1: displacement larger
/// than the gain in the target area. The TNE counts incidents (or harm) prevented net of displacement: each
/// area's expected count had it followed the control's trend (before × C_a/C_b) minus what was observed;
/// positive is good.
///
/// Worked check (hand-computed, in `WDQTests`): R 100→60, D 80→70, C 400→380: C_a/C_b = 0.95,
/// S = 60/380 − 100/400 = −35/380, Bm = 70/380 − 80/400 = −6/380, WDQ = 6/35 ≈ 0.171 (modest diffusion),
/// TNE = (95 − 60) + (76 − 70) = 41.
public struct WeightedDisplacementQuotient: Hashable, Sendable, Codable {
    /// Counts (or harm totals) before and after in one area.
    public struct Area: Hashable, Sendable, Codable {
        public var before: Double
        public var after: Double
        public init(before: Double, after: Double) {
            self.before = before
            self.after = after
        }
    }

    public enum Reading: String, Hashable, Sendable, Codable {
        /// S ≥ 0 or undefined: no measured success, so nothing to displace; the WDQ is not interpreted.
        case notInterpreted = "not_interpreted"
        case diffusionGreaterThanDirectEffect = "diffusion_greater_than_direct_effect"
        case diffusion
        case noChange = "no_displacement_or_diffusion"
        case displacementSmallerThanGain = "displacement_smaller_than_gain"
        case displacementGreaterThanGain = "displacement_greater_than_gain"

        public var text: String {
            switch self {
            case .notInterpreted: "not interpreted: no success to displace"
            case .diffusionGreaterThanDirectEffect: "diffusion of benefits, larger than the direct effect"
            case .diffusion: "diffusion of benefits"
            case .noChange: "neither displacement nor diffusion"
            case .displacementSmallerThanGain: "some displacement, smaller than the gain"
            case .displacementGreaterThanGain: "displacement larger than the gain"
            }
        }
    }

    public let target: Area
    public let buffer: Area
    public let control: Area
    /// R_a/C_a − R_b/C_b; nil when C_a or C_b is 0.
    public let successMeasure: Double?
    /// D_a/C_a − D_b/C_b; nil when C_a or C_b is 0.
    public let bufferMeasure: Double?
    /// Bm / S; nil when either is undefined or S = 0.
    public let quotient: Double?
    /// [R_b·(C_a/C_b) − R_a] + [D_b·(C_a/C_b) − D_a]; nil when C_b is 0.
    public let totalNetEffect: Double?
    /// R_b·(C_a/C_b) − R_a: the target area's part of the TNE.
    public let targetNetEffect: Double?
    /// D_b·(C_a/C_b) − D_a: the buffer's part (negative: displacement).
    public let bufferNetEffect: Double?
    public let reading: Reading
    /// Why a figure is missing or not interpreted, in plain words naming the value at fault; empty when all is well.
    public let problems: [String]

    /// Tolerance below which the success measure counts as zero (ratios of counts; exact zero is the usual case).
    static let epsilon = 1e-12

    public init(target: Area, buffer: Area, control: Area) {
        self.target = target
        self.buffer = buffer
        self.control = control
        var problems: [String] = []
        let cb = control.before, ca = control.after
        if cb <= 0 {
            problems.append("control area had no incidents before (C_b = 0): its trend C_a/C_b, the success measure, the WDQ and the total net effect "
                            + "are undefined")
        }
        if ca <= 0 {
            problems.append("control area had no incidents during the patrols (C_a = 0): the ratios R_a/C_a and D_a/C_a, and so the success measure "
                            + "and the WDQ, are undefined")
        }
        if cb > 0 && ca > 0 {
            let s = target.after / ca - target.before / cb
            let bm = buffer.after / ca - buffer.before / cb
            successMeasure = s
            bufferMeasure = bm
            if abs(s) < Self.epsilon {
                quotient = nil
                problems.append("success measure is 0 (R_a/C_a = R_b/C_b = \(Self.format(target.before / cb))): no change in the target area relative "
                                + "to the control, so the WDQ (buffer measure / success measure) is undefined")
            } else {
                quotient = bm / s
                if s > 0 {
                    problems.append("success measure is \(Self.format(s)) > 0: the target area did not improve relative to the control, "
                                    + "so the WDQ is not interpreted (Bowers & Johnson 2003)")
                }
            }
        } else {
            successMeasure = nil
            bufferMeasure = nil
            quotient = nil
        }
        if cb > 0 {
            let trend = ca / cb
            let t = target.before * trend - target.after
            let d = buffer.before * trend - buffer.after
            targetNetEffect = t
            bufferNetEffect = d
            totalNetEffect = t + d
        } else {
            targetNetEffect = nil
            bufferNetEffect = nil
            totalNetEffect = nil
        }
        if let q = quotient, let s = successMeasure, s < 0 {
            if q > 1 + Self.epsilon { reading = .diffusionGreaterThanDirectEffect }
            else if q > Self.epsilon { reading = .diffusion }
            else if q >= -Self.epsilon { reading = .noChange }
            else if q >= -1 { reading = .displacementSmallerThanGain }
            else { reading = .displacementGreaterThanGain }
        } else {
            reading = .notInterpreted
        }
        self.problems = problems
    }

    static func format(_ v: Double) -> String {
        let r = (v * 10_000).rounded() / 10_000
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
