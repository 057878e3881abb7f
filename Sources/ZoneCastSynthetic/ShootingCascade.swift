import ZoneCastCore

/// Simulates shootings as a self-exciting (ETAS / Hawkes) branching process, the "retaliation" structure that
/// near-repeat studies find for gun violence: background (immigrant) shootings arise from the violent hot areas
/// at a rate following the violence profile; each shooting then triggers Poisson(branchingRatio) offspring,
/// each Exponential(omega) days later and a Gaussian(sigma) displacement away, and offspring trigger in turn.
///
/// Exact count: families (a background shooting and all its descendants) are generated one after another
/// until the target is reached; the last family is cut short. Conditional on its size, this is the branching
/// process itself, and the cut touches one family out of hundreds.
///
/// Edge and rhythm choices, both documented in the metadata: an offspring whose delay runs past the window's
/// end is dropped (as it would be unobserved); an offspring's delay is redrawn until its hour passes the
/// violence hour-of-day thinning (and exists locally), so triggered shootings share the nightly rhythm. The
/// latter slightly reshapes the kernel within a day but not its 7-day mean scale.
struct ShootingCascade {
    struct Truth: Sendable {
        var backgroundCount = 0
        var offspringCount = 0
        var offspringDroppedBeyondWindow = 0
    }

    let parameters: ETASParameters
    let fatalFraction: Double
    let driveByFraction: Double

    func simulate(
        count target: Int, locations: LocationSampler, model: LocationModel, times: TimeSampler,
        using rng: inout SeededGenerator, into events: inout [GeneratedEvent]
    ) -> Truth {
        var truth = Truth()
        guard target > 0 else { return truth }
        let base = events.count
        let horizonDays = Double(times.calendar.dayCount)
        var timeDays: [Double] = []
        timeDays.reserveCapacity(target)
        var queue: [Int] = []

        func append(minute: Int, exactDays: Double, parent: Int, position: PlanarPoint, location: GeoPoint, rng: inout SeededGenerator) {
            let u = rng.uniform()
            let offence: SyntheticOffence = u < fatalFraction ? .homicide : (u < fatalFraction + driveByFraction ? .driveByShooting : .nonFatalShooting)
            events.append(GeneratedEvent(minute: minute, offence: offence, firearm: true, parent: parent < 0 ? -1 : base + parent,
                                         position: position, location: location))
            timeDays.append(exactDays)
        }

        while timeDays.count < target {
            let minute = times.sampleMinute(using: &rng)
            let (p, g) = locations.sample(model, using: &rng)
            append(minute: minute, exactDays: (Double(minute) + 0.5) / 1_440, parent: -1, position: p, location: g, rng: &rng)
            truth.backgroundCount += 1
            queue.removeAll(keepingCapacity: true)
            queue.append(timeDays.count - 1)
            var head = 0
            while head < queue.count, timeDays.count < target {
                let parent = queue[head]
                head += 1
                let children = rng.poisson(mean: parameters.branchingRatio)
                for _ in 0..<children where timeDays.count < target {
                    var childDays = -1.0, childMinute = 0
                    while true {
                        let t = timeDays[parent] + rng.exponential(rate: parameters.omegaPerDay)
                        if t >= horizonDays { truth.offspringDroppedBeyondWindow += 1; break }
                        let m = Int(t * 1_440)
                        if times.acceptsHour(ofMinute: m, using: &rng) { childDays = t; childMinute = m; break }
                    }
                    guard childDays >= 0 else { continue }
                    let (p, g) = locations.sampleNear(events[base + parent].position, sigmaMeters: parameters.sigmaMeters, using: &rng)
                    append(minute: childMinute, exactDays: childDays, parent: parent, position: p, location: g, rng: &rng)
                    truth.offspringCount += 1
                    queue.append(timeDays.count - 1)
                }
            }
        }
        return truth
    }
}
