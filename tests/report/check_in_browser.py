#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Opens a report of `hparams report` in headless Chromium, as a reader would.

    check_in_browser.py CHROMIUM REPORT.html OUT_DIR

Fails unless the page's script ran to its end (`data-ready` on <html>) with no error
(`data-errors`), the browser logged no console message (an error, or a request the page's
Content-Security-Policy refused), a sweep's leaderboard sorts when its "trial" column is clicked
(twice: ascending, then descending) and pointing at a trial's line highlights it everywhere, and
screenshots in light and in dark mode have the size asked for, are not blank, hold the plots'
colours, and have a light and a dark background.
"""
import os
import re
import subprocess
import sys
import tempfile

from PIL import Image

WIDTH, HEIGHT = 1280, 2400


def chromium(binary, profile, *args):
    command = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-extensions", "--disable-sync", "--hide-scrollbars",
               "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        sys.exit(f"chromium exited {done.returncode}: {' '.join(command)}\n{done.stderr}")
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    if console:
        sys.exit("console messages:\n" + "\n".join(console))
    return done.stdout


def check_screenshot(path, dark):
    image = Image.open(path).convert("RGB")
    if image.size != (WIDTH, HEIGHT):
        sys.exit(f"{path}: {image.size}, expected {(WIDTH, HEIGHT)}")
    colours = image.getcolors(maxcolors=WIDTH * HEIGHT)
    background_count, background = max(colours)
    drawn = WIDTH * HEIGHT - background_count
    luminance = 0.2126 * background[0] + 0.7152 * background[1] + 0.0722 * background[2]
    # the series colours of the plots (Okabe-Ito blue and orange), and viridis' bright end
    palette = [(0x00, 0x72, 0xB2), (0xE6, 0x9F, 0x00)]
    near = sum(count for count, c in colours
               if any(sum(abs(a - b) for a, b in zip(c, p)) < 40 for p in palette))
    print(f"{os.path.basename(path)}: background {background} ({'dark' if dark else 'light'} "
          f"mode), {drawn} pixels drawn ({100 * drawn / (WIDTH * HEIGHT):.1f} %), "
          f"{len(colours)} colours, {near} in the series colours")
    if drawn < 0.01 * WIDTH * HEIGHT:
        sys.exit(f"{path}: nearly blank ({drawn} pixels differ from the background)")
    if len(colours) < 50 or near < 200:
        sys.exit(f"{path}: the plots' colours are missing")
    if dark != (luminance < 80):
        sys.exit(f"{path}: background {background} in {'dark' if dark else 'light'} mode")


# Appended to a copy of a sweep's report: clicks the leaderboard's "trial" column twice and
# points at a trial's line, and writes what the page did into attributes of <html>.
INTERACTIONS = """<script>
(function () {
  var root = document.documentElement, table = document.getElementById("leaderboard");
  var th = table.querySelectorAll("th")[1];
  var order = function () {
    return Array.prototype.map.call(table.tBodies[0].rows,
                                    function (r) { return r.getAttribute("data-trial"); }).join(",");
  };
  th.click(); root.setAttribute("data-ascending", order());
  th.click(); root.setAttribute("data-descending", order());
  var line = document.querySelector("polyline[data-trial]");
  line.dispatchEvent(new MouseEvent("mouseenter"));
  root.setAttribute("data-lit", line.getAttribute("data-trial") + ":" +
                    document.querySelectorAll(".hl").length + ":" +
                    document.querySelectorAll("tr.hl").length);
})();
</script>
"""


def check_interactions(binary, profile, report, out):
    """Sorting the leaderboard and highlighting a trial, in a copy of the page."""
    with open(report, encoding="utf-8") as f:
        page = f.read()
    if 'id="leaderboard"' not in page:
        return
    copy = os.path.join(out, "interactions.html")
    with open(copy, "w", encoding="utf-8") as f:
        f.write(page.replace("</body>", INTERACTIONS + "</body>"))
    dom = chromium(binary, profile, "--dump-dom", "file://" + os.path.abspath(copy))
    html = re.search(r"<html[^>]*>", dom).group(0)
    attributes = dict(re.findall(r'data-(ascending|descending|lit)="([^"]*)"', html))
    ascending = [int(t) for t in attributes.get("ascending", "").split(",") if t]
    descending = [int(t) for t in attributes.get("descending", "").split(",") if t]
    if len(ascending) < 2 or ascending != sorted(ascending) or descending != ascending[::-1]:
        sys.exit(f"sorting by trial gave {ascending} then {descending}")
    trial, lit, rows = attributes.get("lit", "::").split(":")
    if int(lit) < 3 or int(rows) != 1:
        sys.exit(f"pointing at trial {trial} highlighted {lit} marks and {rows} rows")
    print(f"sorted by trial: {ascending}, then {descending}; trial {trial}: {lit} marks lit")


def main():
    binary, report, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    url = "file://" + os.path.abspath(report)
    with tempfile.TemporaryDirectory() as profile:
        dom = chromium(binary, profile, "--dump-dom", url)
        html = re.search(r"<html[^>]*>", dom)
        if not html or 'data-ready="1"' not in html.group(0):
            sys.exit(f"the page's script did not run to its end: {html.group(0) if html else dom[:200]}")
        if "data-errors" in html.group(0):
            sys.exit(f"the page had errors: {html.group(0)}")
        if "<svg" not in dom:
            sys.exit("no plot in the page")
        check_interactions(binary, profile, report, out)
        name = os.path.splitext(os.path.basename(report))[0]
        for dark in (False, True):
            shot = os.path.join(out, f"{name}-{'dark' if dark else 'light'}.png")
            if os.path.exists(shot):
                os.remove(shot)
            chromium(binary, profile, f"--window-size={WIDTH},{HEIGHT}", "--screenshot=" + shot,
                     *(["--force-dark-mode", "--blink-settings=preferredColorScheme=0"]
                       if dark else ["--blink-settings=preferredColorScheme=1"]), url)
            check_screenshot(shot, dark)
    print(f"{report}: loads without errors, light and dark")


if __name__ == "__main__":
    main()
