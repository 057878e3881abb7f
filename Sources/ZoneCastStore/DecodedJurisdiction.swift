import Foundation
public import ZoneCastCore

/// The jurisdiction as last decoded from its stored JSON text, for the database stores. Nearly every request
/// reads the jurisdiction (time zone, projection, boundary), and decoding its boundary again each time showed up
/// under `zonecast bench load`; the text is still read from the database every time, so a change by another
/// process is seen at once, and only an identical text reuses the decoded value.
public final class DecodedJurisdiction: @unchecked Sendable {
    private var last: (text: String, value: Jurisdiction)?
    private let lock = NSLock()

    public init() {}

    public func decode(_ text: String) throws(StoreError) -> Jurisdiction {
        lock.lock()
        if let last, last.text == text { lock.unlock(); return last.value }
        lock.unlock()
        let value: Jurisdiction
        do { value = try JSONDecoder().decode(Jurisdiction.self, from: Data(text.utf8)) } catch {
            throw StoreError.corrupt("setting jurisdiction: \(error)")
        }
        lock.lock()
        last = (text, value)
        lock.unlock()
        return value
    }
}
