import Foundation
import PostgresNIO

/// The event loops every `PostgresIncidentStore` of the process talks through unless given others: two threads,
/// never shut down (like NIO's own singleton), so stores can come and go without owning threads.
let sharedPostgresEventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 2)

/// One connection leased from the pool, with the query helpers the store uses. Valid only inside `withConnection`.
///
/// Every helper awaits PostgresNIO's own future (`EventLoopFuture.get()` suspends the task; no thread waits).
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs one statement and returns every row.
    @discardableResult
    func query(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) async throws -> PostgresQueryResult {
        try await connection.query(query, logger: logger, file: file, line: line).get()
    }

    /// Runs one statement, handing each row to `onRow` on the event loop as it arrives (no list of raw rows).
    func forEachRow(_ query: PostgresQuery, _ onRow: @escaping @Sendable (PostgresRow) throws -> Void) async throws {
        _ = try await connection.query(query, logger: logger, onRow).get()
    }

    /// Starts a statement without waiting: several started in a row queue on the connection and their round trips
    /// overlap with the caller's work. Pass the futures to `waitAll`.
    func start(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) -> EventLoopFuture<PostgresQueryResult> {
        connection.query(query, logger: logger, file: file, line: line)
    }

    /// Waits for every future (so none is left running), then throws the first failure or returns the results.
    func waitAll(_ futures: [EventLoopFuture<PostgresQueryResult>]) async throws -> [PostgresQueryResult] {
        var results: [Result<PostgresQueryResult, any Error>] = []
        for f in futures {
            do { results.append(.success(try await f.get())) } catch { results.append(.failure(error)) }
        }
        return try results.map { try $0.get() }
    }

    func execute(_ sql: String, file: String = #fileID, line: Int = #line) async throws {
        try await query(PostgresQuery(unsafeSQL: sql), file: file, line: line)
    }
}

/// The store's connections: PostgresNIO's `PostgresClient` (its own pool, at most `pool_size` connections, opened
/// on demand, dropped when closed by the server or the network, idle ones closed after a minute).
///
/// Who runs it: the pool works only while `PostgresClient.run()` runs. The store owns that task: `init` starts it,
/// `close()` cancels it and waits for it to end (every connection closed), and a store that goes away without
/// `close()` cancels it in `deinit`. So a store is self-contained wherever it is opened (a command, `serve`, a test).
final class PostgresPool: Sendable {
    let client: PostgresClient
    let logger: Logger
    private let running: Task<Void, Never>

    init(configuration: PostgresClient.Configuration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        client = PostgresClient(configuration: configuration, eventLoopGroup: eventLoopGroup, backgroundLogger: logger)
        self.logger = logger
        let client = client
        running = Task { await client.run() }
    }

    deinit { running.cancel() }

    /// Stops the pool and waits until its connections are closed; later calls fail.
    func close() async {
        running.cancel()
        await running.value
    }

    func withConnection<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(PostgresSession(connection: connection, logger: logger))
        }
    }

    /// BEGIN, `body`, COMMIT on one connection; ROLLBACK when `body` (or COMMIT) throws, then the error is rethrown
    /// unchanged, whatever its type. A connection whose ROLLBACK failed is closed (its transaction state is unknown),
    /// so the pool replaces it.
    func transaction<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        try await withConnection { session in
            try await session.execute("BEGIN")
            do {
                let result = try await body(session)
                try await session.execute("COMMIT")
                return result
            } catch {
                let original = error
                do {
                    try await session.execute("ROLLBACK")
                } catch {
                    try? await session.connection.close()
                }
                throw original
            }
        }
    }
}
