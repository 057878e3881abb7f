import Foundation
import GRDB
public import ZoneCastCore
public import ZoneCastStore
public import ZoneCastStreets

extension SQLiteIncidentStore: StreetStore {
    /// Migration v7-streets: one street layer per database. `street_rtree` is an R*Tree over each street's
    /// bounding box (SQLite stores its coordinates as 32-bit floats rounded outwards, so it never misses a street;
    /// `streets(intersecting:)` checks the exact box after it). `street_layer` holds the one row naming the source,
    /// the import time and a version that every replacement bumps.
    static let streetsSchemaSQL = """
        CREATE TABLE street_layer (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            source TEXT NOT NULL,
            imported_at REAL NOT NULL,
            version INTEGER NOT NULL
        );
        CREATE TABLE street (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            class TEXT NOT NULL,
            points BLOB NOT NULL
        );
        CREATE VIRTUAL TABLE street_rtree USING rtree(id, min_latitude, max_latitude, min_longitude, max_longitude);
        CREATE TABLE landmark (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            latitude REAL NOT NULL,
            longitude REAL NOT NULL
        );
        """

    public func replaceStreetLayer(_ layer: StoredStreetLayer) async throws {
        try await wrap {
            try await writer.write { db in
                // One write transaction: a refused feature throws and rolls the deletes back with it.
                try db.execute(sql: "DELETE FROM street; DELETE FROM street_rtree; DELETE FROM landmark")
                let street = try db.makeStatement(sql: "INSERT INTO street(id, name, class, points) VALUES (?, ?, ?, ?)")
                let box = try db.makeStatement(
                    sql: "INSERT INTO street_rtree(id, min_latitude, max_latitude, min_longitude, max_longitude) VALUES (?, ?, ?, ?, ?)")
                for (i, s) in layer.streets.enumerated() {
                    try StreetRecords.validate(s, index: i)
                    let b = StreetRecords.bounds(s)
                    try street.execute(arguments: [i + 1, s.name, s.streetClass.rawValue, StreetRecords.encode(s.points)])
                    try box.execute(arguments: [i + 1, b.minLatitude, b.maxLatitude, b.minLongitude, b.maxLongitude])
                }
                let landmark = try db.makeStatement(sql: "INSERT INTO landmark(id, name, kind, latitude, longitude) VALUES (?, ?, ?, ?, ?)")
                for (i, l) in layer.landmarks.enumerated() {
                    try StreetRecords.validate(l, index: i)
                    try landmark.execute(arguments: [i + 1, l.name, l.kind.rawValue, l.location.latitude, l.location.longitude])
                }
                try db.execute(sql: """
                    INSERT INTO street_layer(id, source, imported_at, version) VALUES (1, ?, ?, 1)
                    ON CONFLICT(id) DO UPDATE SET source = excluded.source, imported_at = excluded.imported_at, version = version + 1
                    """, arguments: [layer.source, layer.importedAt.timeIntervalSince1970])
            }
        }
    }

    public func streetLayer() async throws -> StoredStreetLayer? {
        try await wrap {
            try await writer.read { db in
                guard let head = try Row.fetchOne(db, sql: "SELECT source, imported_at FROM street_layer WHERE id = 1") else { return nil }
                let streets = try Row.fetchAll(db, sql: "SELECT name, class, points FROM street ORDER BY id").map(Self.street(from:))
                let landmarks = try Row.fetchAll(db, sql: "SELECT name, kind, latitude, longitude FROM landmark ORDER BY id").map { row in
                    let kind: String = row["kind"]
                    guard let k = LandmarkKind(rawValue: kind) else { throw StoreError.corrupt("landmark kind \"\(kind)\" is not one ZoneCast writes") }
                    return Landmark(name: row["name"], kind: k, location: GeoPoint(latitude: row["latitude"], longitude: row["longitude"]))
                }
                return StoredStreetLayer(streets: streets, landmarks: landmarks, source: head["source"],
                                         importedAt: Date(timeIntervalSince1970: head["imported_at"]))
            }
        }
    }

    public func streets(intersecting box: GeoBoundingBox) async throws -> [Street] {
        try await wrap {
            try await writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT s.name, s.class, s.points FROM street_rtree r JOIN street s ON s.id = r.id
                    WHERE r.max_latitude >= ? AND r.min_latitude <= ? AND r.max_longitude >= ? AND r.min_longitude <= ?
                    ORDER BY s.id
                    """, arguments: [box.minLatitude, box.maxLatitude, box.minLongitude, box.maxLongitude])
                .map(Self.street(from:))
                .filter { StreetRecords.overlaps(StreetRecords.bounds($0), box) }
            }
        }
    }

    public func streetLayerVersion() async throws -> String {
        try await wrap {
            try await writer.read { db in
                try Int64.fetchOne(db, sql: "SELECT version FROM street_layer WHERE id = 1").map { "v\($0)" } ?? "none"
            }
        }
    }

    static func street(from row: Row) throws -> Street {
        let cls: String = row["class"]
        guard let c = StreetClass(rawValue: cls) else { throw StoreError.corrupt("street class \"\(cls)\" is not one ZoneCast writes") }
        return Street(name: row["name"], streetClass: c, points: try StreetRecords.decode(row["points"]))
    }
}
