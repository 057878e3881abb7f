import Foundation
import Testing
@testable import ZoneCastMail

/// The client against scripted servers: paths aiosmtpd does not take.
@Suite struct SMTPScriptedTests {
    @Test func fallsBackToHELOAndReadsAMultiLineFinalReply() async throws {
        // Given a server that does not know EHLO and answers the data with a two-line 250
        let server = ScriptedSMTPServer()
        let port = try await server.start(greeting: "220 old.pd.example ESMTP", afterData: ["250-queued", "250 as 12"]) { line in
            switch line.split(separator: " ").first.map(String.init) ?? "" {
            case "EHLO": ["502 5.5.2 command not recognised"]
            case "DATA": ["354 go ahead"]
            case "QUIT": ["221 bye"]
            default: ["250 OK"]
            }
        }
        // When a message is sent
        let receipt = try await SMTPTransport(configuration: try SMTPConfiguration(host: "127.0.0.1", port: port)).send(try MailFixture.message())
        await server.stop()
        // Then HELO followed the refused EHLO, every recipient was named, and the whole final reply is kept
        #expect(server.commands == ["EHLO zonecast.localdomain", "HELO zonecast.localdomain", "MAIL FROM:<alerts@zonecast.pd.example>",
                                    "RCPT TO:<commander@pd.example>", "RCPT TO:<duty.officer@pd.example>", "DATA", "QUIT"])
        #expect(receipt.serverReply == "250 queued / as 12")
    }

    @Test func malformedGreetingIsNamed() async throws {
        let server = ScriptedSMTPServer()
        let port = try await server.start(greeting: "hello there") { _ in [] }
        await #expect(throws: MailError.malformedReply(command: "the connection greeting", line: "hello there")) {
            try await SMTPTransport(configuration: try SMTPConfiguration(host: "127.0.0.1", port: port, replyTimeoutSeconds: 2)).send(try MailFixture.message())
        }
        await server.stop()
    }

    @Test func credentialsWithoutAnOfferedMechanismAreNamed() async throws {
        // Given a server whose EHLO lists only AUTH CRAM-MD5 and credentials on loopback
        let server = ScriptedSMTPServer()
        let port = try await server.start(greeting: "220 ready") { line in
            line.hasPrefix("EHLO") ? ["250-ready", "250 AUTH CRAM-MD5"] : line == "QUIT" ? ["221 bye"] : ["500 unexpected"]
        }
        let c = try SMTPConfiguration(host: "127.0.0.1", port: port, credentials: .init(username: "u", password: "p"))
        // When sending / Then it stops before MAIL FROM, naming what the server offers, and says QUIT
        await #expect(throws: MailError.authenticationUnavailable(offered: "CRAM-MD5")) { try await SMTPTransport(configuration: c).send(try MailFixture.message()) }
        await server.stop()
        #expect(server.commands == ["EHLO zonecast.localdomain", "QUIT"])
    }
}
