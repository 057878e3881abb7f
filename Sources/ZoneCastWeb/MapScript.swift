import Foundation
import HTTPTypes
import Hummingbird

/// The maps' one script, served by the application (`script-src 'self'`; no CDN, nothing inline). Everything it
/// does also works without it: zoom and pan are links to server-rendered views, and cells are adjusted by typing
/// their numbers. With it: clicking a cell on a map whose wrapper names an input (`data-adjust-for`) adds the cell to
/// that input or takes it out again, marking the picked cells; `+`, `-` and the arrow keys on a focused map
/// follow its zoom and pan links.
enum MapScript {
    static let path = "/assets/zonecast-map.js"

    static let source = #"""
        (function () {
          "use strict";
          function cellsOf(input) {
            return input.value.split(/[\s,;]+/).filter(function (t) { return /^\d+$/.test(t); });
          }
          function mark(svg, input) {
            var picked = {};
            cellsOf(input).forEach(function (c) { picked[c] = true; });
            svg.querySelectorAll("[data-cell]").forEach(function (r) {
              var on = picked[r.getAttribute("data-cell")] === true;
              r.setAttribute("fill-opacity", on ? "0.55" : "0");
              r.setAttribute("fill", on ? "#111111" : "#ffffff");
              r.setAttribute("aria-pressed", on ? "true" : "false");
            });
          }
          document.querySelectorAll("[data-adjust-for]").forEach(function (box) {
            var svg = box.querySelector("svg"), input = document.getElementById(box.getAttribute("data-adjust-for"));
            if (!svg || !input) { return; }
            svg.classList.add("zc-pickable");
            mark(svg, input);
            input.addEventListener("input", function () { mark(svg, input); });
            svg.addEventListener("click", function (e) {
              var target = e.target.closest ? e.target.closest("[data-cell]") : null;
              if (!target) { return; }
              e.preventDefault();
              var cell = target.getAttribute("data-cell"), cells = cellsOf(input), k = cells.indexOf(cell);
              if (k >= 0) { cells.splice(k, 1); } else { cells.push(cell); }
              input.value = cells.join(", ");
              mark(svg, input);
            });
          });
          document.querySelectorAll(".zc-figure").forEach(function (fig) {
            var keys = { "+": "in", "=": "in", "-": "out", "ArrowUp": "north", "ArrowDown": "south", "ArrowLeft": "west", "ArrowRight": "east" };
            fig.addEventListener("keydown", function (e) {
              var link = keys[e.key] ? fig.querySelector("a[data-map-nav=" + keys[e.key] + "]") : null;
              if (link) { e.preventDefault(); window.location.assign(link.href); }
            });
          });
        })();
        """#

    static var response: Response {
        Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600",
                                        HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(string: source)))
    }
}
