/// Canonical form for comparing source values: lower-case ASCII letters and digits, with every run of other
/// characters folded to one "_" and none at the ends. "Agg Assault - Drive", "AGG_ASSAULT_DRIVE" and
/// "agg assault drive" all become "agg_assault_drive".
public func canonicalValue(_ s: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count)
    var pendingSeparator = false
    for b in s.utf8 {
        let lower = (b >= 65 && b <= 90) ? b | 0x20 : b
        let isWord = (lower >= 97 && lower <= 122) || (lower >= 48 && lower <= 57) || lower >= 128
        if isWord {
            if pendingSeparator && !out.isEmpty { out.append(UInt8(ascii: "_")) }
            pendingSeparator = false
            out.append(lower)
        } else {
            pendingSeparator = true
        }
    }
    return String(decoding: out, as: UTF8.self)
}

/// Header names match after trimming, lower-casing and folding punctuation/space runs.
func canonicalHeader(_ s: String) -> String { canonicalValue(s) }
