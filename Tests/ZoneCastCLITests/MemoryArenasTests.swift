import Testing
@testable import ZoneCastCLI

/// `serve`'s allocator setting (moved here from LoadGeneratorTests when the benchmarks became ZoneCastBench).
@Suite struct MemoryArenasTests {
    @Test func givenNoAllocatorSettingsWhenLimitedThenGlibcTakesItAndSettingsInTheEnvironmentWin() async {
        #if canImport(Glibc)
        #expect(MemoryArenas.limit(to: 8, environment: [:]))
        #endif
        #expect(!MemoryArenas.limit(to: 2, environment: ["MALLOC_ARENA_MAX": "4"]))
        #expect(!MemoryArenas.limit(to: 2, environment: ["GLIBC_TUNABLES": "glibc.malloc.arena_max=4"]))
    }
}
