import Testing
@testable import ZoneCastMail

@Suite struct SMTPReplyTests {
    @Test func multiLineReplyIsOneReply() throws {
        // Given an EHLO answer over three lines
        var parser = SMTPReplyParser()
        // When the lines arrive / Then only the last completes the reply, with every line's text
        #expect(try parser.add("250-mail.pd.example", command: "EHLO x") == nil)
        #expect(try parser.add("250-AUTH PLAIN LOGIN", command: "EHLO x") == nil)
        let reply = try parser.add("250 SIZE 1000", command: "EHLO x")
        #expect(reply == SMTPReply(code: 250, lines: ["mail.pd.example", "AUTH PLAIN LOGIN", "SIZE 1000"]))
        #expect(try parser.add("221", command: "QUIT") == SMTPReply(code: 221, lines: [""]))
    }

    @Test(arguments: ["hello", "25", "250x", "650 nope", "2x0 nope"])
    func malformedLinesAreRefusedNamingTheCommand(line: String) {
        var parser = SMTPReplyParser()
        #expect(throws: MailError.malformedReply(command: "MAIL FROM:<a@b.example>", line: line)) {
            try parser.add(line, command: "MAIL FROM:<a@b.example>")
        }
    }

    @Test func continuationWithAnotherCodeIsRefused() throws {
        var parser = SMTPReplyParser()
        _ = try parser.add("250-first", command: "EHLO x")
        #expect(throws: MailError.malformedReply(command: "EHLO x", line: "251 second")) { try parser.add("251 second", command: "EHLO x") }
    }

    @Test func configurationFromURL() throws {
        // Given a URL with credentials and settings / When it is read / Then every part lands, the password decoded
        let c = try SMTPConfiguration(url: "smtp://alerts%40pd:p%40ss@127.0.0.1:2525?helo=zc.pd.example&timeout=5")
        #expect(c.host == "127.0.0.1" && c.port == 2525 && c.heloName == "zc.pd.example" && c.replyTimeoutSeconds == 5)
        #expect(c.credentials == SMTPConfiguration.Credentials(username: "alerts@pd", password: "p@ss"))
        #expect(c.isLoopback && !c.allowPlainAuthentication)
        // And bad parts are named, the password never repeated
        #expect(throws: MailError.invalidConfiguration(field: "timeout", value: "0", reason: "expected seconds above 0, at most 600")) {
            try SMTPConfiguration(url: "smtp://relay.pd.example?timeout=0")
        }
        #expect(throws: MailError.invalidConfiguration(field: "tls", value: "1", reason: "unknown setting (known: helo, timeout, allow_plain_auth)")) {
            try SMTPConfiguration(url: "smtp://relay.pd.example?tls=1")
        }
        #expect(SMTPConfiguration.redacted("smtp://u:secret@relay.pd.example") == "smtp://u:***@relay.pd.example")
    }
}
