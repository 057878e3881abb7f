import Foundation
import Synchronization
import ZoneCastStore

/// Hands an import's chunks from the importer's task to the transaction running on GRDB's writer queue, and each
/// chunk's dispositions back.
///
/// Why: GRDB runs a transaction in one synchronous closure on its writer queue, while the importer's body is async
/// (the PostgreSQL store awaits each chunk's round trips). The writer side waits on the queue's own thread (never a
/// thread of Swift's cooperative pool) for the next chunk; the async side suspends until its chunk is written. At most
/// one chunk is in flight, so the import's memory stays the reader's limit plus the parsed chunks the pipeline holds.
final class SQLiteImportChannel: Sendable {
    enum Item {
        case rows([ImportRow], CheckedContinuation<[RowDisposition], any Error>)
        case finish(ImportCounts)
        case fail(any Error)
    }

    private struct State {
        var items: [Item] = []
        var batchID: Int64?
        var waitingForBatch: CheckedContinuation<Int64, any Error>?
        var writerError: (any Error)?
    }

    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)

    // MARK: The importer's side (async)

    /// The batch's id, once the writer has opened the transaction (or the error that stopped it).
    func batchID() async throws -> Int64 {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Int64, any Error>) in
            let answer: Result<Int64, any Error>? = state.withLock { s in
                if let id = s.batchID { return .success(id) }
                if let e = s.writerError { return .failure(e) }
                s.waitingForBatch = c
                return nil
            }
            if let answer { c.resume(with: answer) }
        }
    }

    func write(_ rows: [ImportRow]) async throws -> [RowDisposition] {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<[RowDisposition], any Error>) in
            let failed: (any Error)? = state.withLock { s in
                if let e = s.writerError { return e }
                s.items.append(.rows(rows, c))
                return nil
            }
            if let failed { c.resume(throwing: failed) } else { ready.signal() }
        }
    }

    /// The body returned: the writer commits with these counts.
    func finish(_ counts: ImportCounts) {
        state.withLock { $0.items.append(.finish(counts)) }
        ready.signal()
    }

    /// The body threw: the writer rolls back with this error.
    func fail(_ error: any Error) {
        state.withLock { $0.items.append(.fail(error)) }
        ready.signal()
    }

    // MARK: The writer's side (GRDB's writer queue)

    func begin(batchID: Int64) {
        let waiting = state.withLock { s in
            s.batchID = batchID
            defer { s.waitingForBatch = nil }
            return s.waitingForBatch
        }
        waiting?.resume(returning: batchID)
    }

    /// Writes chunks as they come until the body finishes (its counts) or fails (rethrown).
    func serve(_ writer: SQLiteImportWriter) throws -> ImportCounts {
        while true {
            ready.wait()
            let item = state.withLock { $0.items.removeFirst() }
            switch item {
            case .rows(let rows, let c):
                do {
                    c.resume(returning: try writer.write(rows))
                } catch {
                    c.resume(throwing: error)
                    throw error
                }
            case .finish(let counts): return counts
            case .fail(let error): throw error
            }
        }
    }

    /// The transaction failed: whoever waits, or asks later, gets the error.
    func writerFailed(_ error: any Error) {
        let (waiting, pending) = state.withLock { s in
            s.writerError = error
            defer { s.waitingForBatch = nil; s.items = [] }
            return (s.waitingForBatch, s.items)
        }
        waiting?.resume(throwing: error)
        for case .rows(_, let c) in pending { c.resume(throwing: error) }
    }
}

/// The `ImportWriter` an import's body sees on SQLite: each chunk goes through the channel to the writer queue.
final class SQLiteChunkWriter: ImportWriter, Sendable {
    let channel: SQLiteImportChannel
    let batchID: Int64

    init(channel: SQLiteImportChannel, batchID: Int64) {
        self.channel = channel
        self.batchID = batchID
    }

    func write(_ rows: [ImportRow]) async throws -> [RowDisposition] {
        try await channel.write(rows)
    }
}
