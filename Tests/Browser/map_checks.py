"""Issue #14's browser checks of every page's map, its zoom views, the tile layer and the printed briefing's zone pages.

`MapChecks` is a mixin of test_browser.BrowserTests (its plumbing: self.d, open, follow, sign_in, http, screenshot), so
these tests run in its order (test_62 to test_64, after the meeting of test_20/22 and before test_70's walk) and in the same
browser. The tile test starts two servers of its own: `TileServer`, a stand-in for a department's tile server (any
/{z}/{x}/{y}.png answers one generated 256x256 PNG, every request counted), and a second `zonecast serve --tile-url`
on a `zonecast backup` copy of the suite's demo database (ZONECAST_DEMO_DB, set by scripts/browser-test), started with
walk_support's helpers.
"""

import copy
import http.server
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import threading
import time
import urllib.parse
import zlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import walk_support

WIDE = (1440, 1000)
PHONE = (390, 844)
SIZES = (("desktop", WIDE), ("phone", PHONE))

# Every map on the page in one round trip: what it draws and where its figure sits.
MAPS_SCRIPT = """
return Array.from(document.querySelectorAll('main svg.zc-map')).map(function (s) {
  var fig = s.closest('figure') || s.parentElement, f = fig.getBoundingClientRect(), r = s.getBoundingClientRect();
  return {id: s.id, streets: s.querySelectorAll("[data-layer^='streets-'] path").length,
          legend: s.querySelectorAll('g.zc-legend [data-legend]').length, scale: s.querySelectorAll('g.zc-scale[data-scale-meters]').length,
          north: s.querySelectorAll('g.zc-north').length, left: f.left, right: f.right, inner: fig.scrollWidth - fig.clientWidth,
          width: r.width, height: r.height};
});
"""

# One map's scale (metres per pixel, from the scale bar's round length and its drawn length) and a signature of its streets.
VIEW_SCRIPT = """
var s = document.querySelector(arguments[0] + ' svg.zc-map'), g = s.querySelector('g.zc-scale');
var bar = /h(-?[0-9.]+)/.exec(g.querySelector('path').getAttribute('d'));
var paths = Array.from(s.querySelectorAll("[data-layer^='streets-'] path")).map(function (p) { return p.getAttribute('d'); });
return {metersPerPixel: parseFloat(g.getAttribute('data-scale-meters')) / parseFloat(bar[1]), widthPixels: s.viewBox.baseVal.width,
        viewBox: s.getAttribute('viewBox'), streets: paths.length,
        signature: paths.map(function (d) { return d.length + ':' + d.slice(0, 60); }).join('|')};
"""

# Every map's tile layer: the tile zoom and the image hrefs (null for a map without tiles).
TILES_SCRIPT = """
return Array.from(document.querySelectorAll('main svg.zc-map')).map(function (s) {
  var g = s.querySelector('g[data-layer=tiles]');
  return {id: s.id, zoom: g ? parseInt(g.getAttribute('data-tile-zoom'), 10) : null, legend: !!s.querySelector('[data-legend=tiles]'),
          hrefs: g ? Array.from(g.querySelectorAll('image')).map(function (i) { return i.getAttribute('href'); }) : null};
});
"""


def tile_png():
    """A 256x256 RGB PNG: a pale ground with a darker edge, so tiles show as a grid in the screenshots."""
    ground, edge = bytes((232, 228, 216)), bytes((160, 160, 184))
    rows = []
    for y in range(256):
        rows.append(b"\x00" + b"".join(edge if x < 2 or y < 2 else ground for x in range(256)))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


