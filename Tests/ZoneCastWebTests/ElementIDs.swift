import Foundation

/// The `id` attributes a page repeats (each once, sorted): an id names one element, and a repeated one makes
/// `getElementById`, `#fragment` links and label `for=` point at the wrong element.
func repeatedElementIDs(in html: String) -> [String] {
    var seen = Set<String>(), repeated = Set<String>()
    var rest = html[...]
    while let r = rest.range(of: " id=\"") {
        let value = rest[r.upperBound...].prefix { $0 != "\"" }
        if !seen.insert(String(value)).inserted { repeated.insert(String(value)) }
        rest = rest[r.upperBound...]
    }
    return repeated.sorted()
}
