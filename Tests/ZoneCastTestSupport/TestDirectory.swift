public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scratch space for tests that need real files (SQLite databases, CSV exports, backups).
///
/// Every directory of one test process lives under one parent, `zonecast-tests-<pid>-<random>` in the system's
/// temporary directory, removed when the process exits. A process that crashes skips that, so each new test process
/// first removes the parents of processes that are no longer running. Without this, each `swift test` run left about
/// 80 directories behind (the web fixture alone 6 MB), and a day of runs filled a development machine's disk.
public enum TestDirectory {
    /// A new empty directory named by `prefix` and a UUID, so tests running in parallel never share one.
    public static func make(_ prefix: String) throws -> URL {
        let directory = parent.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static let parentPrefix = "zonecast-tests-"

    /// This process's parent directory, made (and earlier processes' leftovers swept) on first use.
    static let parent: URL = {
        let temporary = FileManager.default.temporaryDirectory
        removeLeftovers(in: temporary)
        let directory = temporary.appendingPathComponent("\(parentPrefix)\(getpid())-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        removedAtExit = directory.path
        atexit { if let path = TestDirectory.removedAtExit { try? FileManager.default.removeItem(atPath: path) } }
        return directory
    }()

    /// Set once, before the exit handler that reads it is registered.
    nonisolated(unsafe) static var removedAtExit: String?

    /// Removes `zonecast-tests-<pid>-*` directories whose process is gone (kill(pid, 0) answers ESRCH).
    public static func removeLeftovers(in temporary: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporary.path) else { return }
        for name in names where name.hasPrefix(parentPrefix) {
            let rest = name.dropFirst(parentPrefix.count)
            guard let pid = Int32(rest.prefix { $0 != "-" }), pid > 0, pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
            }
        }
    }
}
