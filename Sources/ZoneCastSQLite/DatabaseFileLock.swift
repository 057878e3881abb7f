import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ZoneCastStore

/// An advisory `flock` on the database file itself. Every open store holds a shared lock for its lifetime;
/// `restore` takes an exclusive one without waiting, so it refuses while a server (or any other process or store)
/// has the file open instead of pulling the data from under its connections. `flock` locks are independent of
/// SQLite's own POSIX locks on Linux, so SQLite's locking is unaffected.
final class DatabaseFileLock: Sendable {
    let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Opens and locks `path`; on failure nothing stays open (the descriptor is closed here, once).
    private static func lock(path: String, operation: Int32, busy: String) throws -> DatabaseFileLock {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.database("cannot open \(path) to lock it: \(String(cString: strerror(errno)))") }
        while flock(fd, operation | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            if code == EWOULDBLOCK { throw StoreError.database(busy) }
            throw StoreError.database("cannot lock \(path): \(String(cString: strerror(code)))")
        }
        return DatabaseFileLock(fd: fd)
    }

    /// Held by an open store: fails only while a restore holds the file.
    static func shared(_ path: String) throws -> DatabaseFileLock {
        try lock(path: path, operation: LOCK_SH, busy: "\(path) is being restored by another process; try again when it has finished")
    }

    /// Held by a restore: fails while any store has the file open.
    static func exclusive(_ path: String) throws -> DatabaseFileLock {
        try lock(path: path, operation: LOCK_EX, busy: "\(path) is open in another process (is zonecast serve running?): stop it before restoring")
    }

    /// Unlocks before closing: a child process started by another thread holds a copy of every descriptor from its
    /// fork until its exec closes them, and a copy keeps a `flock` alive after our close. Without the explicit
    /// unlock, a restore's exclusive lock could outlive the restore and the store opened right after it would be
    /// refused as "being restored by another process".
    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Files that hold the database or a copy of it are readable by their owner only.
enum PrivateFile {
    /// Creates `path` empty with mode 0600 unless it exists (SQLite then creates -wal and -shm with the same mode).
    static func create(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd); return }
        if errno == EEXIST { return }
        throw StoreError.database("cannot create \(path): \(String(cString: strerror(errno)))")
    }
}
