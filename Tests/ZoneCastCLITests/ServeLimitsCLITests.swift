import Foundation
import Testing
import ZoneCastWeb
@testable import ZoneCastCLI
import ArgumentParser

@Suite("serve: connection limits and trusted proxies on the command line")
struct ServeLimitsCLITests {
    @Test("given serve's limit flags, when parsed, then the defaults are 15 s idle, 60 s per request and 512 connections, values are carried, and out-of-range values or a proxy that is not an IP address are refused naming the flag and the value")
    func flags() async throws {
        let defaults = try #require(try ZoneCastCommand.parseAsRoot(["serve"]) as? ServeCommand)
        #expect(defaults.idleTimeout == 15 && defaults.requestTimeout == 60 && defaults.maxConnections == 512 && defaults.trustedProxy.isEmpty)
        let set = try #require(try ZoneCastCommand.parseAsRoot(["serve", "--idle-timeout", "5", "--request-timeout", "30", "--max-connections", "2000",
                                                                 "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "::1"]) as? ServeCommand)
        #expect(set.idleTimeout == 5 && set.requestTimeout == 30 && set.maxConnections == 2_000 && set.trustedProxy == ["127.0.0.1", "::1"])
        for (args, named) in [(["--idle-timeout", "0"], "--idle-timeout must be 1-3600 seconds (got 0)"),
                              (["--request-timeout", "99999"], "--request-timeout must be 1-3600 seconds (got 99999)"),
                              (["--max-connections", "3"], "--max-connections must be 16-100000 (got 3)"),
                              (["--trusted-proxy", "proxy.local"], "--trusted-proxy \"proxy.local\" is not an IP address")] {
            do {
                _ = try ZoneCastCommand.parseAsRoot(["serve"] + args)
                Issue.record("serve \(args) was accepted")
            } catch {
                #expect(ZoneCastCommand.message(for: error).contains(named), "\(ZoneCastCommand.message(for: error))")
            }
        }
    }

    @Test("given --schedule-every, when parsed, then a bare number is minutes, s/m/h units are read, the default is 10 minutes, and values outside 5 s to 24 h, units unknown and non-numbers are refused naming the flag and the value")
    func schedulePeriod() async throws {
        let defaults = try #require(try ZoneCastCommand.parseAsRoot(["serve"]) as? ServeCommand)
        #expect(defaults.scheduleEvery.seconds == 600 && defaults.scheduleEvery.description == "10 min")
        for (text, seconds) in [("1", 60), ("1440", 86_400), ("5s", 5), ("90s", 90), ("5m", 300), ("2h", 7_200), ("24H", 86_400), (" 30s ", 30)] {
            let parsed = try #require(try ZoneCastCommand.parseAsRoot(["serve", "--schedule-every", text]) as? ServeCommand)
            #expect(parsed.scheduleEvery.seconds == seconds, "\(text)")
        }
        #expect(SchedulePeriod(seconds: 90).description == "90 s" && SchedulePeriod(seconds: 7_200).description == "2 h")
        for text in ["0", "4s", "1441", "25h", "-5m", "5d", "m", "1.5m", "９m", "99999999999999999999"] {
            do {
                _ = try ZoneCastCommand.parseAsRoot(["serve", "--schedule-every=\(text)"])
                Issue.record("--schedule-every \(text) was accepted")
            } catch {
                let message = ZoneCastCommand.message(for: error)
                #expect(message.contains("--schedule-every") && message.contains("'\(text)'"), "\(message)")
            }
        }
    }
}
