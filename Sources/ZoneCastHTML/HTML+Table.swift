extension HTML {
    /// A table of text cells; the first `leftColumns` columns are left-aligned (labels), the rest right-aligned
    /// (figures).
    public static func table(header: [String], rows: [[String]], leftColumns: Int = 1) -> HTML {
        table(header: header, rows: rows.map { $0.map(HTML.init(text:)) }, leftColumns: leftColumns)
    }

    /// A table whose cells are markup (links, badges); header cells are text.
    public static func table(header: [String], rows: [[HTML]], leftColumns: Int = 1) -> HTML {
        func alignment(_ i: Int) -> HTML { i < leftColumns ? " class=\"l\"" : .empty }
        let head = header.enumerated().map { i, h -> HTML in "<th\(alignment(i))>\(h)</th>" }
        let body = rows.map { row -> HTML in
            "<tr>\(row.enumerated().map { i, c -> HTML in "<td\(alignment(i))>\(c)</td>" })</tr>"
        }
        return "<table><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table>"
    }
}
