import Foundation
import ZoneCastCore
import ZoneCastStore

/// The `after` parameter of a paged list: the last incident's position, written as one URL-safe token so a client
/// passes it back as it got it (base64url of "seconds LF source LF record id").
extension APIQuery {
    static func token(_ position: IncidentPosition) -> String {
        let text = "\(position.occurredAt.timeIntervalSince1970)\n\(position.id.source)\n\(position.id.recordID)"
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func position(_ value: String?, _ name: String) throws(WebError) -> IncidentPosition? {
        guard let raw = text(value) else { return nil }
        var base64 = raw.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else {
            throw invalid(name, raw, "not a position from a next link (pass the link's value as it is)")
        }
        let parts = decoded.split(separator: "\n", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let seconds = Double(parts[0]), seconds.isFinite, abs(seconds) < 1e11, !parts[1].isEmpty else {
            throw invalid(name, raw, "not a position from a next link (pass the link's value as it is)")
        }
        let id = IncidentID(source: String(parts[1]), recordID: String(parts[2]))
        return IncidentPosition(occurredAt: Date(timeIntervalSince1970: seconds), id: id)
    }
}
