import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps the resident size of a long-running process near what it uses (glibc only; elsewhere
/// these do nothing).
///
/// With its defaults glibc gives a thread pool of 16 (MongoDB's) up to 16 malloc arenas, each
/// holding on to what its thread freed, and after a large block is freed it raises its mmap
/// threshold, so the next large arrays (a page of monitors, a batch of writes) land in the heap and
/// fragment it: the bot then sits at 1.5× what it uses. `mallopt` and `malloc_trim` are not in the
/// Glibc module map, hence the lookups by name.
public enum AllocatorTuning {
    /// Caps malloc arenas at 2 and fixes the mmap threshold at 128 KiB, so large short-lived blocks
    /// go back to the kernel when freed. Call once at start-up, before threads are busy; the
    /// operator's MALLOC_ARENA_MAX / MALLOC_MMAP_THRESHOLD_ win when set.
    public static func apply() {
        #if canImport(Glibc)
            guard let mallopt else { return }
            let environment = ProcessInfo.processInfo.environment
            if environment["MALLOC_ARENA_MAX"] == nil { _ = mallopt(-8, 2) }  // M_ARENA_MAX
            if environment["MALLOC_MMAP_THRESHOLD_"] == nil { _ = mallopt(-3, 128 * 1024) }  // M_MMAP_THRESHOLD
        #endif
    }

    /// Hands the free pages of every arena back to the kernel. Costs a few milliseconds: call it
    /// after a burst of allocations (a reload), not per check.
    public static func releaseFreePages() {
        #if canImport(Glibc)
            _ = trim?(0)
        #endif
    }

    #if canImport(Glibc)
        private static let mallopt: (@convention(c) (Int32, Int32) -> Int32)? = symbol("mallopt")
        private static let trim: (@convention(c) (Int) -> Int32)? = symbol("malloc_trim")

        private static func symbol<Function>(_ name: String) -> Function? {
            guard let address = dlsym(nil, name) else { return nil }
            return unsafeBitCast(address, to: Function.self)
        }
    #endif
}