class TileServer:
    """A department's tile server, stood in for on a free port: GET /{z}/{x}/{y}.png answers a PNG (not cached), anything
    else 404. `paths` are the requests in order."""

    def __init__(self):
        self.paths = []
        self.lock = threading.Lock()
        png, owner = tile_png(), self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                with owner.lock:
                    owner.paths.append(self.path)
                if not re.fullmatch(r"/\d+/\d+/\d+\.png", self.path):
                    self.send_error(404)
                    return
                self.send_response(200)
                for name, value in (("Content-Type", "image/png"), ("Content-Length", str(len(png))), ("Cache-Control", "no-store")):
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(png)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def count(self):
        with self.lock:
            return len(self.paths)

    def asked(self):
        with self.lock:
            return set(self.paths)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class TileZoneCast:
    """A second `zonecast serve --tile-url` on a copy of the suite's demo database (taken with `zonecast backup`, safe while
    the suite's server runs; the audit key is the suite's, XDG_CONFIG_HOME being inherited), without the scheduler, which
    would only change the copy under the test. Its log: tiles-server.log."""

    def __init__(self, artifacts, tiles):
        self.bin, self.db = os.environ.get("ZONECAST_BIN"), os.environ.get("ZONECAST_DEMO_DB")
        if not self.bin or not os.access(self.bin, os.X_OK) or not self.db:
            raise walk_support.Unavailable("ZONECAST_BIN and ZONECAST_DEMO_DB are not set: run scripts/browser-test")
        self.artifacts, self.tiles = artifacts, tiles
        self.work = tempfile.mkdtemp(prefix="zonecast-tiles.")
        self.process = None

    def start(self):
        copy_path = os.path.join(self.work, "tiles.sqlite")
        result = subprocess.run([self.bin, "backup", "--db", self.db, copy_path], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise AssertionError(f"zonecast backup of {self.db} failed: {result.stderr[-2000:] or result.stdout[-2000:]}")
        port = walk_support.free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.process = walk_support.start_serve(self.bin, copy_path, port, dict(os.environ), os.path.join(self.artifacts, "tiles-server.log"),
                                                "--no-scheduler", "--tile-url", self.tiles.origin + "/{z}/{x}/{y}.png")

    def stop(self):
        walk_support.stop_process(self.process)
        self.process = None
        shutil.rmtree(self.work, ignore_errors=True)


class MapChecks:
    """Issue #14 "Done when": browser tests at 1440 and 390x844 of the map on each page, the zoom views, the tile layer."""

    # ---- helpers -----------------------------------------------------------------------------------------------

    def first_link(self, page, pattern, having=None):
        """The first link on `page` whose path matches `pattern` (and whose page holds `having`, when given), else None."""
        self.open(page)
        seen = []
        for a in self.d.find_elements(By.CSS_SELECTOR, "main a[href]"):
            p = self.link_path(a)
            if re.fullmatch(pattern, p) and p not in seen:
                seen.append(p)
        for p in seen:
            if having is None or having in self.http(p)[2]:
                return p
        return None

    def zone_in_view(self):
        """(cycle, zone) of the first zone /api/zones shows this viewer: in force, else proposed."""
        status, _, body = self.http("/api/zones")
        self.assertEqual(status, 200, body[:200])
        data = json.loads(body)
        for key in ("active", "proposed"):
            v = data.get(key)
            if isinstance(v, dict) and v.get("zones"):
                return v["cycle"], v["zones"][0]["id"]
        self.skipTest(f"no cycle with zones in /api/zones: {body[:200]}")

    def check_maps(self, where, phone):
        """Every map on the page: visible, drawing streets, with a legend, a scale bar and a north arrow; on a phone its
        figure lies inside the screen and does not scroll sideways within itself. Returns the maps' ids."""
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "main svg.zc-map"), f"{where}: no map (svg.zc-map)")
        maps = self.d.execute_script(MAPS_SCRIPT)
        for svg in self.d.find_elements(By.CSS_SELECTOR, "main svg.zc-map"):
            self.assertTrue(svg.is_displayed(), f"{where}: map #{svg.get_attribute('id')} is not visible")
        for m in maps:
            name = f"{where}: map #{m['id']}"
            self.assertGreater(m["streets"], 0, f"{name} draws no street ([data-layer^='streets-'] path)")
            self.assertGreater(m["legend"], 0, f"{name} has no legend rows (g.zc-legend [data-legend])")
            self.assertEqual(m["scale"], 1, f"{name} has no scale bar (g.zc-scale)")
            self.assertEqual(m["north"], 1, f"{name} has no north arrow (g.zc-north)")
            self.assertGreater(min(m["width"], m["height"]), 150, f"{name} is drawn {m['width']:.0f}x{m['height']:.0f} px")
            if phone:
                self.assertGreaterEqual(m["left"], -1, f"{name}: its figure starts {m['left']:.0f} px left of the phone's screen")
                self.assertLessEqual(m["right"], PHONE[0] + 1, f"{name}: its figure reaches {m['right']:.0f} px on a {PHONE[0]} px phone")
                self.assertLessEqual(m["inner"], 1, f"{name}: its figure scrolls sideways by {m['inner']} px on a phone")
        return [m["id"] for m in maps]

    def map_view(self, figure):
        return self.d.execute_script(VIEW_SCRIPT, f"#{figure}")

    def page_tiles(self, where, tiles, before):
        """Every map on the page holds tiles from `tiles` (legend row included) and the browser asked for each of them
        after `before` requests. Returns the maps' tile zooms."""
        self.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "main svg.zc-map"), f"{where}: no map (svg.zc-map)")
        maps = self.d.execute_script(TILES_SCRIPT)
        wanted = set()
        for m in maps:
            self.assertTrue(m["hrefs"], f"{where}: map #{m['id']} draws no tiles")
            self.assertTrue(m["legend"], f"{where}: map #{m['id']}'s legend has no tile row")
            for href in m["hrefs"]:
                self.assertTrue(href.startswith(tiles.origin + "/"), f"{where}: map #{m['id']} has a tile from elsewhere: {href}")
                wanted.add(urllib.parse.urlsplit(href).path)
        try:
            WebDriverWait(self.d, 15).until(lambda d: wanted <= tiles.asked())
        except Exception:
            self.fail(f"{where}: the browser did not request {len(wanted - tiles.asked())} of the map's {len(wanted)} tiles, "
                      f"e.g. {sorted(wanted - tiles.asked())[:3]}")
        self.assertGreater(tiles.count(), before, f"{where}: no tile was requested for this page")
        return [m["zoom"] for m in maps]

    # ---- tests ---------------------------------------------------------------------------------------------------

    def analyst_map_pages(self):
        """(name, path or None, why none) of every page that draws a map for an analyst."""
        cycle, zone = self.zone_in_view()
        meeting = self.first_link("/meetings", r"/meetings/[^/]+", having='class="zc-map"')
        intel = self.first_link("/intel", r"/intel/(?!new$)[^/]+", having='class="zc-map"')
        return [("dashboard", "/", None), ("zone", f"/zones/{cycle}/{zone}", None),
                ("proposal", self.first_link("/proposals", r"/proposals/[^/]+"), "no proposal listed on /proposals"),
                ("meeting", meeting, "no IRIS meeting page with a map"),
                ("briefing", meeting and meeting + "/briefing", "no IRIS meeting to brief"),
                ("intelligence", intel, "no intelligence item on /intel has a place (latitude and longitude), so none draws a map"),
                ("outcomes", "/outcomes", None)]

    def commander_map_pages(self):
        # /deployments itself lists zones and units without a map; each cycle's page draws one.
        return [("deployment", self.first_link("/deployments", r"/deployments/[^/]+"), "no deployable cycle on /deployments")]

    def officer_map_pages(self):
        self.open("/officer")
        links = [self.link_path(a) for a in self.d.find_elements(By.CSS_SELECTOR, "section.zonecard a[href^='/zones/']")]
        return [("officer", "/officer", None), ("zone-card", links[0] if links else None, "the officer has no zone in force (no zone card)")]

    def test_62_every_map_on_desktop_and_phone(self):
        """Every page that draws a map, for a role allowed to see it, at 1440x1000 and on a 390x844 phone: each map is
        visible, draws streets, and has a legend, a scale bar and a north arrow; on the phone its figure fits the screen.
        One screenshot per page and size (maps-PAGE-SIZE.png)."""
        checked = []
        for role, pages in (("analyst", self.analyst_map_pages), ("commander", self.commander_map_pages), ("officer", self.officer_map_pages)):
            self.d.set_window_size(*WIDE)
            self.sign_in(role)
            for name, path, why in pages():
                with self.subTest(page=name, role=role):
                    if path is None:
                        self.skipTest(why)
                    for label, size in SIZES:
                        self.d.set_window_size(*size)
                        self.open(path)
                        ids = self.check_maps(f"{name} page {path} as {role} ({label})", phone=label == "phone")
                        self.d.execute_script("document.getElementById(arguments[0]).scrollIntoView()", ids[0])
                        self.screenshot(f"maps-{name}-{label}")
                    checked.append(f"{name} ({len(ids)} map(s))")
        print(f"  maps checked at 1440 and 390 px: {', '.join(checked)}", flush=True)

    def test_63_zoom_views_are_plain_links(self):
        """Zoom in twice, pan east and zoom out on the zone page and the dashboard by following the map's links (plain
        links to server-rendered views): the URL carries the view, each zoom halves the metres per pixel (so the extent),
        a pan moves the streets at the same scale, and streets are drawn in every view."""
        self.d.set_window_size(*WIDE)
        self.sign_in("analyst")
        cycle, zone = self.zone_in_view()
        for name, path, figure in (("zone page", f"/zones/{cycle}/{zone}", "fig-zone-map"), ("dashboard", "/", "fig-map")):
            self.open(path)
            view = self.map_view(figure)
            steps = [("in", {"zoom": "1"}, 0.5), ("in", {"zoom": "2"}, 0.5), ("east", {"zoom": "2", "east": "1"}, 1.0),
                     ("out", {"zoom": "1"}, 2.0)]
            for key, query, scale in steps:
                links = self.d.find_elements(By.CSS_SELECTOR, f"#{figure} a[data-map-nav={key}]")
                self.assertTrue(links, f"{name}: no '{key}' link under the map at {self.d.current_url}")
                href = links[0].get_dom_attribute("href")
                self.assertTrue(href.startswith(path + "?") and f"#{figure}" in href, f"{name}: the '{key}' link is not a plain link to a view: {href}")
                self.follow(links[0], f"{name}: the map's '{key}' link")
                shown = {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(self.d.current_url).query).items()}
                self.assertEqual(self.path(), path)
                self.assertEqual(shown, query, f"{name}: the '{key}' link led to {self.d.current_url}")
                now = self.map_view(figure)
                ratio = now["metersPerPixel"] / view["metersPerPixel"]
                self.assertAlmostEqual(ratio, scale, delta=0.01 * scale,
                                       msg=f"{name} {query}: metres per pixel {view['metersPerPixel']:.3f} -> {now['metersPerPixel']:.3f}")
                self.assertGreater(now["streets"], 0, f"{name} {query} draws no street")
                if key == "east":
                    self.assertNotEqual(now["signature"], view["signature"], f"{name}: panning east drew the same streets")
                extent = now["metersPerPixel"] * now["widthPixels"]
                print(f"  {name} {query}: {extent:,.0f} m across, {now['streets']} street path(s), viewBox {now['viewBox']}", flush=True)
                view = now
                if query.get("zoom") == "2" and key == "in":
                    self.screenshot(f"zoom-{name.replace(' ', '-')}-2")

    def test_64_tiles_under_every_map_at_every_zoom(self):
        """`zonecast serve --tile-url` pointing at a local tile server: the page's Content-Security-Policy lets its origin
        into img-src; on the zone page, the proposal page and the dashboard, at every zoom the page offers (its Zoom in
        links followed to the deepest), every map holds tiles from that server, of finer zoom as the view zooms in, and the
        browser requested each of them. Screenshots at two zooms."""
        tiles = TileServer()
        self.addCleanup(tiles.stop)
        try:
            server = TileZoneCast(os.environ.get("BROWSER_ARTIFACTS", "."), tiles)
        except walk_support.Unavailable as e:
            self.skipTest(str(e))
        self.addCleanup(server.stop)
        started = time.monotonic()
        server.start()
        self.base, self.accounts = server.base, copy.deepcopy(self.accounts)
        self.d.set_window_size(*WIDE)
        self.sign_in("analyst")
        _, headers, _ = self.http("/")
        self.assertIn(f"img-src 'self' data: {tiles.origin};", headers.get("Content-Security-Policy", ""), "the tile server is not in img-src")
        cycle, zone = self.zone_in_view()
        proposal = self.first_link("/proposals", r"/proposals/[^/]+")
        self.assertIsNotNone(proposal, "no proposal listed on /proposals")
        for name, path in (("zone page", f"/zones/{cycle}/{zone}"), ("proposal", proposal), ("dashboard", "/")):
            before = tiles.count()
            self.open(path)
            level, zooms = 0, []
            while True:
                zooms.append(max(self.page_tiles(f"{name} at zoom {level}", tiles, before)))
                if name == "zone page" and level in (0, 2):
                    self.d.execute_script("document.getElementById('fig-zone-map').scrollIntoView()")
                    self.screenshot(f"tiles-zone-zoom{level}")
                links = self.d.find_elements(By.CSS_SELECTOR, "main a[data-map-nav=in]")
                if not links:
                    break
                before = tiles.count()
                self.follow(links[0], f"{name}: Zoom in from zoom {level}")
                level += 1
                self.assertIn(f"zoom={level}", self.d.current_url)
            print(f"  {name}: tiles at {level + 1} zoom levels, tile zooms {zooms}", flush=True)
            self.assertGreaterEqual(level, 2, f"{name} offers {level} zoom-in step(s)")
            self.assertEqual(zooms, sorted(zooms), f"{name}: the tiles got coarser as the map zoomed in: {zooms}")
            self.assertGreater(zooms[-1], zooms[0], f"{name}: the tiles kept zoom {zooms[0]} at every view")
        print(f"  tile server: {tiles.count()} requests, {len(tiles.asked())} distinct tiles; "
              f"{time.monotonic() - started:.1f} s with the second server", flush=True)

    # ---- the printed briefing's zone pages (called by test_50) ----------------------------------------------------

    def briefing_sections(self, path):
        """Each zone section of the briefing page: id, streets drawn on its map, its street labels, the legend's street rows,
        the scale bar's metric length, location, units and guidance."""
        return self.d.execute_script("""
            return Array.from(document.querySelectorAll('section.briefing-zone')).map(function (s) {
              var where = s.querySelector('[id^=location-]'), units = s.querySelector('.briefing-units');
              return {zone: s.getAttribute('data-zone'), streets: s.querySelectorAll("svg.zc-map [data-layer^='streets-'] path").length,
                      labels: Array.from(s.querySelectorAll('svg.zc-map [data-labels=streets] text')).map(function (t) { return t.textContent; }),
                      legend: Array.from(s.querySelectorAll("svg.zc-map [data-legend^='streets-'] text")).map(function (t) { return t.textContent; }),
                      scale: (s.querySelector('svg.zc-map g.zc-scale text') || {textContent: ''}).textContent,
                      where: where ? where.textContent : '', units: units ? units.textContent : '',
                      guidance: (s.querySelector('.guidance') || {textContent: ''}).textContent};
            });""")

    def check_briefing_zone_pages(self, sections, pages, paper):
        """Each zone's printed page (the one with its map's caption "Zone Z of cycle") shows the location description,
        the units, the Koper guidance and its street map: the legend's street rows, the scale bar's length and at least one
        of the street names the map labels."""
        flat = [" ".join(p.split()) for p in pages]
        for s in sections:
            z = s["zone"]
            found = [p for p in flat if f"Zone {z} of cycle" in p]
            self.assertEqual(len(found), 1, f"the {paper} briefing prints zone {z}'s map caption on {len(found)} pages")
            page = found[0]
            where = " ".join(s["where"].split()[:8])
            self.assertIn(where, page, f"the {paper} briefing's page of {z} lacks its location ({where!r})")
            self.assertIn("Units assigned:", page, f"the {paper} briefing's page of {z} lacks its units")
            self.assertIn("(Koper 1995)", page, f"the {paper} briefing's page of {z} lacks the Koper guidance")
            self.assertTrue(s["legend"], f"zone {z}'s briefing map has no street row in its legend")
            for text in s["legend"] + [s["scale"]]:
                self.assertIn(" ".join(text.split()), page, f"the {paper} briefing's page of {z} does not print its map's {text!r}")
            names = [" ".join(n.split()) for n in s["labels"]]
            self.assertTrue([n for n in names if n in page], f"the {paper} briefing's page of {z} names none of its map's streets {names}")
