/// A mailbox: an ASCII `local@domain` address and an optional display name (any text; encoded by RFC 2047 when it
/// is not plain ASCII). Quoted local parts, address literals and internationalised addresses (SMTPUTF8) are refused
/// rather than half supported: a department's relay and its officers' addresses do not need them.
public struct MailAddress: Hashable, Sendable {
    public var address: String
    public var name: String?

    /// Throws `MailError.invalidAddress` naming `field` and the value when the address is not a dot-atom
    /// `local@domain` of at most 254 characters (local part at most 64, RFC 5321 §4.5.3.1), or when the display name
    /// holds a control character or has more than 200 characters (a From line must stay within 998 octets).
    public init(_ address: String, name: String? = nil, field: String = "address") throws(MailError) {
        try Self.check(address, field: field)
        if let name, name.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 }) {
            throw .invalidAddress(field: field, value: name, reason: "the display name holds a control character or line break")
        }
        if let name, name.count > 200 {
            throw .invalidAddress(field: field, value: String(name.prefix(40)) + "...", reason: "the display name is longer than 200 characters")
        }
        self.address = address
        self.name = name
    }

    static let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~".utf8)

    static func check(_ a: String, field: String) throws(MailError) {
        func refuse(_ reason: String) -> MailError { .invalidAddress(field: field, value: a, reason: reason) }
        guard a.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else { throw refuse("only printable ASCII without spaces is accepted") }
        guard a.utf8.count <= 254 else { throw refuse("longer than 254 characters") }
        let parts = a.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw refuse("expected exactly one @") }
        let local = parts[0], domain = parts[1]
        guard !local.isEmpty, local.utf8.count <= 64 else { throw refuse("the part before @ must have 1 to 64 characters") }
        let atoms = local.split(separator: ".", omittingEmptySubsequences: false)
        guard atoms.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(atext.contains) }) else {
            throw refuse("the part before @ may hold letters, digits and !#$%&'*+-/=?^_`{|}~ separated by single dots")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let labelOK: (Substring) -> Bool = { l in
            !l.isEmpty && l.utf8.count <= 63 && l.first != "-" && l.last != "-"
                && l.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 }
        }
        guard labels.allSatisfy(labelOK) else { throw refuse("the domain must be dot-separated labels of letters, digits and inner hyphens") }
    }

    /// `Name <local@domain>`, or the bare address; the name is a quoted string when it holds specials, encoded words
    /// when it is not ASCII.
    var headerText: String {
        guard let name, !name.isEmpty else { return address }
        return MailEncoding.phrase(name) + " <" + address + ">"
    }
}
