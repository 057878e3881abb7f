import Foundation
import Testing
@testable import ZoneCastMail

@Suite struct MailMessageTests {
    @Test func asciiMessageRendersExactly() throws {
        // Given an alert with a short ASCII subject and a body with lines that start with a dot
        let message = try MailFixture.message()
        // When it is rendered
        let text = try message.rendered()
        // Then every header and line is exactly as RFC 5322 writes it, with CRLF endings and no dot-stuffing yet
        let expected = "Date: Tue, 01 Dec 2026 22:17:00 +0000\r\nFrom: ZoneCast <alerts@zonecast.pd.example>\r\n"
            + "To: commander@pd.example, duty.officer@pd.example\r\nSubject: Enforcement above threshold in zone Z2\r\n"
            + "Message-ID: <alert-1@zonecast.pd.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n"
            + "Content-Transfer-Encoding: 7bit\r\nX-ZoneCast-Alert: enforcement/c1/Z2/2026-12-01\r\n\r\n"
            + "Zone Z2: 3 minor citations in 4.0 h.\r\n.\r\n.hidden line\r\nEnd\r\n"
        #expect(text == expected)
    }

    @Test func dotStuffingDoublesLeadingDotsAndTerminates() {
        // Given text whose first line and two later lines start with a dot
        let text = ".first\r\nmiddle\r\n.\r\n..two\r\nlast\r\n"
        // When it is prepared for DATA
        let data = MailEncoding.dotStuffed(text)
        // Then each leading dot is doubled and the data ends with CRLF "." CRLF
        #expect(data == "..first\r\nmiddle\r\n..\r\n...two\r\nlast\r\n.\r\n")
    }

    @Test func nonASCIISubjectBecomesEncodedWordsWithinLimits() throws {
        // Given a long subject in German with umlauts and a dash
        let subject = "Zone Z2: Durchsetzung über dem Schwellenwert – drei Festnahmen, Überprüfung mit den Einheiten nötig (Zyklus 2026-12-01)"
        // When it is rendered
        let text = try MailFixture.message(subject: subject).rendered()
        let header = MailDecode.split(text).headers["subject"]!
        // Then the header is ASCII, made of encoded words of at most 75 characters on lines of at most 78, and decodes back
        #expect(header.utf8.allSatisfy { $0 < 128 })
        #expect(header.split(whereSeparator: \.isWhitespace).allSatisfy { $0.count <= 75 && $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") })
        #expect(("Subject: " + header).components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(MailDecode.unstructured(header) == subject)
    }

    @Test func longASCIISubjectFoldsAtSpaces() throws {
        // Given an ASCII subject of 120 characters
        let subject = Array(repeating: "little patrol in Z3", count: 6).joined(separator: " ")
        // When it is rendered
        let header = MailDecode.split(try MailFixture.message(subject: subject).rendered()).headers["subject"]!
        // Then it is folded (CRLF + space) into lines of at most 78 and unfolds to the same text
        #expect(header.contains("\r\n "))
        #expect(("Subject: " + header).components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(header.replacingOccurrences(of: "\r\n ", with: " ") == subject)
    }

    @Test func nonASCIIOrLongBodyIsQuotedPrintable() throws {
        // Given a body with a non-ASCII line, a line of 300 characters, a trailing space and an equals sign
        let long = String(repeating: "0123456789", count: 30)
        let body = "Zone Z2 – Überprüfung nötig\n\(long)\nends with a space \nx = 1"
        // When it is rendered
        let text = try MailFixture.message(body: body).rendered()
        let (headers, encoded) = MailDecode.split(text)
        // Then it is quoted-printable UTF-8 with lines of at most 76 that decode back to the text
        #expect(headers["content-transfer-encoding"] == "quoted-printable")
        #expect(headers["content-type"] == "text/plain; charset=utf-8")
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(encoded.contains("space=20\r\n"))
        #expect(MailDecode.quotedPrintable(encoded) == body + "\n")
    }

    @Test func lineBreakInAHeaderIsRefused() throws {
        // Given a subject that tries to add a Bcc header
        let message = try MailFixture.message(subject: "hello\r\nBcc: everyone@example.com")
        // When it is rendered / Then it is refused, naming the header
        #expect(throws: MailError.invalidHeader(name: "Subject", value: "hello\r\nBcc: everyone@example.com",
                                                reason: "holds a line break or control character")) { try message.rendered() }
    }

    @Test func reservedAndMalformedHeadersAreRefused() throws {
        // Given extra headers that repeat a standard one or have a colon in the name
        var message = try MailFixture.message()
        message.headers = [try MailHeader("Bcc", "x@y.example")]
        // Then rendering refuses the reserved one, and the malformed name is refused when made
        #expect(throws: MailError.invalidHeader(name: "Bcc", value: "x@y.example", reason: "ZoneCast writes this header itself")) { try message.rendered() }
        #expect(throws: MailError.self) { try MailHeader("X-Bad:Name", "v") }
    }

    @Test(arguments: [
        ("", "expected exactly one @"), ("no-at.example", "expected exactly one @"), ("a@@b.example", "expected exactly one @"),
        ("two words@pd.example", "only printable ASCII without spaces is accepted"), ("ü@pd.example", "only printable ASCII without spaces is accepted"),
        ("a..b@pd.example", "the part before @ may hold letters, digits and !#$%&'*+-/=?^_`{|}~ separated by single dots"),
        ("a@-pd.example", "the domain must be dot-separated labels of letters, digits and inner hyphens"),
        ("a@pd..example", "the domain must be dot-separated labels of letters, digits and inner hyphens"),
    ])
    func badAddressesAreRefusedNamingFieldAndValue(address: String, reason: String) {
        // Given a bad address for the second recipient / When it is parsed / Then the error names the field, value and reason
        #expect(throws: MailError.invalidAddress(field: "to[1]", value: address, reason: reason)) { try MailAddress(address, field: "to[1]") }
    }

    @Test func displayNamesAreQuotedOrEncoded() throws {
        // Given display names with a comma and with non-ASCII letters
        let quoted = try MailAddress("c@pd.example", name: "Smith, J. \"Duty\"").headerText
        let encoded = try MailAddress("c@pd.example", name: "Jürgen").headerText
        // Then the first is a quoted string and the second an encoded word, each before the address
        #expect(quoted == "\"Smith, J. \\\"Duty\\\"\" <c@pd.example>")
        #expect(encoded == "=?UTF-8?B?SsO8cmdlbg==?= <c@pd.example>")
    }

    @Test func outboxKeepsWhatItSends() async throws {
        // Given an in-memory outbox / When a message is sent
        let outbox = InMemoryOutbox()
        let receipt = try await outbox.send(try MailFixture.message())
        // Then it keeps the message and its rendering, and names the recipients
        #expect(outbox.sent.count == 1)
        #expect(outbox.sent[0].rendered == (try MailFixture.message().rendered()))
        #expect(receipt.recipients == ["commander@pd.example", "duty.officer@pd.example"])
    }
}
