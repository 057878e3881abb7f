public import Foundation

/// Scratch space for tests that need real files (SQLite databases, CSV exports, backups).
public enum TestDirectory {
    /// A new empty directory under the system's temporary directory, named by `prefix` and a UUID, so tests running
    /// in parallel never share one.
    public static func make(_ prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
