import Foundation
import Testing
import ZoneCastTestSupport
import ZoneCastCore
import ZoneCastPostgres
import ZoneCastSQLite
@testable import ZoneCastStore

/// Every store implementation the shared suite runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case inMemory, sqliteInMemory, sqliteFile, recentReadsSQLite, postgres, recentReadsPostgres

    var testDescription: String { rawValue }

    /// The kinds the contract suites run against: all of them, PostgreSQL only when `ZONECAST_TEST_POSTGRES_URL`
    /// names a server (`scripts/test` starts a private one and sets it). Without it, the test "the contract suites
    /// also run against PostgreSQL" shows as skipped (cancelled) with the reason.
    static var available: [StoreKind] {
        allCases.filter { ($0 != .postgres && $0 != .recentReadsPostgres) || PostgresTestDatabase.url != nil }
    }

    /// A fresh, empty store of this kind (a PostgreSQL one cancels the calling test when no server is configured).
    func make() async throws -> any AppStore {
        switch self {
        case .inMemory: return InMemoryIncidentStore()
        case .sqliteInMemory: return try SQLiteIncidentStore()
        case .sqliteFile:
            let dir = try TestDirectory.make("zonecast-store")
            return try SQLiteIncidentStore(path: dir.appendingPathComponent("test.sqlite").path)
        case .recentReadsSQLite:
            return await RecentReadsStore(try StoreKind.sqliteFile.make())
        case .postgres:
            return try await PostgresTestDatabase.makeStore()
        case .recentReadsPostgres:
            return await RecentReadsStore(try PostgresTestDatabase.makeStore())
        }
    }
}

/// Fresh PostgreSQL stores for tests: each in a new schema of the database `ZONECAST_TEST_POSTGRES_URL` names, so
/// tests running in parallel never see each other's rows.
enum PostgresTestDatabase {
    static let variable = "ZONECAST_TEST_POSTGRES_URL"

    static var url: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    static let skipMessage = "PostgreSQL store not tested: \(variable) is not set (scripts/test starts a private server and sets it; "
        + "or run scripts/postgres-test-server and export the URL it prints)"

    /// Skips the calling test when no server is configured.
    static func requireURL() throws -> String {
        guard let url else { try Test.cancel(Comment(rawValue: skipMessage)) }
        return url
    }

    static func makeStore() async throws -> PostgresIncidentStore {
        let url = try requireURL()
        await dropStaleSchemasOnce.value
        return try await PostgresIncidentStore(url: url, environment: testEnvironment, schema: newSchemaName())
    }

    /// `zc_test_<unix seconds>_<random>`: the time lets a later run drop what an earlier one left.
    static func newSchemaName() -> String {
        "zc_test_\(Int(Date().timeIntervalSince1970))_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())"
    }

    /// Once per process: drops test schemas more than an hour old (a server kept between runs would otherwise
    /// collect one schema per test).
    static let dropStaleSchemasOnce = Task {
        guard let url else { return }
        let cutoff = Int(Date().timeIntervalSince1970) - 3_600
        guard let admin = try? await PostgresIncidentStore(url: url, environment: testEnvironment, migrate: false) else { return }
        try? await admin.executeForTesting("""
            DO $$ DECLARE s text; BEGIN
                FOR s IN SELECT nspname FROM pg_namespace WHERE nspname ~ '^zc_test_[0-9]+_' AND split_part(nspname, '_', 3)::bigint < \(cutoff) LOOP
                    EXECUTE format('DROP SCHEMA %I CASCADE', s);
                END LOOP;
            END $$
            """)
        await admin.close()
    }
}

let testJurisdiction = Jurisdiction(
    name: "testville", displayName: "Testville", timeZoneIdentifier: "America/Chicago",
    boundary: GeoMultiPolygon([GeoPolygon(outer: [
        GeoPoint(latitude: 39.0, longitude: -94.7), GeoPoint(latitude: 39.0, longitude: -94.4),
        GeoPoint(latitude: 39.2, longitude: -94.4), GeoPoint(latitude: 39.2, longitude: -94.7),
    ])]))

/// An incident at `daysAfter` days past 2017-01-01T00:00Z, `metersEast` east of the projection origin.
func makeIncident(
    _ record: String, source: String = "test", category: HarmCategory = .homicide, daysAfter: Double = 0, metersEast: Double = 0,
    metersNorth: Double = 0, policeInitiated: Bool = false, firearm: Bool = false, raw: String? = nil
) -> Incident {
    let at = Date(timeIntervalSince1970: 1_483_228_800 + daysAfter * 86_400)
    let projection = testJurisdiction.projection
    let position = PlanarPoint(xMeters: metersEast, yMeters: metersNorth)
    let location = projection.unproject(position)
    let clock = LocalTimeConverter(timeZone: TimeZone(identifier: "America/Chicago")!)
    return Incident(
        id: IncidentID(source: source, recordID: record), category: category, offence: category.displayName, occurredAt: at,
        occurredPrecision: .exact, timeZoneIdentifier: "America/Chicago", localDate: clock.localDate(of: at), location: location,
        position: position, firearm: firearm, policeInitiated: policeInitiated, rawRow: raw ?? "\(record),\(category.rawValue),\(daysAfter)")
}

func fingerprint(_ s: String) -> RowFingerprint {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    var l: UInt64 = 0x8422_2325_cbf2_9ce4
    for b in s.utf8.reversed() { l = (l ^ UInt64(b)) &* 0x100_0000_01b3 }
    return RowFingerprint(high: h, low: l)
}

/// The test process's environment, passed to the PostgreSQL store as the command line passes its own (`PGUSER`,
/// `USER`, `PGPASSWORD` for what a test URL leaves out).
let testEnvironment = ProcessInfo.processInfo.environment

/// When the test batches finish: the clock every test import passes to `importBatch` (a minute after `batchInfo`'s start).
let batchFinishedAt = Date(timeIntervalSince1970: 1_600_000_060)
func batchClock() -> Date { batchFinishedAt }

func batchInfo(_ file: String = "file.csv", sha: String = "sha") -> ImportBatchInfo {
    ImportBatchInfo(source: "test", mappingName: "test", fileName: file, fileSHA256: sha, startedAt: Date(timeIntervalSince1970: 1_600_000_000))
}

/// Imports incidents as accepted rows (line numbers from 2), returning the batch.
@discardableResult
func importIncidents(_ incidents: [Incident], into store: any IncidentStore, sha: String = UUID().uuidString) async throws -> ImportBatch {
    try await store.importBatch(batchInfo(sha: sha), weights: .cambridgeDefaults, clock: batchClock) { w in
        var counts = ImportCounts()
        for (i, incident) in incidents.enumerated() {
            counts.rowsRead += 1
            await counts.count(try await w.accept(incident, fingerprint: fingerprint(incident.rawRow), rowKey: nil, lineNumber: i + 2))
        }
        return counts
    }
}

struct DeliberateFailure: Error {}
