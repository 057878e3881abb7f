import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastHTML
import ZoneCastReports

/// The application's page chrome: navigation for what the viewer's role may do, the signed-in user, and styles
/// for screen, phone and print. Nothing is loaded from elsewhere.
enum Layout {
    static let css: HTML = """
        *{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1b1f24;line-height:1.4}
        header.top{background:#14213d;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.75rem;align-items:center}
        header.top a{color:#fff;text-decoration:none;padding:.25rem .4rem;border-radius:3px}header.top a:hover,header.top a[aria-current]{background:#2f4a7a}
        header.top .brand{font-weight:bold;margin-right:1rem}header.top .user{margin-left:auto;font-size:.9rem}
        header.top button{margin-left:.5rem}
        main{padding:1rem;max-width:1200px}
        h1{font-size:1.45rem;margin:.25rem 0 .75rem}h2{font-size:1.15rem;margin-top:1.75rem}
        table{border-collapse:collapse;margin:.5rem 0;font-variant-numeric:tabular-nums}
        th,td{border:1px solid #ccd;padding:.25rem .5rem;text-align:right;vertical-align:top}th{background:#f2f4f8}td.l,th.l{text-align:left}
        .exercise{background:#ffe8cc;border:2px solid #c05a00;padding:.5rem;margin:.5rem 0}
        .note{color:#555;font-size:.9rem}.synthetic{background:#fff3cd;border:1px solid #e0c36b;padding:.5rem;margin:.5rem 0}
        .confidential{border:2px solid #b00020;color:#b00020;font-weight:bold;padding:.35rem .6rem;margin:.5rem 0}
        .error{background:#fde7e9;border:1px solid #b00020;padding:.5rem}.ok{background:#e6f4ea;border:1px solid #1e7e34;padding:.5rem}
        .notice{background:#e8f0fe;border:1px solid #4a76c9;padding:.4rem .6rem;margin:.25rem 0}
        .cards{display:flex;flex-wrap:wrap;gap:.75rem}.card{border:1px solid #ccd;border-radius:6px;padding:.6rem .8rem;min-width:9rem}
        .card .n{font-size:1.5rem;font-weight:bold}
        .cols{display:flex;flex-wrap:wrap;gap:1.5rem}.cols>div{flex:1 1 420px;min-width:0}
        form.stack label{display:block;margin:.5rem 0}form.stack input[type=text],form.stack input[type=password],form.stack textarea,\
        form.stack select,form.stack input[type=datetime-local],\
        form.stack input[type=number]{display:block;width:100%;max-width:32rem;padding:.4rem;font-size:1rem}
        textarea{min-height:4rem}button,.button{font-size:1rem;padding:.4rem .9rem;cursor:pointer}
        .layers label{margin-right:.75rem;white-space:nowrap}\
        .legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .25rem 0 .75rem;vertical-align:middle}
        svg{max-width:100%;height:auto}
        #layer-surface:not(:checked)~.zc-figure [data-layer=surface],#layer-incidents:not(:checked)~.zc-figure [data-layer^=incidents-],
        #layer-intel:not(:checked)~.zc-figure [data-layer=markers],#layer-proposed:not(:checked)~.zc-figure [data-layer=zones-proposed],
        #layer-active:not(:checked)~.zc-figure [data-layer=zones-active]{display:none}
        @media (max-width:600px){main{padding:.5rem}header.top{font-size:.95rem}th,td{padding:.2rem .3rem}\
        button,.button{width:100%;padding:.7rem;font-size:1.1rem}
          form.stack input,form.stack select,form.stack textarea{font-size:1.1rem}}
        @media (max-width:600px){body{display:flex;flex-direction:column;min-height:100vh}main{flex:1 0 auto}header.top{order:2;flex-wrap:nowrap;\
        overflow-x:auto;gap:.2rem;padding:.3rem .4rem}header.top .brand,header.top .user .who{display:none}
          header.top a{white-space:nowrap;padding:.7rem .55rem}header.top .user{white-space:nowrap}\
        header.top button{width:auto;padding:.55rem .6rem;font-size:.9rem;margin-left:.2rem}}
        .zc-figure{margin:.5rem 0}.zc-zoom{display:flex;flex-wrap:wrap;gap:.3rem .8rem;margin:.3rem 0;font-size:.95rem}.zc-nav-off{color:#888}
        .zc-adjust [data-cell]{cursor:pointer}.zc-adjust [data-cell]:hover{fill-opacity:.25}.running-confidential{display:none}
        .print-only{display:none}
        @media print{header.top,.no-print,form,button,.zc-zoom,details{display:none!important}.print-only{display:block}main{max-width:none;padding:0}
          body{font-size:10pt}a{color:#000;text-decoration:none}.confidential{border-width:3px}h2{page-break-after:avoid}table,svg{page-break-inside:avoid}
          .running-confidential{display:block;position:fixed;bottom:0;left:0;right:0;background:#fff;border-top:2px solid #000;color:#000;
          font-size:8pt;font-weight:bold;padding:1mm 0}
          .briefing-zone,.briefing-agenda{break-before:page}.briefing-zone{break-inside:avoid}.briefing-overview svg{max-height:150mm;width:auto}
          .briefing-zone svg{max-height:125mm;width:auto}.briefing-zone h3{margin:.2rem 0}.briefing-zone p{margin:.25rem 0}
          .briefing-agenda{font-size:6.5pt;line-height:1.2}.briefing-agenda h2{font-size:8pt;margin:.3rem 0 .1rem}.briefing-agenda p{margin:.1rem 0}
          .briefing-agenda p.note:not(.print-only){display:none}
          .briefing-agenda th,.briefing-agenda td{padding:0 .2rem}.briefing-agenda tbody tr:nth-child(n+7){display:none}
          .briefing-agenda table{margin:.2rem 0;break-inside:auto}}
        """

