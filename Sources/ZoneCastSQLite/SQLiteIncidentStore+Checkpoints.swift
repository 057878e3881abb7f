public import Foundation
import GRDB
import Logging
import ZoneCastStore

extension SQLiteIncidentStore {
    /// For the long-running server: moves WAL checkpoints off the request path. By default SQLite checkpoints
    /// inside the commit that crosses 1,000 WAL pages, so one page view in a thousand (each writes an audit entry)
    /// also copies the WAL into the database and syncs it, holding the only writer meanwhile. Here the writer
    /// never checkpoints; a background thread runs PASSIVE checkpoints on its own connection every `interval`
    /// (passive checkpoints neither wait for nor block writers), and a full one if the WAL has grown past
    /// `restartPages` anyway. Commands that run and exit keep SQLite's default. A failed checkpoint is logged as a
    /// warning through the store's logger and tried again at the next interval. `afterEach` hears of every completed
    /// checkpoint (the WAL's size in pages before it), so a test can wait for one instead of sleeping.
    public func checkpointInBackground(every interval: TimeInterval = 1, restartPages: Int = 100_000,
                                       afterEach: (@Sendable (_ walPages: Int) -> Void)? = nil) throws {
        guard let path else { return }
        try wrap {
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
        let checkpointer: DatabaseQueue
        do { checkpointer = try DatabaseQueue(path: path) } catch { throw StoreError.database("cannot open \(path) for checkpoints: \(error)") }
        let logger = logger
        let thread = Thread {
            while true {
                Thread.sleep(forTimeInterval: interval)
                do {
                    let walPages = try checkpointer.writeWithoutTransaction { db -> Int in
                        let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
                        return (row?[1] as Int?) ?? 0
                    }
                    if walPages > restartPages {
                        try checkpointer.writeWithoutTransaction { db in _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(RESTART)") }
                    }
                    afterEach?(walPages)
                } catch {
                    logger.warning("checkpoint failed (will retry): \(error)")
                }
            }
        }
        thread.name = "zonecast-checkpoints"
        thread.start()
    }
}
