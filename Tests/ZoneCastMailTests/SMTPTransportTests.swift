import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import ZoneCastMail

/// Against a real SMTP server: Debian's aiosmtpd, started by scripts/test through scripts/smtp-test-server, which
/// writes each message it accepts to a directory byte for byte. Cancelled with the reason when it is not running.
@Suite struct SMTPTransportTests {
    static let urlVariable = "ZONECAST_TEST_SMTP_URL"
    static let environment = ProcessInfo.processInfo.environment

    static func server() throws -> (configuration: SMTPConfiguration, directory: URL) {
        guard let url = environment[urlVariable], let dir = environment["ZONECAST_TEST_SMTP_DIR"] else {
            try Test.cancel(Comment(rawValue: "SMTP client not tested against a server: \(urlVariable) and ZONECAST_TEST_SMTP_DIR are not set "
                                    + "(scripts/test starts Debian's aiosmtpd with scripts/smtp-test-server and sets them)"))
        }
        return (try SMTPConfiguration(url: url + "?timeout=10"), URL(fileURLWithPath: dir))
    }

    /// The stored message holding `Message-ID: <id>`, and its envelope.
    static func delivered(_ id: String, in dir: URL) throws -> (data: Data, envelope: [String: Any])? {
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".eml") && !name.hasPrefix(".") {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            guard String(decoding: data, as: UTF8.self).contains("Message-ID: <\(id)>\r\n") else { continue }
            let json = try Data(contentsOf: dir.appendingPathComponent(String(name.dropLast(4)) + ".json"))
            return (data, try JSONSerialization.jsonObject(with: json) as? [String: Any] ?? [:])
        }
        return nil
    }

    static func uniqueID() -> String { "test-\(UUID().uuidString.lowercased())@zonecast.pd.example" }

    @Test func deliversTheMessageByteForByte() async throws {
        // Given the local server and an alert whose body has lines starting with a dot
        let (configuration, dir) = try Self.server()
        let id = Self.uniqueID()
        let message = try MailFixture.message(id: id)
        // When it is sent over SMTP
        let receipt = try await SMTPTransport(configuration: configuration).send(message)
        // Then the server stored exactly the rendered message (dot-stuffing undone by the server), for both recipients
        let stored = try #require(try Self.delivered(id, in: dir))
        #expect(stored.data == Data(try message.rendered().utf8))
        #expect(stored.envelope["mail_from"] as? String == "alerts@zonecast.pd.example")
        #expect(stored.envelope["rcpt_tos"] as? [String] == ["commander@pd.example", "duty.officer@pd.example"])
        #expect(receipt.serverReply.hasPrefix("250 OK queued as "))
    }

    @Test func nonASCIIMessageArrivesEncoded() async throws {
        // Given a German subject and body
        let (configuration, dir) = try Self.server()
        let id = Self.uniqueID()
        let subject = "Wenig Streife in Zone Z3 – Überprüfung nötig"
        let body = "Zone Z3: 0,8 Besuche pro Tag.\nLücke von 31 Stunden ohne Besuch."
        // When it is sent
        _ = try await SMTPTransport(configuration: configuration).send(try MailFixture.message(subject: subject, body: body, id: id))
        // Then what arrived is 7-bit, its lines within 78 octets, and its subject and body decode to the text
        let stored = try #require(try Self.delivered(id, in: dir))
        #expect(stored.data.allSatisfy { $0 < 128 })
        let text = String(decoding: stored.data, as: UTF8.self)
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        let (headers, encoded) = MailDecode.split(text)
        #expect(MailDecode.unstructured(headers["subject"]!) == subject)
        #expect(MailDecode.quotedPrintable(encoded) == body + "\n")
    }

    @Test func refusedRecipientFailsNamingTheCommandAndReply() async throws {
        // Given a recipient the server refuses (550)
        let (configuration, dir) = try Self.server()
        let id = Self.uniqueID()
        let message = try MailFixture.message(to: ["commander@pd.example", "refuse-me@pd.example"], id: id)
        // When it is sent / Then the error names RCPT TO with that address and the server's reply, and nothing is delivered
        let error = await #expect(throws: MailError.self) { try await SMTPTransport(configuration: configuration).send(message) }
        guard case .rejected(let command, let reply) = error else { Issue.record("expected a rejection, got \(String(describing: error))"); return }
        #expect(command == "RCPT TO:<refuse-me@pd.example>")
        #expect(reply.code == 550 && reply.text.contains("recipient refused by the test server"))
        #expect(error?.description.contains("refused RCPT TO:<refuse-me@pd.example>: 550 5.1.1") == true)
        #expect(try Self.delivered(id, in: dir) == nil)
    }

    @Test func authenticatesWithPlainWhenConfigured() async throws {
        // Given the server that requires AUTH and the right credentials
        let (_, dir) = try Self.server()
        guard let url = Self.environment["ZONECAST_TEST_SMTP_AUTH_URL"] else { try Test.cancel(Comment(rawValue: "ZONECAST_TEST_SMTP_AUTH_URL is not set")) }
        let id = Self.uniqueID()
        // When a message is sent / Then it is delivered, recorded as sent by that login
        _ = try await SMTPTransport(configuration: try SMTPConfiguration(url: url)).send(try MailFixture.message(id: id))
        let stored = try #require(try Self.delivered(id, in: dir))
        #expect(stored.envelope["auth_login"] as? String == "zonecast-test")
    }

    @Test func authenticatesWithLoginWhenPlainIsNotOffered() async throws {
        // Given the server two ports above the AUTH one, which offers only AUTH LOGIN (scripts/zonecast_smtp_sink.py)
        let (_, dir) = try Self.server()
        guard let url = Self.environment["ZONECAST_TEST_SMTP_AUTH_URL"] else { try Test.cancel(Comment(rawValue: "ZONECAST_TEST_SMTP_AUTH_URL is not set")) }
        var c = try SMTPConfiguration(url: url)
        c.port += 1
        let id = Self.uniqueID()
        // When a message is sent / Then it is delivered after the LOGIN exchange, as that login
        _ = try await SMTPTransport(configuration: c).send(try MailFixture.message(id: id))
        let stored = try #require(try Self.delivered(id, in: dir))
        #expect(stored.envelope["auth_login"] as? String == "zonecast-test")
        // And a wrong password is named as the LOGIN step that failed, not the password
        c.credentials?.password = "wrong"
        let e = await #expect(throws: MailError.self) { try await SMTPTransport(configuration: c).send(try MailFixture.message()) }
        guard case .rejected("AUTH LOGIN (password)", let r) = e else { Issue.record("got \(String(describing: e))"); return }
        #expect(r.code == 535)
    }

    @Test func wrongPasswordAndNoCredentialsAreNamed() async throws {
        let (_, _) = try Self.server()
        guard let url = Self.environment["ZONECAST_TEST_SMTP_AUTH_URL"] else { try Test.cancel(Comment(rawValue: "ZONECAST_TEST_SMTP_AUTH_URL is not set")) }
        var wrong = try SMTPConfiguration(url: url)
        wrong.credentials?.password = "wrong"
        var none = wrong
        none.credentials = nil
        // When the password is wrong / Then AUTH PLAIN is named with the 535 reply, and the password is not in the text
        let e1 = await #expect(throws: MailError.self) { try await SMTPTransport(configuration: wrong).send(try MailFixture.message()) }
        guard case .rejected("AUTH PLAIN", let r1) = e1 else { Issue.record("got \(String(describing: e1))"); return }
        #expect(r1.code == 535 && e1?.description.contains("wrong") == false)
        // When no credentials are given / Then MAIL FROM is refused with the server's "authentication required"
        let e2 = await #expect(throws: MailError.self) { try await SMTPTransport(configuration: none).send(try MailFixture.message()) }
        guard case .rejected("MAIL FROM:<alerts@zonecast.pd.example>", let r2) = e2 else { Issue.record("got \(String(describing: e2))"); return }
        #expect(r2.code == 530)
    }
}

