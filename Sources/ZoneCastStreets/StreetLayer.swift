public import ZoneCastCore

/// A street in the layer's planar projection, kept beside its WGS84 original.
public struct PlacedStreet: Hashable, Sendable {
    public let street: Street
    /// `street.points` projected (metres east/north in the layer's projection).
    public let points: [PlanarPoint]
    public let bounds: PlanarBoundingBox
    public let lengthMeters: Double
}

/// A landmark in the layer's planar projection.
public struct PlacedLandmark: Hashable, Sendable {
    public let landmark: Landmark
    public let position: PlanarPoint
}

/// One segment of one street: `points[segment]` to `points[segment + 1]` of `streets[street]`.
public struct StreetSegmentReference: Hashable, Sendable {
    public let street: Int
    public let segment: Int
}

/// Streets and landmarks of a jurisdiction, projected once into the jurisdiction's planar projection (the one the
/// forecast grid and the zones use), with a segment index so "what is near this zone" and "what is in this
/// viewport" cost time in proportion to the answer. Immutable and `Sendable`: build it once per import and share
/// it between requests.
public struct StreetLayer: Sendable {
    public let projection: TransverseMercator
    public let streets: [PlacedStreet]
    public let landmarks: [PlacedLandmark]
    /// Flat segment list: `segmentStreet[k]`/`segmentStart[k]` name segment k (parallel arrays, index order).
    let segmentStreet: [Int32]
    let segmentStart: [Int32]
    let index: SegmentIndex

    /// Projects and indexes. Streets with fewer than two points or a non-finite coordinate are left out (readers
    /// report those as problems before they get here); landmarks with impossible coordinates likewise.
    public init(streets: [Street], landmarks: [Landmark] = [], projection: TransverseMercator) {
        let prepared = projection.prepared()
        var placed = [PlacedStreet]()
        placed.reserveCapacity(streets.count)
        for s in streets where s.points.count >= 2 && s.points.allSatisfy(\.isPossible) {
            let pts = s.points.map(prepared.project)
            guard let b = PlanarGeometry.bounds(pts) else { continue }
            placed.append(PlacedStreet(street: s, points: pts, bounds: b, lengthMeters: PlanarGeometry.length(pts)))
        }
        self.init(placed: placed, landmarks: landmarks.filter(\.location.isPossible).map {
            PlacedLandmark(landmark: $0, position: prepared.project($0.location))
        }, projection: projection)
    }

    init(placed: [PlacedStreet], landmarks: [PlacedLandmark], projection: TransverseMercator) {
        self.projection = projection
        self.streets = placed
        self.landmarks = landmarks
        var owner = [Int32](), first = [Int32](), boxes = [PlanarBoundingBox]()
        for (i, s) in placed.enumerated() {
            for k in 0..<(s.points.count - 1) {
                owner.append(Int32(i))
                first.append(Int32(k))
                boxes.append(PlanarGeometry.bounds([s.points[k], s.points[k + 1]])!)
            }
        }
        segmentStreet = owner
        segmentStart = first
        index = SegmentIndex(boxes: boxes)
    }

    public var isEmpty: Bool { streets.isEmpty }

    /// The extent of all streets, nil for an empty layer.
    public var bounds: PlanarBoundingBox? {
        PlanarGeometry.bounds(streets.flatMap { [PlanarPoint(xMeters: $0.bounds.minX, yMeters: $0.bounds.minY),
                                                 PlanarPoint(xMeters: $0.bounds.maxX, yMeters: $0.bounds.maxY)] })
    }

    /// The segments that cross or touch `box`, in street then segment order.
    public func segments(intersecting box: PlanarBoundingBox) -> [StreetSegmentReference] {
        index.candidates(in: box).compactMap { k in
            let s = Int(segmentStreet[k]), j = Int(segmentStart[k])
            let pts = streets[s].points
            guard PlanarGeometry.clip(pts[j], pts[j + 1], to: box) != nil else { return nil }
            return StreetSegmentReference(street: s, segment: j)
        }
    }

    /// Indices of the streets with at least one segment crossing or touching `box`, ascending.
    public func streets(intersecting box: PlanarBoundingBox) -> [Int] {
        var result = [Int]()
        for ref in segments(intersecting: box) where result.last != ref.street { result.append(ref.street) }
        return result
    }

    /// The endpoints of a segment.
    public func endpoints(of ref: StreetSegmentReference) -> (PlanarPoint, PlanarPoint) {
        (streets[ref.street].points[ref.segment], streets[ref.street].points[ref.segment + 1])
    }

    /// The landmark nearest to `point` within `maxMeters`, with its distance; ties go to the earlier one.
    public func nearestLandmark(to point: PlanarPoint, within maxMeters: Double = .infinity) -> (PlacedLandmark, Double)? {
        var best: (PlacedLandmark, Double)?
        for l in landmarks {
            let d = l.position.distanceMeters(to: point)
            if d <= maxMeters, d < (best?.1 ?? .infinity) { best = (l, d) }
        }
        return best
    }

    /// The layer clipped to a boundary: street pieces outside it are cut off at the crossing, landmarks outside
    /// are dropped. See `BoundaryClipper` for how crossings are found.
    public func clipped(to boundary: GeoMultiPolygon) -> StreetLayer {
        let clipper = BoundaryClipper(boundary: boundary, projection: projection.prepared())
        let prepared = projection.prepared()
        var kept = [PlacedStreet]()
        for s in streets {
            for piece in clipper.insidePieces(of: s.points) where piece.count >= 2 {
                guard let b = PlanarGeometry.bounds(piece) else { continue }
                let street = Street(name: s.street.name, streetClass: s.street.streetClass, points: piece.map(prepared.unproject))
                kept.append(PlacedStreet(street: street, points: piece, bounds: b, lengthMeters: PlanarGeometry.length(piece)))
            }
        }
        return StreetLayer(placed: kept, landmarks: landmarks.filter { clipper.contains($0.position) }, projection: projection)
    }
}
