import Foundation

/// Every threshold behind the alerts to commanders, as one value an admin changes in the web application (audited)
/// instead of only through environment variables. Each field has a range that keeps the alert meaningful; a value
/// outside it is refused naming the field, the value and the range.
public struct AlertThresholds: Hashable, Sendable, Codable {
    public var enforcement: EnforcementThresholds
    public var dosage: DosageThresholds

    public init(enforcement: EnforcementThresholds = .standard, dosage: DosageThresholds = .standard) {
        self.enforcement = enforcement
        self.dosage = dosage
    }

    public static let standard = AlertThresholds()

    /// A field as the settings form and the audit log name it, with its allowed range and unit.
    public struct Field: Hashable, Sendable {
        public var name: String
        public var range: ClosedRange<Double>
        public var unit: String
    }

    /// The fields in the order a form shows them. Ranges: enough to switch an alert off in practice (0 minor
    /// citations per hour alerts on the first one; a 168 h gap is a week) without values that make no sense
    /// (a share above 1, more than one visit every half hour, a negative rate).
    public static let fields: [Field] = [
        Field(name: "enforcement_minor_per_hour", range: 0...10, unit: "minor-infraction citations per patrol hour"),
        Field(name: "enforcement_ratio", range: 0...10, unit: "enforcement actions per community contact or business check"),
        Field(name: "dosage_min_visits_per_day", range: 0...48, unit: "visits per day"),
        Field(name: "dosage_max_gap_hours", range: 1...168, unit: "hours"),
        Field(name: "dosage_min_harm_coverage", range: 0...1, unit: "share of the zone's harm (0 to 1)"),
        Field(name: "dosage_min_elapsed_hours", range: 0...96, unit: "hours of the cycle before any low-patrol flag"),
    ]

    public subscript(field: Field) -> Double {
        get {
            switch field.name {
            case "enforcement_minor_per_hour": enforcement.maxMinorCitationsPerHour
            case "enforcement_ratio": enforcement.maxEnforcementPerContact
            case "dosage_min_visits_per_day": dosage.minVisitsPerDay
            case "dosage_max_gap_hours": dosage.maxGapHours
            case "dosage_min_harm_coverage": dosage.minHarmHourCoverage
            default: dosage.minElapsedHours
            }
        }
        set {
            switch field.name {
            case "enforcement_minor_per_hour": enforcement.maxMinorCitationsPerHour = newValue
            case "enforcement_ratio": enforcement.maxEnforcementPerContact = newValue
            case "dosage_min_visits_per_day": dosage.minVisitsPerDay = newValue
            case "dosage_max_gap_hours": dosage.maxGapHours = newValue
            case "dosage_min_harm_coverage": dosage.minHarmHourCoverage = newValue
            default: dosage.minElapsedHours = newValue
            }
        }
    }

    /// Throws for the first field outside its range (or not finite), naming it.
    public func validated() throws(OversightInputError) -> AlertThresholds {
        for f in Self.fields {
            let v = self[f]
            guard v.isFinite, f.range.contains(v) else {
                throw OversightInputError(field: f.name, value: String(v), reason: Self.rangeText(f))
            }
        }
        return self
    }

    /// The thresholds from a settings form: every field present is parsed and range-checked (a missing field keeps
    /// `base`'s value). Unknown fields are refused, so a typo in an API call is not silently ignored.
    public static func from(form: [String: String], base: AlertThresholds = .standard) throws(OversightInputError) -> AlertThresholds {
        var t = base
        for (name, text) in form {
            guard let f = fields.first(where: { $0.name == name }) else {
                throw OversightInputError(field: name, value: text, reason: "unknown setting (known: \(fields.map(\.name).joined(separator: ", ")))")
            }
            guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                throw OversightInputError(field: name, value: text, reason: rangeText(f))
            }
            guard f.range.contains(v) else { throw OversightInputError(field: name, value: text, reason: rangeText(f)) }
            t[f] = v
        }
        return try t.validated()
    }

    /// "dosage_max_gap_hours 24 → 36; enforcement_ratio 0.25 → 0.3": what changed, for the audit entry (empty: nothing).
    public func changes(from old: AlertThresholds) -> String {
        Self.fields.filter { old[$0] != self[$0] }
            .map { "\($0.name) \(DosageThresholds.number(old[$0])) → \(DosageThresholds.number(self[$0]))" }.joined(separator: "; ")
    }

    static func rangeText(_ f: Field) -> String {
        "expected a number from \(DosageThresholds.number(f.range.lowerBound)) to \(DosageThresholds.number(f.range.upperBound)) \(f.unit)"
    }
}
