import Foundation
import PostgresNIO
import ZoneCastStore

extension PostgresIncidentStore {
    /// Runs `body`, turning PostgresNIO's errors into `StoreError`; every other error (the caller's own, from an
    /// import's body, or the store's) passes through unchanged.
    @discardableResult
    func wrap<T>(_ body: () async throws -> T) async throws -> T {
        try await Self.wrap(body)
    }

    @discardableResult
    static func wrap<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let e as PSQLError {
            throw StoreError.database(Self.describe(e))
        } catch let e as PostgresDecodingError {
            throw StoreError.corrupt("column \(e.columnName) (\(e.postgresType)) is not a \(e.targetType): \(e.code)")
        } catch where String(describing: type(of: error)) == "ConnectionPoolError" {
            // PostgresNIO's pool gave up (no connection could be made for a while, or it was shut down).
            throw StoreError.database("\(error)")
        }
    }

    /// The server's message, detail and SQLSTATE, or the kind of failure and its cause. Never the query or its
    /// values (they may hold password hashes or raw rows).
    static func describe(_ e: PSQLError) -> String {
        if let info = e.serverInfo {
            var text = info[.message] ?? "server error"
            if let detail = info[.detail] { text += " (\(detail))" }
            if let state = info[.sqlState] { text += " [SQLSTATE \(state)]" }
            return text
        }
        if let underlying = e.underlying { return "\(e.code): \(underlying)" }
        return "\(e.code)"
    }

    /// Raw SQL on one connection, for tests that play an attacker with the database's credentials.
    public func executeForTesting(_ sql: String) async throws {
        try await wrap { try await pool.withConnection { try await $0.execute(sql) } }
    }
}
