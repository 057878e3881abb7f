import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import ZoneCastTestSupport
import ZoneCastStore
@testable import ZoneCastSQLite

@Suite("Database file lock: a restore's lock ends with the restore")
struct DatabaseFileLockTests {
    @Test("given a restore's exclusive lock whose descriptor a child process still holds a copy of (between its fork and exec), when the restore drops the lock, then a store's shared lock is granted at once")
    func droppedLockIsReleasedEvenWhileACopyIsOpen() throws {
        let path = try TestDirectory.make("zonecast-lock").appendingPathComponent("db.sqlite").path
        try PrivateFile.create(path)
        // The restore's lock, and the copy a fork in another thread gives its child; the lock is dropped at the end of
        // the function, while the copy stays open.
        func restoreHoldingALock() throws -> Int32 {
            let exclusive = try DatabaseFileLock.exclusive(path)
            #expect(throws: StoreError.self) { try DatabaseFileLock.shared(path) }
            return dup(exclusive.fd)
        }
        let copy = try restoreHoldingALock()
        defer { close(copy) }
        #expect(copy >= 0)
        let shared = #expect(throws: Never.self) { try DatabaseFileLock.shared(path) }
        withExtendedLifetime(shared) {}
    }
}
