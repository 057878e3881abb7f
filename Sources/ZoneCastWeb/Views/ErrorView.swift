import Foundation
import ZoneCastHTML
import ZoneCastReports

/// The page a failed request shows (`WebError`): self-contained, without the navigation (the viewer may not be
/// known), the message escaped.
enum ErrorView {
    static func page(title: String, message: String) -> HTML {
        ReportDocument.page(title: title, body: "<p class=\"error\" role=\"alert\">\(message)</p><p><a href=\"/\">Back to the dashboard</a></p>")
    }
}
