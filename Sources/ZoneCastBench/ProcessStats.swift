import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Readings of this machine and its processes for the benchmarks' reports: the monotonic clock, /proc (Linux) and
// getrusage.

/// Monotonic time in nanoseconds.
func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

enum ProcessStats {
    /// A line of /proc/PID/status in MiB (VmRSS: resident now; VmHWM: peak).
    static func memoryMiB(pid: Int32, field: String = "VmRSS") -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let kib = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kib / 1024
    }

    /// User plus system CPU time so far, from /proc/PID/stat (fields after "(comm)": utime is 14, stime 15).
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The 1, 5 and 15 minute load averages from /proc/loadavg.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// CPU time the machine's processes have used so far (user, nice, system, irq, softirq: not idle, iowait, steal
    /// or guest, which user already counts), from /proc/stat.
    static func machineBusySeconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let line = text.split(separator: "\n").first,
              line.hasPrefix("cpu ") else { return nil }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 5 else { return nil }
        let busy = ticks.prefix(7).reduce(0, +) - ticks[3] - ticks[4]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// User plus system CPU time of this process.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

/// CPU used while the load ran: the server's, the load generator's (this process) and the rest of the machine's.
struct CPUReading {
    private let machine: Double?
    private let server: Double?
    private let client: Double
    private let pid: Int32

    /// Readings before the load.
    init(serverPID: Int32) {
        pid = serverPID
        machine = ProcessStats.machineBusySeconds()
        server = ProcessStats.cpuSeconds(pid: serverPID)
        client = ProcessStats.processCPUSeconds()
    }

    /// Core-seconds since `init`: the server (nil once it is gone), this process, and the whole machine.
    func elapsed() -> (server: Double?, client: Double, machine: Double?) {
        let serverNow = ProcessStats.cpuSeconds(pid: pid).map { $0 - (server ?? 0) }
        let machineNow = ProcessStats.machineBusySeconds().flatMap { after in machine.map { after - $0 } }
        return (serverNow, ProcessStats.processCPUSeconds() - client, machineNow)
    }
}
