public import ZoneCastCore

extension SyntheticIncidentGenerator {
    /// Everything that determines a data set. Two runs with equal configurations produce identical rows.
    public struct Configuration: Hashable, Sendable, Codable {
        /// Exact number of CSV data rows to produce (including the deliberate duplicate rows).
        public var rowCount: Int
        public var seed: UInt64
        /// First local date of the window.
        public var startDate: LocalDate
        public var durationDays: Int
        /// The self-exciting process behind shootings (homicides, non-fatal and drive-by shootings).
        public var shootingProcess: ETASParameters
        public var mix: OffenceMix
        /// Share of shootings that are fatal (written as HOMICIDE).
        public var fatalShootingFraction: Double
        /// Share of shootings that are drive-bys.
        public var driveByFraction: Double
        /// Share of events written with a date but no time, to exercise day-precision handling.
        public var dateOnlyFraction: Double
        public var dirtyRows: DirtyRowRates

        public init(
            rowCount: Int, seed: UInt64, startDate: LocalDate = LocalDate(year: 2023, month: 1, day: 1), durationDays: Int = 730,
            shootingProcess: ETASParameters = ETASParameters(), mix: OffenceMix = OffenceMix(),
            fatalShootingFraction: Double = 0.15, driveByFraction: Double = 0.12, dateOnlyFraction: Double = 0.03,
            dirtyRows: DirtyRowRates = DirtyRowRates()
        ) {
            self.rowCount = rowCount
            self.seed = seed
            self.startDate = startDate
            self.durationDays = durationDays
            self.shootingProcess = shootingProcess
            self.mix = mix
            self.fatalShootingFraction = fatalShootingFraction
            self.driveByFraction = driveByFraction
            self.dateOnlyFraction = dateOnlyFraction
            self.dirtyRows = dirtyRows
        }
    }
}

/// Parameters of an ETAS / Hawkes process (Ogata 1988; Mohler et al. 2011, "Self-exciting point process
/// modeling of crime", JASA 106:100-108): each event triggers Poisson(`branchingRatio`) direct offspring, each
/// after an Exponential(`omegaPerDay`) delay in days, displaced by an isotropic Gaussian with standard
/// deviation `sigmaMeters` per axis. These are the truth a fitted model should recover.
public struct ETASParameters: Hashable, Sendable, Codable {
    /// Expected direct offspring per event; must be < 1 for the process to be stable. The long-run share of
    /// triggered events among all events equals it.
    public var branchingRatio: Double
    /// Decay rate of the triggering kernel, per day.
    public var omegaPerDay: Double
    /// Per-axis standard deviation of the offspring displacement, metres.
    public var sigmaMeters: Double

    public init(branchingRatio: Double = 0.35, omegaPerDay: Double = 1.0 / 7.0, sigmaMeters: Double = 120) {
        self.branchingRatio = branchingRatio
        self.omegaPerDay = omegaPerDay
        self.sigmaMeters = sigmaMeters
    }

    public var meanDelayDays: Double { 1 / omegaPerDay }
}

/// Relative shares of the event streams. They are normalised, then turned into exact integer counts by the
/// largest-remainder method, so the total is always exactly the number of events asked for.
public struct OffenceMix: Hashable, Sendable, Codable {
    /// Homicides, non-fatal and drive-by shootings together (split by the configuration's fractions).
    public var shootings: Double
    public var shotsFired: Double
    public var fatalCrashes: Double
    public var overdoses: Double
    public var aggravatedAssaults: Double
    public var robberies: Double
    public var drugPossession: Double
    public var drunkDriving: Double
    public var larceny: Double
    public var burglary: Double

    public init(
        shootings: Double = 0.05, shotsFired: Double = 0.08, fatalCrashes: Double = 0.004, overdoses: Double = 0.04,
        aggravatedAssaults: Double = 0.13, robberies: Double = 0.07, drugPossession: Double = 0.08, drunkDriving: Double = 0.04,
        larceny: Double = 0.356, burglary: Double = 0.15
    ) {
        self.shootings = shootings
        self.shotsFired = shotsFired
        self.fatalCrashes = fatalCrashes
        self.overdoses = overdoses
        self.aggravatedAssaults = aggravatedAssaults
        self.robberies = robberies
        self.drugPossession = drugPossession
        self.drunkDriving = drunkDriving
        self.larceny = larceny
        self.burglary = burglary
    }

    /// Shares in `EventStream.allCases` order.
    var shares: [Double] {
        [shootings, shotsFired, fatalCrashes, overdoses, aggravatedAssaults, robberies, drugPossession, drunkDriving, larceny, burglary]
    }
}

/// Rates of deliberately faulty rows, as fractions of the row count (rounded to whole rows).
public struct DirtyRowRates: Hashable, Sendable, Codable {
    public var duplicateFraction: Double
    public var blankCoordinateFraction: Double
    public var unparseableDateFraction: Double

    public init(duplicateFraction: Double = 0.001, blankCoordinateFraction: Double = 0.0005, unparseableDateFraction: Double = 0.0002) {
        self.duplicateFraction = duplicateFraction
        self.blankCoordinateFraction = blankCoordinateFraction
        self.unparseableDateFraction = unparseableDateFraction
    }

    /// No faults at all.
    public static let none = DirtyRowRates(duplicateFraction: 0, blankCoordinateFraction: 0, unparseableDateFraction: 0)
}
