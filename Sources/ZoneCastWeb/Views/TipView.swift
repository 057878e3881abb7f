import Foundation
import ZoneCastHTML
import ZoneCastOperations

/// The public community-tip pages: nothing of the internal application (no navigation, no map, nothing about
/// zones or cycles), plain language, and a clear pointer to 911 for emergencies.
enum TipView {
    static func page(title: String, body: HTML) -> HTML {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer"><title>\(title)</title><style>
        *{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;color:#1b1f24;line-height:1.45}
        header{background:#14213d;color:#fff;padding:.6rem 1rem;font-weight:bold}main{padding:1rem;max-width:40rem}
        h1{font-size:1.4rem}.emergency{border:2px solid #b00020;padding:.5rem .7rem;font-weight:bold}
        .error{background:#fde7e9;border:1px solid #b00020;padding:.5rem}.ok{background:#e6f4ea;border:1px solid #1e7e34;padding:.5rem}
        label{display:block;margin:.7rem 0}input[type=text],textarea,select{display:block;width:100%;padding:.5rem;font-size:1rem}
        textarea{min-height:8rem}button{font-size:1.05rem;padding:.6rem 1.2rem;cursor:pointer}.note{color:#555;font-size:.9rem}
        @media (max-width:600px){button{width:100%}}</style></head><body>
        <header>Report a concern to the police department</header><main><h1>\(title)</h1>
        \(body)
        </main></body></html>
        """
    }

    static let emergency: HTML = """
        <p class="emergency" role="note">This form is not for emergencies. If someone is in danger or a crime is happening now, call 911.</p>
        """

    /// The kinds a resident chooses from, in plain words.
    static let kinds: [(kind: IntelligenceItem.Kind, label: String)] = [
        (.dispute, "A dispute or argument that could turn violent"), (.retaliation, "Someone may want revenge for something that happened"),
        (.groupConflict, "Trouble between groups"), (.weapons, "Weapons seen or talked about"), (.other, "Something else"),
    ]

    /// The tip form, refilled from `form` after a refusal; `csrf` goes in a hidden field (and in the cookie).
    static func form(csrf: String, form: Form?, error: String?) -> HTML {
        func v(_ name: String) -> String { form?[name] ?? "" }
        let anonymous = form.map { $0["anonymous"] == "on" } ?? true
        let options = kinds.map { k, label -> HTML in
            "<option value=\"\(k.rawValue)\"\(form?["kind"] == k.rawValue ? " selected" : "")>\(label)</option>"
        }
        let errorNote: HTML = error.map { message -> HTML in "<p class=\"error\" role=\"alert\">\(message)</p>" } ?? .empty
        return page(title: "Tell us about a concern", body: """
            \(emergency)
            <p>If you know of a dispute that could get worse, or something else that worries you about safety in your neighbourhood, you can tell the
            police department here. You do not need to give your name. Officers may visit the area to talk with people there.</p>
            \(errorNote)
            <form method="post" action="/tips" id="tip-form">
            <input type="hidden" name="csrf" value="\(csrf)">
            <label>What kind of concern <select name="kind">\(options)</select></label>
            <label>What is happening? (required, up to 2000 characters) <textarea name="what" required maxlength="2000">\(v("what"))</textarea></label>
            <label>Where? (address, block, business or landmark; required) <input type="text" name="where" required maxlength="300" \
            value="\(v("where"))"></label>
            <label>When? (optional) <input type="text" name="when" maxlength="200" value="\(v("when"))"></label>
            <label><input type="checkbox" name="anonymous" value="on"\(anonymous ? " checked" : "")> Stay anonymous \
            (we will not keep any contact details)</label>
            <label>Your name and phone or email (optional, only if you are not anonymous) <input type="text" name="contact" maxlength="300" \
            autocomplete="off" value="\(v("contact"))"></label>
            <button type="submit">Send</button></form>
            <p class="note">What you send is read by the department's crime analysts. Please do not include anything you would not want them to know.</p>
            """)
    }

    static func thanks(place: String, what: String) -> HTML {
        let excerpt = what.count > 200 ? String(what.prefix(200)) + "…" : what
        return page(title: "Thank you", body: """
            <p class="ok" role="status">We received your report about <strong>\(place)</strong>.</p>
            <blockquote>\(excerpt)</blockquote>
            <p>An analyst will read it. We may not be able to tell you what happens next.</p>
            \(emergency)
            <p><a href="/tips">Report something else</a></p>
            """)
    }

    static func tooMany() -> HTML {
        page(title: "Please wait a little", body: """
            <p>We have received many reports from here in the last hour, so we cannot take another one just now. Please try again later.</p>
            \(emergency)
            """)
    }
}
