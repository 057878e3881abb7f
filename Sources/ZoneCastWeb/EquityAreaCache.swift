import Crypto
import Foundation
import ZoneCastCore
import ZoneCastForecast
import ZoneCastOversight
import ZoneCastStore
import ZoneCastOperations

/// The newest uploaded equity area set, decoded and parsed once. Parsing a detailed boundary file takes seconds,
/// and every /oversight view needs it: the newest set is found again only when the store's fingerprint of area sets
/// changes (an upload), and parsed areas are kept by the SHA-256 of their GeoJSON text, so the same content is never
/// parsed twice (a failed parse is kept too: its error is shown without parsing again).
final class EquityAreaCache: @unchecked Sendable {
    struct Newest {
        var set: EquityAreaSet
        var areas: Result<[EquityArea], EquityError>
    }

    private let lock = NSLock()
    /// One reader at a time (it spans store calls).
    private let turn = AsyncGate()
    private var newest: (fingerprint: String, value: Newest?)?
    private var parsed: [String: Result<[EquityArea], EquityError>] = [:]
    private var cellsByKey: [String: [[Int]]] = [:]
    /// Parses done (for tests: a view that hits the cache parses nothing).
    private(set) var parses = 0
    static let keptContents = 4

    /// The newest set (by recorded time, then id) and its areas or why they could not be read; nil when none was uploaded.
    func newest(in store: any OperationsStore) async throws -> Newest? {
        try await turn.run { try await newestInTurn(in: store) }
    }

    private func newestInTurn(in store: any OperationsStore) async throws -> Newest? {
        let fingerprint = try await store.documentsFingerprint(kind: EquityAreaSet.kind, group: nil)
        if let newest, newest.fingerprint == fingerprint { return newest.value }
        let documents = try await store.documents(kind: EquityAreaSet.kind, group: nil)
        guard let document = documents.max(by: { $0.recordedAt != $1.recordedAt ? $0.recordedAt < $1.recordedAt : $0.id < $1.id }) else {
            newest = (fingerprint, nil)
            return nil
        }
        let set = try document.decode(EquityAreaSet.self)
        let value = Newest(set: set, areas: areas(of: set))
        newest = (fingerprint, value)
        return value
    }

    /// Areas by content hash; called with the lock held.
    private func areas(of set: EquityAreaSet) -> Result<[EquityArea], EquityError> {
        let key = SHA256.hash(data: Data(set.geoJSON.utf8)).hexText
        if let hit = parsed[key] { return hit }
        parses += 1
        let result = Result { () throws(EquityError) -> [EquityArea] in try set.areas() }
        if parsed.count >= Self.keptContents { parsed.removeAll() }
        parsed[key] = result
        return result
    }

    /// Each area's cells on the equity map's grid (`EquityMap.cells`), worked out once per area set, grid and
    /// projection: assigning every cell of a city to an area tests it against the areas' boundaries.
    func mapCells(_ set: EquityAreaSet, areas: [EquityArea], grid: Grid, projection: TransverseMercator) -> [[Int]] {
        let key = "\(set.id)|\(grid.originX)|\(grid.originY)|\(grid.cellSizeMeters)|\(grid.columns)|\(grid.rows)|\(projection)"
        lock.lock()
        let hit = cellsByKey[key]
        lock.unlock()
        if let hit { return hit }
        let cells = EquityMap.cells(of: areas, grid: grid, projection: projection)
        lock.lock()
        defer { lock.unlock() }
        if cellsByKey.count >= Self.keptContents { cellsByKey.removeAll() }
        cellsByKey[key] = cells
        return cells
    }

    var parseCount: Int { lock.lock(); defer { lock.unlock() }; return parses }
}
