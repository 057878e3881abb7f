import Foundation
import ZoneCastCore

extension LoadBenchmark {
    /// The table per request type, the import's effect, the server's memory and CPU, and the verdict.
    func report(result: LoadResult, monitor: LoadMonitor, loadEnd: UInt64, cpu: (server: Double?, client: Double, machine: Double?), peak: Double?,
                say: (String) -> Void) {
        let ms = BenchServer.milliseconds
        let header = "  " + ["request".padding(toLength: 20, withPad: " ", startingAt: 0), "count".leftPadded(9), "req/s".leftPadded(7), "p50 ms".leftPadded(8),
                             "p99 ms".leftPadded(8), "max ms".leftPadded(8), "errors".leftPadded(7)].joined(separator: " ")
        func row(_ name: String, _ samples: [UInt64], errors: Int, seconds: Double) -> String {
            let s = LatencySummary(samples: samples)
            return "  " + [name.padding(toLength: 20, withPad: " ", startingAt: 0), FixedText.grouped(s.count + errors).leftPadded(9),
                           String(format: "%.0f", Double(s.count + errors) / max(seconds, 1e-9)).leftPadded(7),
                           ms(s.p50).leftPadded(8), ms(s.p99).leftPadded(8), ms(s.max).leftPadded(8),
                           FixedText.grouped(errors).leftPadded(7)].joined(separator: " ")
        }
        say("")
        say(header)
        for r in result.routes { say(row(r.name, r.latencies, errors: r.errorCount, seconds: result.measuredSeconds)) }
        let overall = result.overall
        say(row("all", result.routes.flatMap(\.latencies), errors: result.errorCount, seconds: result.measuredSeconds))
        result.summaryLines().forEach(say)

        // The import's effect: the same table for requests that started while it ran, and for the rest.
        if let (from, to) = monitor.importWindow {
            let seconds = Double(to - from) / 1e9
            say("")
            say(String(format: "  import of %@ rows in a child process: started %.1f s into the measured window, took %.1f s, exit status %d%@",
                       FixedText.grouped(importRows), Double(Int64(from) - Int64(result.measureFrom)) / 1e9, seconds, monitor.importStatus,
                       monitor.importSummary.map { ": \($0)" } ?? ""))
            let overlapTo = min(to, loadEnd)
            if overlapTo > from {
                let overlap = Double(overlapTo - from) / 1e9
                say("  requests that started while the import ran (\(String(format: "%.1f", overlap)) s of the window):")
                say(header)
                var during: [UInt64] = [], duringErrors = 0
                for r in result.routes {
                    let l = r.latencies(startedFrom: from, to: overlapTo), e = r.errorCount(startedFrom: from, to: overlapTo)
                    during += l
                    duringErrors += e
                    say(row(r.name, l, errors: e, seconds: overlap))
                }
                say(row("all", during, errors: duringErrors, seconds: overlap))
                let outside = result.routes.flatMap { r in zip(r.startTimes, r.latencies).compactMap { ($0.0 < from || $0.0 >= overlapTo) ? $0.1 : nil } }
                say(row("all, import idle", outside, errors: result.errorCount - duringErrors, seconds: result.measuredSeconds - overlap))
            }
        } else if importRows > 0 {
            say("  the import did not start during the run (exit status \(monitor.importStatus)): \(monitor.importOutput.prefix(300))")
        }

        reportMemory(monitor: monitor, measureFrom: result.measureFrom, peak: peak, say: say)
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        if let serverCPU = cpu.server {
            var line = String(format: "  CPU during the load (warm-up included): server %.1f core-s, load generator %.1f core-s", serverCPU, cpu.client)
            if let machine = cpu.machine {
                line += String(format: ", other processes (the import child and anything else on the machine) %.1f core-s",
                               max(0, machine - serverCPU - cpu.client))
            }
            say(line + String(format: ", of %.0f core-s; load average now %@", cores * (result.measuredSeconds + warmup), ProcessStats.loadAverage()))
        }
        let p99 = overall.p99
        let met = overall.count > 0 && p99 < 200_000_000 && result.errorCount == 0 && monitor.memoryFlat
        say("  goal (\(backend)): no errors, p99 < 200 ms, memory flat: \(met ? "met" : "NOT met") (p99 \(ms(p99)) ms over all requests, "
            + "\(FixedText.grouped(result.errorCount)) errors, memory \(monitor.memoryFlat ? "flat" : "growing"))")
        let slow = result.routes.filter { $0.summary.p99 >= 200_000_000 }.map(\.name)
        if !slow.isEmpty { say("  request types with p99 >= 200 ms: " + slow.joined(separator: ", ")) }
    }

    /// The server's resident memory over the measured window, its split and the verdict (kept in `monitor.memoryFlat`).
    func reportMemory(monitor: LoadMonitor, measureFrom: UInt64, peak: Double?, say: (String) -> Void) {
        let samples = monitor.samples.filter { $0.at >= measureFrom }
        say("")
        guard let first = samples.first, let last = samples.last else { return }
        let middle = samples[samples.count / 2]
        say(String(format: "  server memory (VmRSS, %d samples 1 s apart): start %.0f MiB, middle %.0f MiB, end %.0f MiB; min %.0f, max %.0f; "
                   + "peak (VmHWM) %@ MiB",
                   samples.count, first.rss, middle.rss, last.rss, samples.map(\.rss).min()!, samples.map(\.rss).max()!,
                   peak.map { String(format: "%.0f", $0) } ?? "?"))
        say(String(format: "    of which heap and stacks (RssAnon) %.0f -> %.0f MiB, the mapped database file (RssFile, page cache the kernel can drop) "
                   + "%.0f -> %.0f MiB", first.anon, last.anon, first.file, last.file))
        let verdict = MemorySample.flatness(samples, importWindow: monitor.importWindow)
        say("  memory: " + verdict.text)
        monitor.memoryFlat = verdict.flat
    }
}
