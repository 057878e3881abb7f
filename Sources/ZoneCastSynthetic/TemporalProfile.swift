/// When in the day, week and year one kind of incident happens, as relative intensities. Times are drawn by
/// thinning (Lewis & Shedler 1979): propose a uniform time, keep it with probability intensity / maximum. The
/// shapes follow well-replicated patterns rather than any one city's data: violence peaks late evening and
/// night and on weekends and in summer; fatal crashes at night and in the rush hours; property crime in the
/// day; DUI arrests after bar hours, when patrols look for them.
public struct TemporalProfile: Hashable, Sendable, Codable {
    public var name: String
    /// 24 relative intensities, index = local hour.
    public var hourWeights: [Double]
    /// 7 relative intensities, Sunday first.
    public var dayOfWeekWeights: [Double]
    /// Relative amplitude of a yearly cosine peaking in mid-July (day of year 196): 0.15 means July is 15 %
    /// above and January 15 % below the mean.
    public var summerAmplitude: Double

    public init(name: String, hourWeights: [Double], dayOfWeekWeights: [Double], summerAmplitude: Double) {
        precondition(hourWeights.count == 24 && dayOfWeekWeights.count == 7, "24 hour and 7 day weights are needed")
        self.name = name
        self.hourWeights = hourWeights
        self.dayOfWeekWeights = dayOfWeekWeights
        self.summerAmplitude = summerAmplitude
    }

    /// Shootings, assaults, robberies, shots fired: low in the morning, peak around midnight; weekend uplift.
    public static let violence = TemporalProfile(
        name: "violence",
        hourWeights: [1.60, 1.50, 1.30, 1.00, 0.70, 0.45, 0.30, 0.28, 0.30, 0.35, 0.40, 0.50,
                      0.60, 0.65, 0.70, 0.80, 0.90, 1.00, 1.10, 1.25, 1.40, 1.55, 1.70, 1.75],
        dayOfWeekWeights: [1.20, 0.90, 0.85, 0.85, 0.90, 1.10, 1.25], summerAmplitude: 0.20)

    /// Fatal crashes: night (impaired and fast driving) plus the morning and evening rush hours.
    public static let crash = TemporalProfile(
        name: "crash",
        hourWeights: [1.20, 1.30, 1.40, 1.00, 0.60, 0.60, 0.90, 1.20, 1.00, 0.60, 0.50, 0.60,
                      0.70, 0.70, 0.80, 1.00, 1.30, 1.40, 1.10, 1.00, 1.00, 1.10, 1.20, 1.20],
        dayOfWeekWeights: [1.15, 0.90, 0.90, 0.90, 0.95, 1.10, 1.20], summerAmplitude: 0.10)

    /// Overdoses: afternoon and evening, little weekly pattern.
    public static let overdose = TemporalProfile(
        name: "overdose",
        hourWeights: [0.80, 0.70, 0.60, 0.50, 0.40, 0.40, 0.50, 0.60, 0.70, 0.80, 0.90, 1.00,
                      1.10, 1.20, 1.20, 1.20, 1.20, 1.20, 1.10, 1.10, 1.00, 1.00, 0.90, 0.90],
        dayOfWeekWeights: [1, 1, 1, 1, 1, 1, 1], summerAmplitude: 0.05)

    /// Larceny: shop and street theft in business hours; quieter on Sundays.
    public static let daytimeProperty = TemporalProfile(
        name: "daytime property",
        hourWeights: [0.35, 0.25, 0.20, 0.15, 0.12, 0.15, 0.30, 0.50, 0.75, 0.90, 1.00, 1.10,
                      1.20, 1.20, 1.20, 1.25, 1.30, 1.30, 1.20, 1.00, 0.85, 0.70, 0.55, 0.45],
        dayOfWeekWeights: [0.85, 1.05, 1.05, 1.05, 1.05, 1.05, 0.90], summerAmplitude: 0.08)

    /// Burglary: homes are empty in the working day; flatter than larceny.
    public static let burglary = TemporalProfile(
        name: "burglary",
        hourWeights: [0.50, 0.45, 0.45, 0.40, 0.35, 0.30, 0.40, 0.60, 0.85, 1.00, 1.10, 1.10,
                      1.10, 1.10, 1.10, 1.00, 0.95, 0.90, 0.85, 0.80, 0.75, 0.70, 0.65, 0.60],
        dayOfWeekWeights: [0.90, 1.05, 1.05, 1.05, 1.05, 1.00, 0.90], summerAmplitude: 0.08)

    /// DUI arrests: after bar hours, Friday and Saturday nights, when enforcement is scheduled.
    public static let drunkDrivingEnforcement = TemporalProfile(
        name: "DUI enforcement",
        hourWeights: [2.00, 2.40, 2.50, 1.60, 0.80, 0.30, 0.15, 0.10, 0.10, 0.10, 0.10, 0.10,
                      0.15, 0.15, 0.15, 0.20, 0.30, 0.40, 0.50, 0.60, 0.80, 1.10, 1.40, 1.70],
        dayOfWeekWeights: [1.30, 0.70, 0.70, 0.80, 0.90, 1.30, 1.50], summerAmplitude: 0.0)

    /// Drug possession: evening and night patrol activity.
    public static let patrolActivity = TemporalProfile(
        name: "patrol activity",
        hourWeights: [1.30, 1.30, 1.10, 0.80, 0.50, 0.30, 0.30, 0.40, 0.50, 0.60, 0.70, 0.80,
                      0.85, 0.90, 0.90, 1.00, 1.10, 1.20, 1.30, 1.40, 1.50, 1.50, 1.50, 1.40],
        dayOfWeekWeights: [1.05, 0.95, 0.95, 1.00, 1.00, 1.05, 1.05], summerAmplitude: 0.05)
}
