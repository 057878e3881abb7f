import Foundation
import HTTPTypes
import Hummingbird
import ZoneCastAccess
import ZoneCastCore
import ZoneCastHTML

/// The one-tap visit timer (issue #15): "Start visit" on a zone, "Stop visit" when leaving, and the visit is sent to
/// the same `POST /patrols` as the form, with the times in the jurisdiction's local time. The running visit lives in
/// the phone's localStorage, so a reload or a closed tab keeps it; a stopped visit that could not be sent (no
/// connection, server away) stays queued there and is sent again when the connection returns or any officer page
/// loads. A refused visit (a 400 from the checks) shows the server's reason and can be logged by hand.
/// Same-origin script (`script-src 'self'`); without it the timer stays hidden and the form works as before.
enum VisitTimer {
    static let path = "/assets/zonecast-visit.js"

    /// The timer for one zone (`cycle/zone`, the form's zone value), hidden until the script shows it. In an exercise
    /// on historical data the phone's clock is shifted to the data's time (`data-shift-ms`: the data's now minus the
    /// clock), so a visit timed today lands in the exercise's cycle as a visit logged by hand would.
    static func widget(zone: String, label: String, timeZone tz: TimeZone, viewer: Viewer) -> HTML {
        """
        <div class="zc-timer" hidden data-zone="\(zone)" data-label="\(label)" data-tz="\(tz.identifier)" data-csrf="\(viewer.csrf)" \
        data-consent="\(consentText)" data-shift-ms="\(shiftMilliseconds)">\
        <p class="zc-timer-state" role="status" aria-live="polite"></p>\
        <button type="button" class="big zc-timer-start">Start visit to \(label)</button>\
        <button type="button" class="big zc-timer-stop" hidden>Stop visit</button>\
        <button type="button" class="big secondary zc-timer-discard" hidden>Discard this visit</button>\
        <button type="button" class="big secondary zc-timer-locate" hidden>Check I'm in the zone</button>\
        <p class="note zc-timer-where" role="status" aria-live="polite" hidden></p></div>
        """
    }

    /// The data's now minus the clock, in whole milliseconds: 0 on a live database (or outside a page request).
    static var shiftMilliseconds: Int64 {
        guard let time = RequestTime.current?.dataTime, time.isExercise else { return 0 }
        return Int64((time.now.timeIntervalSince(time.clock) * 1_000).rounded())
    }

    /// Said beside the in-zone check before the phone is asked for its location.
    static let consentText = "Optional: your phone shares its location once, when you press the button; only whether you were in the zone is kept."

    /// The script tag for a page with timers (the body may load scripts: the CSP allows 'self'), with the rule that
    /// keeps the timer's hidden buttons hidden: the officer pages' `.big{display:block}` overrides the `hidden`
    /// attribute, which showed Start, Stop and Discard all at once.
    static let scriptTag: HTML = "<style>.zc-timer [hidden]{display:none}</style><script src=\"/assets/zonecast-visit.js\" defer></script>"

