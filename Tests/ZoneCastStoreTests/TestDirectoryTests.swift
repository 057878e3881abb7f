import Foundation
import Testing
import ZoneCastTestSupport

@Suite("Test directories are removed")
struct TestDirectoryTests {
    @Test("given the parent directories of a process that is gone and of one that runs, when leftovers are swept, then only the first is removed; other names are left alone")
    func sweepsOnlyDeadProcesses() throws {
        // Given: a scratch "temporary directory" holding the three kinds of entry.
        let temporary = try TestDirectory.make("zonecast-sweep")
        let gone = temporary.appendingPathComponent("zonecast-tests-2147483646-deadbeef")   // above any Linux pid_max
        let running = temporary.appendingPathComponent("zonecast-tests-\(getpid())-cafe0001")
        let other = temporary.appendingPathComponent("zonecast-store-1234")
        for d in [gone, running, other] { try FileManager.default.createDirectory(at: d.appendingPathComponent("db"), withIntermediateDirectories: true) }
        // When
        TestDirectory.removeLeftovers(in: temporary)
        // Then
        #expect(!FileManager.default.fileExists(atPath: gone.path))
        #expect(FileManager.default.fileExists(atPath: running.path))
        #expect(FileManager.default.fileExists(atPath: other.path))
    }

    @Test("given a test directory, then it lies under this process's parent, named for this process")
    func underTheProcessParent() throws {
        let dir = try TestDirectory.make("zonecast-sweep")
        #expect(dir.deletingLastPathComponent().lastPathComponent.hasPrefix("zonecast-tests-\(getpid())-"))
    }
}