    /// Navigation entries and the permissions that show each (any of them; none: everyone signed in).
    static let navigation: [(path: String, label: String, permissions: [Permission])] = [
        ("/", "Dashboard", []),
        ("/officer", "My zones", [.logPatrols]),
        ("/proposals", "Proposals", [.viewAllZones]),
        ("/meetings", "IRIS meetings", [.viewAllZones]),
        ("/deployments", "Deployment", [.assignUnits]),
        ("/intel", "Intelligence", [.recordIntelligence]),
        ("/outcomes", "Outcomes", [.viewOversight]),
        ("/oversight", "Oversight", [.viewOversight]),
        ("/audit", "Audit log", [.viewAuditLog]),
        ("/account/tokens", "API tokens", [.exportData, .manageAccounts]),
        ("/notices", "Notices", [.decideZones]),
        ("/accounts", "Accounts", [.manageAccounts]),
        ("/settings/alerts", "Alert settings", [.manageAccounts]),
        ("/settings/field", "Field settings", [.manageAccounts]),
    ]

    static func page(title: String, viewer: Viewer?, current: String? = nil, body: HTML) -> HTML {
        let visible = viewer.map { v in
            v.account.mustChangePassword ? [] : navigation.filter { $0.permissions.isEmpty || $0.permissions.contains(where: v.may) }
        } ?? []
        let nav = visible.map { item -> HTML in
            item.path == current ? "<a href=\"\(item.path)\" aria-current=\"page\">\(item.label)</a>" : "<a href=\"\(item.path)\">\(item.label)</a>"
        }
        let user: HTML? = viewer.map { v in
            """
            <span class="user"><span class="who">\(v.account.displayName) (\(v.role))</span><form method="post" action="/logout" style="display:inline">\
            \(csrfField(v))<button>Sign out</button></form></span>
            """
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer"><title>\(title) · ZoneCast</title><style>\(css)</style>\
            <script src="\(MapScript.path)" defer></script></head><body>
            <header class="top"><span class="brand">ZoneCast</span>\(nav)\(user)</header>
            <main>\(exerciseBanner(RequestTime.current))<h1>\(title)</h1>
            \(body)
            </main></body></html>
            """
    }

    /// The confidentiality banner on every page that shows zone locations: who is viewing and when, so a printed
    /// or photographed copy says whose it was. When is the clock's: `now` is the page's time, which in an exercise
    /// is the data's (2017 for KCPD's records), and a copy must say when it was really seen, as the audit log does.
    /// The request's clock reading comes with its database time (`RequestTime`); outside a page request, `now`.
    static func confidential(_ viewer: Viewer, at now: Date, timeZone: TimeZone) -> HTML {
        let who = viewer.account.displayName, when = localText(viewedAt(now), timeZone: timeZone)
        return """
            <p class="confidential">CONFIDENTIAL: patrol zone locations. Viewed by \(who) (\(viewer.username), \(viewer.role)) at \(when). \
            Do not share outside the department.</p>
            """
    }

    /// When a page is seen, for its confidential stamps: the clock's reading during a request, also in an exercise
    /// (a copy must say when it was really seen, as the audit log does), else `now`.
    static func viewedAt(_ now: Date) -> Date { RequestTime.current?.dataTime.clock ?? now }

    static func syntheticBanner(_ isSynthetic: Bool) -> HTML {
        isSynthetic ? "<div class=\"synthetic\">SYNTHETIC DATA: fictional incidents from ZoneCast's generator, for demonstration only.</div>" : .empty
    }

    /// A hidden CSRF field for forms.
    static func csrfField(_ viewer: Viewer) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(viewer.csrf)\">"
    }
}