    static let source = #"""
        (function () {
          "use strict";
          var KEY = "zonecast-visit";
          function load() { try { return JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { return null; } }
          function keep(v) { if (v) { window.localStorage.setItem(KEY, JSON.stringify(v)); } else { window.localStorage.removeItem(KEY); } }
          function local(ms, tz) {
            var p = {};
            new Intl.DateTimeFormat("en-GB", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
              minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(ms)).forEach(function (x) { p[x.type] = x.value; });
            return p.year + "-" + p.month + "-" + p.day + "T" + p.hour + ":" + p.minute;
          }
          function minutes(ms) { var m = Math.floor(ms / 60000), s = Math.floor(ms / 1000) % 60; return m + " min " + (s < 10 ? "0" : "") + s + " s"; }
          // The phone's clock, moved to the data's time in an exercise (0 when live).
          function now(v) { return Date.now() + (v ? Number(v.shift) || 0 : 0); }
          function csrf() { var f = document.querySelector("input[name=csrf]"); return f ? f.value : ""; }
          var sending = false;
          function send(after) {
            var v = load();
            if (!v || !v.endedAt || sending) { return; }
            sending = true;
            var body = new URLSearchParams();
            body.set("csrf", csrf() || v.csrf); body.set("zone", v.zone);
            body.set("start", local(v.startedAt, v.tz)); body.set("end", local(v.endedAt, v.tz));
            if (v.position) { body.set("latitude", String(v.position.latitude)); body.set("longitude", String(v.position.longitude)); }
            fetch("/patrols", { method: "POST", body: body, credentials: "same-origin" }).then(function (r) {
              sending = false;
              if (r.ok && r.redirected && r.url.indexOf("/officer") >= 0) { keep(null); window.location.assign(r.url); return; }
              if (r.status >= 400 && r.status < 500) {
                return r.text().then(function (t) {
                  var e = new DOMParser().parseFromString(t, "text/html").querySelector(".error");
                  v.refused = e ? e.textContent : "The server refused the visit (" + r.status + ").";
                  keep(v); after();
                });
              }
              v.queued = true; keep(v); after();
            }, function () { sending = false; v.queued = true; keep(v); after(); });
          }
          // The in-zone check: the location is asked for only on this button's press (the browser asks for consent), kept
          // with the running visit on this phone until the visit is stored, and checked by the server, which keeps nothing.
          function locate(box) {
            var where = box.querySelector(".zc-timer-where");
            if (!navigator.geolocation) { where.hidden = false; where.textContent = "This phone cannot share its location."; return; }
            where.hidden = false; where.textContent = "Asking the phone for its location...";
            navigator.geolocation.getCurrentPosition(function (p) {
              var v = load();
              if (!v || v.endedAt || v.zone !== box.getAttribute("data-zone")) { return; }
              v.position = { latitude: p.coords.latitude, longitude: p.coords.longitude }; v.where = "Location taken; checking...";
              keep(v); all();
              var body = new URLSearchParams();
              body.set("csrf", csrf() || v.csrf); body.set("zone", v.zone);
              body.set("latitude", String(v.position.latitude)); body.set("longitude", String(v.position.longitude));
              fetch("/patrols/check-location", { method: "POST", body: body, credentials: "same-origin" }).then(function (r) {
                return r.ok ? r.json() : null;
              }).then(function (j) {
                var w = load();
                if (!w || w.zone !== v.zone) { return; }
                w.where = j ? j.text + " It is checked again when you stop the visit."
                  : "The check could not be made now; it is made when you stop the visit.";
                keep(w); all();
              }, function () {
                var w = load();
                if (w) { w.where = "No connection: the check is made when you stop the visit."; keep(w); all(); }
              });
            }, function (e) {
              where.textContent = e.code === 1 ? "Location not shared: the visit is logged without the check."
                : "No location from the phone (" + e.message + ").";
            }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
          }
          function show(box) {
            var v = load(), state = box.querySelector(".zc-timer-state"), start = box.querySelector(".zc-timer-start"),
              stop = box.querySelector(".zc-timer-stop"), discard = box.querySelector(".zc-timer-discard"),
              locateButton = box.querySelector(".zc-timer-locate"), where = box.querySelector(".zc-timer-where");
            box.hidden = false;
            var mine = v && v.zone === box.getAttribute("data-zone");
            start.hidden = !!v; stop.hidden = !(mine && !v.endedAt); discard.hidden = !(mine && v.endedAt && v.refused);
            locateButton.hidden = !(mine && !v.endedAt);
            if (mine && v.where) { where.hidden = false; where.textContent = v.where; }
            else if (mine && !v.endedAt && where.hidden) { where.hidden = false; where.textContent = box.getAttribute("data-consent"); }
            else if (!mine) { where.hidden = true; }
            if (!v) { state.textContent = ""; return; }
            if (!mine) { state.textContent = "A visit to " + v.label + " is " + (v.endedAt ? "waiting to be sent." : "running."); return; }
            if (!v.endedAt) { state.textContent = "Visit running: " + minutes(now(v) - v.startedAt) + "."; return; }
            state.textContent = v.refused ? "Not saved: " + v.refused + " Log it by hand or discard it."
              : "Visit stopped (" + minutes(v.endedAt - v.startedAt) + "); saved on this phone, sending when the connection is back.";
          }
          var boxes = Array.prototype.slice.call(document.querySelectorAll(".zc-timer"));
          function all() { boxes.forEach(show); }
          boxes.forEach(function (box) {
            box.querySelector(".zc-timer-start").addEventListener("click", function () {
              if (load()) { return; }
              var v = { zone: box.getAttribute("data-zone"), label: box.getAttribute("data-label"), tz: box.getAttribute("data-tz"),
                csrf: box.getAttribute("data-csrf"), shift: Number(box.getAttribute("data-shift-ms")) || 0 };
              v.startedAt = now(v); keep(v);
              all();
            });
            box.querySelector(".zc-timer-stop").addEventListener("click", function () {
              var v = load();
              if (!v || v.endedAt) { return; }
              v.endedAt = now(v); keep(v); all(); send(all);
            });
            box.querySelector(".zc-timer-discard").addEventListener("click", function () { keep(null); all(); });
            box.querySelector(".zc-timer-locate").addEventListener("click", function () { locate(box); });
          });
          all();
          if (boxes.length) { window.setInterval(all, 1000); }
          window.addEventListener("online", function () { send(all); });
          var pending = load();
          if (pending && pending.endedAt && !pending.refused) { send(all); }
        })();
        """#

    static var response: Response {
        Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "private, max-age=300",
                                        HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(string: source)))
    }
}
