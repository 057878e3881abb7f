import ZoneCastCLI
import ArgumentParser
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// The executable only hands over to the command line library.
@main
struct ZoneCastMain {
    static func main() async {
        // Standard output a line at a time even into a pipe or a file (systemd, docker, `> log`): otherwise C's stdio
        // holds 4 KB back, so a long-running `serve` showed its startup lines only once that much had followed, cut
        // mid-line between the log lines on standard error.
        setvbuf(stdout, nil, _IOLBF, 0)
        await ZoneCastCommand.main()
    }
}
