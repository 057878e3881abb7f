import Foundation
import PostgresNIO

/// The event loops every `PostgresIncidentStore` of the process talks through unless given others: two threads,
/// never shut down (like NIO's own singleton), so stores can come and go without owning threads.
let sharedPostgresEventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 2)

/// Blocks the calling thread until `future` completes and returns its value.
///
/// The store protocols are synchronous, so every call ends here. The work itself runs on the store's event loops;
/// the caller only waits on a semaphore. Waiting on one of those event loops would deadlock, hence the check
/// (any other thread may wait, including a cooperative-pool thread: nothing here needs the pool to finish).
func waitFor<T>(_ future: EventLoopFuture<T>) throws -> T {
    precondition(!future.eventLoop.inEventLoop, "PostgresIncidentStore called from its own event loop: that would deadlock")
    let done = DispatchSemaphore(value: 0)
    let box = ResultBox<T>()
    future.whenComplete { result in
        box.result = result
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

/// Written once on an event loop before the semaphore is signalled, read after the wait: the semaphore orders them.
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}

/// One connection checked out of the pool, with blocking query helpers. Valid only inside `withConnection`.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs one statement and returns every row.
    @discardableResult
    func query(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) throws -> PostgresQueryResult {
        try waitFor(connection.query(query, logger: logger, file: file, line: line))
    }

    /// Runs one statement, handing each row to `onRow` on the event loop as it arrives (no list of raw rows).
    func forEachRow(_ query: PostgresQuery, _ onRow: @escaping @Sendable (PostgresRow) throws -> Void) throws {
        _ = try waitFor(connection.query(query, logger: logger, onRow))
    }

    /// Starts a statement without waiting: several started in a row queue on the connection and their round trips
    /// overlap with the caller's work. Pass the futures to `waitAll`.
    func start(_ query: PostgresQuery, file: String = #fileID, line: Int = #line) -> EventLoopFuture<PostgresQueryResult> {
        connection.query(query, logger: logger, file: file, line: line)
    }

    /// Waits for every future (so none is left running), then throws the first failure or returns the results.
    func waitAll(_ futures: [EventLoopFuture<PostgresQueryResult>]) throws -> [PostgresQueryResult] {
        var results: [Result<PostgresQueryResult, any Error>] = []
        for f in futures {
            do { results.append(.success(try waitFor(f))) } catch { results.append(.failure(error)) }
        }
        return try results.map { try $0.get() }
    }

    func execute(_ sql: String, file: String = #fileID, line: Int = #line) throws {
        try query(PostgresQuery(unsafeSQL: sql), file: file, line: line)
    }
}

/// Thrown inside `withConnection` when the connection must not go back to the pool (a failed ROLLBACK leaves it in
/// an unknown transaction state); the pool closes it and rethrows the underlying error.
struct ConnectionUnusable: Error {
    var underlying: any Error
}

/// A few connections, opened on demand up to `maxConnections`, handed to one caller at a time. Callers beyond the
/// limit wait for a connection to come back. Closed connections (server restart, network) are dropped and
/// replaced by new ones on the next checkout.
final class PostgresConnectionPool: @unchecked Sendable {
    let configuration: PostgresConnection.Configuration
    let eventLoopGroup: any EventLoopGroup
    let maxConnections: Int
    let logger: Logger

    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextID = 0

    init(configuration: PostgresConnection.Configuration, eventLoopGroup: any EventLoopGroup, maxConnections: Int, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.maxConnections = max(1, maxConnections)
        self.logger = logger
    }

    deinit {
        for c in idle { Self.close(c) }
    }

    @discardableResult
    func withConnection<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let connection = try checkout()
        do {
            let result = try body(PostgresSession(connection: connection, logger: logger))
            checkin(connection, reusable: true)
            return result
        } catch let e as ConnectionUnusable {
            checkin(connection, reusable: false)
            throw e.underlying
        } catch {
            checkin(connection, reusable: !connection.isClosed && !Self.isConnectionFailure(error))
            throw error
        }
    }

    /// BEGIN, `body`, COMMIT on one connection; ROLLBACK when `body` (or COMMIT) throws, then the error is rethrown
    /// unchanged, whatever its type.
    @discardableResult
    func transaction<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try withConnection { session in
            try session.execute("BEGIN")
            do {
                let result = try body(session)
                try session.execute("COMMIT")
                return result
            } catch {
                let original = error
                do { try session.execute("ROLLBACK") } catch { throw ConnectionUnusable(underlying: original) }
                throw original
            }
        }
    }

    private func checkout() throws -> PostgresConnection {
        condition.lock()
        while true {
            if let c = idle.popLast() {
                if c.isClosed {
                    open -= 1
                    continue
                }
                condition.unlock()
                return c
            }
            if open < maxConnections {
                open += 1
                nextID += 1
                let id = nextID
                condition.unlock()
                do {
                    return try waitFor(PostgresConnection.connect(on: eventLoopGroup.next(), configuration: configuration, id: id, logger: logger))
                } catch {
                    condition.lock()
                    open -= 1
                    condition.signal()
                    condition.unlock()
                    throw error
                }
            }
            condition.wait()
        }
    }

    private func checkin(_ c: PostgresConnection, reusable: Bool) {
        condition.lock()
        if reusable && !c.isClosed {
            idle.append(c)
        } else {
            open -= 1
        }
        condition.signal()
        condition.unlock()
        if !reusable { Self.close(c) }
    }

    /// Errors after which a connection is not worth keeping, even if it does not know yet that it is closed.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        guard let e = error as? PSQLError else { return false }
        return [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .messageDecodingFailure, .unexpectedBackendMessage]
            .contains(e.code)
    }

    /// Closes without waiting; the callback keeps the connection alive until it is closed (PostgresNIO asserts
    /// that a connection is closed before it goes away).
    private static func close(_ c: PostgresConnection) {
        c.close().whenComplete { _ in _ = c }
    }
}
