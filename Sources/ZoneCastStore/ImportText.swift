/// Control characters in imported text: which ones a row may not hold, and how to show text safely.
///
/// The rule (the same for every store): a row whose text holds a C0 control character other than tab, line feed
/// and carriage return, or DEL, is quarantined (`control_character`), never imported. Such bytes are corruption or
/// an attack (a NUL is dropped by SQLite's C-string binding and refused by PostgreSQL text; an ESC sequence
/// reaches the terminal of whoever lists the row). Everything else, including tab, line breaks and the C1 range
/// that Latin-1 fallback decoding produces, is stored verbatim and reads back byte for byte. A quarantined row
/// keeps its text exactly: stores that cannot hold a NUL in text keep its bytes beside a visible copy.
public enum ImportText {
    /// Whether the scalar is one a stored row may not hold.
    @inlinable public static func isForbidden(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
    }

    /// The first forbidden control character and its UTF-8 offset, if any (they are all one byte in UTF-8).
    public static func firstForbidden(in text: String) -> (scalar: Unicode.Scalar, offset: Int)? {
        for (offset, b) in text.utf8.enumerated() where isForbidden(b) { return (Unicode.Scalar(b), offset) }
        return nil
    }

    /// Whether the text holds a NUL, which SQLite's C-string reads and PostgreSQL text cannot carry.
    public static func containsNUL(_ text: String) -> Bool { text.utf8.contains(0) }

    /// A name for a control character as people know it: "NUL", "ESC", "U+0085".
    public static func name(of scalar: Unicode.Scalar) -> String {
        let names = ["NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI",
                     "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US"]
        if scalar.value < 0x20 { return "\(names[Int(scalar.value)]) (\(codePoint(scalar)))" }
        if scalar.value == 0x7F { return "DEL (U+007F)" }
        return codePoint(scalar)
    }

    /// The text with every character a terminal could act on shown as an escape instead: C0 and C1 controls, DEL
    /// and the bidirectional overrides ("Trojan Source") become `\u{1B}`-style escapes, and backslash is doubled so
    /// an escape in the output always means a control character in the text. For display only.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s == "\\" {
                out.append(contentsOf: "\\\\".unicodeScalars)
            } else if needsEscape(s) {
                out.append(contentsOf: "\\u{\(String(s.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x200E || v == 0x200F || v == 0x061C || s == "\\"
    }

    static func codePoint(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