/// Without a server: refusals before connecting, a port nobody listens on, and a server that never answers.
@Suite struct SMTPTransportOfflineTests {
    @Test func credentialsToARemoteHostWithoutTLSAreRefused() async throws {
        // Given credentials for a relay that is not on loopback / When sending / Then it refuses before connecting
        let c = try SMTPConfiguration(host: "relay.pd.example", credentials: .init(username: "u", password: "p"))
        await #expect(throws: MailError.plainAuthenticationRefused(host: "relay.pd.example")) {
            try await SMTPTransport(configuration: c).send(try MailFixture.message())
        }
    }

    @Test func closedPortIsNamed() async throws {
        // Given a port that was just free (bound and released) / When sending / Then the error names host and port
        let group = MultiThreadedEventLoopGroup.singleton
        let server = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = server.localAddress!.port!
        try await server.close()
        let error = await #expect(throws: MailError.self) {
            try await SMTPTransport(configuration: try SMTPConfiguration(host: "127.0.0.1", port: port)).send(try MailFixture.message())
        }
        guard case .connectionFailed("127.0.0.1", port, _) = error else { Issue.record("got \(String(describing: error))"); return }
    }

    @Test func silentServerTimesOutNamingTheGreeting() async throws {
        // Given a server that accepts connections and never writes
        let group = MultiThreadedEventLoopGroup.singleton
        let server = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let c = try SMTPConfiguration(host: "127.0.0.1", port: server.localAddress!.port!, replyTimeoutSeconds: 0.3)
        // When sending / Then it gives up after the reply timeout, naming what it waited for
        await #expect(throws: MailError.timedOut(command: "the connection greeting", seconds: 0.3)) {
            try await SMTPTransport(configuration: c).send(try MailFixture.message())
        }
    }
}
