#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// glibc's allocator gives threads that allocate at the same time arenas of their own (up to eight per core) and
/// keeps what is freed in each for reuse there. The server's handler, event-loop and database threads all churn
/// through patrol lists and pages, and under `zonecast bench load` on PostgreSQL its heap grew 72 -> 136 MiB in a
/// minute with the default; with two arenas, 55 -> 80 MiB and flat after the import, at the same throughput.
enum MemoryArenas {
    /// Limits the arenas to `count`, unless the environment already tunes the allocator (`MALLOC_ARENA_MAX`,
    /// `GLIBC_TUNABLES`), which then wins.
    /// Returns whether the allocator took the limit.
    @discardableResult
    static func limit(to count: Int32, environment: [String: String] = EdgeConfiguration.process.environment) -> Bool {
        guard environment["MALLOC_ARENA_MAX"] == nil, environment["GLIBC_TUNABLES"] == nil else { return false }
        #if canImport(Glibc)
        // mallopt is not in Swift's Glibc module; it is looked up in the process (M_ARENA_MAX is -8 in malloc.h).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "mallopt") else { return false }
        return unsafeBitCast(symbol, to: Mallopt.self)(-8, count) == 1
        #else
        return false
        #endif
    }
}
