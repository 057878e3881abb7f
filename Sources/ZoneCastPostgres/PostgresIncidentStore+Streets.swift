import Foundation
import PostgresNIO
public import ZoneCastCore
public import ZoneCastStore
public import ZoneCastStreets
import NIOFoundationEssentialsCompat

extension PostgresIncidentStore: StreetStore {
    /// Migration v7-streets (the SQLite store's, without PostGIS): each street's bounding box is a built-in `box`
    /// (x = longitude, y = latitude) under a GiST index, which answers `&&` (overlap, touching included).
    static let streetsMigration = [
        """
        CREATE TABLE street_layer (
            id integer PRIMARY KEY CHECK (id = 1),
            source text NOT NULL,
            imported_at double precision NOT NULL,
            version bigint NOT NULL
        )
        """,
        "CREATE TABLE street (id bigint PRIMARY KEY, name text NOT NULL, class text NOT NULL, points bytea NOT NULL, bounds box NOT NULL)",
        "CREATE INDEX street_bounds ON street USING gist (bounds)",
        """
        CREATE TABLE landmark (
            id bigint PRIMARY KEY,
            name text NOT NULL,
            kind text NOT NULL,
            latitude double precision NOT NULL,
            longitude double precision NOT NULL
        )
        """,
    ]

    /// Streets per INSERT over `unnest`: a city's layer (tens of thousands of features) in a few round trips.
    static let streetChunk = 5_000

    public func replaceStreetLayer(_ layer: StoredStreetLayer) async throws {
        try await wrap {
            try await pool.transaction { s in
                // DELETE, not TRUNCATE: readers keep seeing the old layer until COMMIT instead of waiting for it.
                try await s.query("DELETE FROM street")
                try await s.query("DELETE FROM landmark")
                for start in stride(from: 0, to: layer.streets.count, by: Self.streetChunk) {
                    let chunk = Array(layer.streets[start..<min(start + Self.streetChunk, layer.streets.count)])
                    for (k, street) in chunk.enumerated() { try StreetRecords.validate(street, index: start + k) }
                    let boxes = chunk.map(StreetRecords.bounds)
                    try await s.query("""
                        INSERT INTO street (id, name, class, points, bounds)
                        SELECT u.id, u.name, u.class, u.points, box(point(u.min_lon, u.min_lat), point(u.max_lon, u.max_lat))
                        FROM unnest(\(chunk.indices.map { Int64(start + $0 + 1) })::bigint[], \(chunk.map(\.name))::text[],
                                    \(chunk.map(\.streetClass.rawValue))::text[], \(chunk.map { ByteBuffer(data: StreetRecords.encode($0.points)) })::bytea[],
                                    \(boxes.map(\.minLongitude))::float8[], \(boxes.map(\.minLatitude))::float8[],
                                    \(boxes.map(\.maxLongitude))::float8[], \(boxes.map(\.maxLatitude))::float8[])
                             AS u(id, name, class, points, min_lon, min_lat, max_lon, max_lat)
                        """)
                }
                let l = layer.landmarks
                for (i, landmark) in l.enumerated() { try StreetRecords.validate(landmark, index: i) }
                if !l.isEmpty {
                    try await s.query("""
                        INSERT INTO landmark (id, name, kind, latitude, longitude)
                        SELECT * FROM unnest(\(l.indices.map { Int64($0 + 1) })::bigint[], \(l.map(\.name))::text[], \(l.map(\.kind.rawValue))::text[],
                                             \(l.map(\.location.latitude))::float8[], \(l.map(\.location.longitude))::float8[])
                        """)
                }
                try await s.query("""
                    INSERT INTO street_layer AS h (id, source, imported_at, version) VALUES (1, \(layer.source), \(layer.importedAt.timeIntervalSince1970), 1)
                    ON CONFLICT (id) DO UPDATE SET source = excluded.source, imported_at = excluded.imported_at, version = h.version + 1
                    """)
            }
        }
    }

    public func streetLayer() async throws -> StoredStreetLayer? {
        try await wrap {
            try await pool.transaction { s in
                // One snapshot for the head and the features, so a replacement committing in between is not mixed in.
                try await s.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                guard let head = try await s.query("SELECT source, imported_at FROM street_layer WHERE id = 1").first else { return nil }
                let (source, importedAt) = try head.decode((String, Double).self)
                let streets = try await s.query("SELECT name, class, points FROM street ORDER BY id").map(Self.street(from:))
                let landmarks = try await s.query("SELECT name, kind, latitude, longitude FROM landmark ORDER BY id").map { row in
                    let (name, kind, lat, lon) = try row.decode((String, String, Double, Double).self)
                    guard let k = LandmarkKind(rawValue: kind) else { throw StoreError.corrupt("landmark kind \"\(kind)\" is not one ZoneCast writes") }
                    return Landmark(name: name, kind: k, location: GeoPoint(latitude: lat, longitude: lon))
                }
                return StoredStreetLayer(streets: streets, landmarks: landmarks, source: source, importedAt: Date(timeIntervalSince1970: importedAt))
            }
        }
    }

    public func streets(intersecting box: GeoBoundingBox) async throws -> [Street] {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("""
                    SELECT name, class, points FROM street
                    WHERE bounds && box(point(\(box.minLongitude), \(box.minLatitude)), point(\(box.maxLongitude), \(box.maxLatitude)))
                    ORDER BY id
                    """).map(Self.street(from:))
            }
        }
    }

    public func streetLayerVersion() async throws -> String {
        try await wrap {
            try await pool.withConnection { s in
                try await s.query("SELECT version FROM street_layer WHERE id = 1").first.map { "v\(try $0.decode(Int64.self))" } ?? "none"
            }
        }
    }

    static func street(from row: PostgresRow) throws -> Street {
        let (name, cls, points) = try row.decode((String, String, ByteBuffer).self)
        guard let c = StreetClass(rawValue: cls) else { throw StoreError.corrupt("street class \"\(cls)\" is not one ZoneCast writes") }
        return Street(name: name, streetClass: c, points: try StreetRecords.decode(Data(points.readableBytesView)))
    }
}
