import ZoneCastCore

/// One generated event before ordering and rendering: compact (about 40 bytes) so a million fit comfortably.
struct GeneratedEvent: Sendable {
    /// Local wall-clock minutes since the window's first midnight.
    var minute: Int32
    var offence: UInt8
    var firearm: Bool
    /// Index (in generation order) of the triggering event, or -1.
    var parent: Int32
    var latitudeMicro: Int32
    var longitudeMicro: Int32
    var xMeters: Double
    var yMeters: Double

    init(minute: Int, offence: SyntheticOffence, firearm: Bool, parent: Int, position: PlanarPoint, location: GeoPoint) {
        self.minute = Int32(minute)
        self.offence = offence.index
        self.firearm = firearm
        self.parent = Int32(parent)
        latitudeMicro = Int32((location.latitude * 1e6).rounded())
        longitudeMicro = Int32((location.longitude * 1e6).rounded())
        xMeters = position.xMeters
        yMeters = position.yMeters
    }

    var location: GeoPoint { GeoPoint(latitude: Double(latitudeMicro) / 1e6, longitude: Double(longitudeMicro) / 1e6) }
    var position: PlanarPoint { PlanarPoint(xMeters: xMeters, yMeters: yMeters) }
}
