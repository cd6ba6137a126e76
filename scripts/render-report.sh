#!/usr/bin/env bash
# usage: scripts/render-report.sh REPORT.html OUT.png
# Renders an `analyze report --format html` file in headless Chromium and checks what a person
# would see: the PNG's width and height read from its IHDR header, a pixel standard deviation
# well above a blank page's (ImageMagick `identify`), and as many <svg> elements in Chromium's
# --dump-dom output as the report has plots (<figure class="plot">).
# Needs the Debian packages chromium and imagemagick; installs them when run as root.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 REPORT.html OUT.png" >&2; exit 2; }
html=$1 png=$2
[ -f "$html" ] || { echo "no file $html (write one with: analyze report --format html --out FILE)" >&2; exit 2; }

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v identify >/dev/null || need+=(imagemagick)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get install -y "${need[@]}" >/dev/null
    else
        echo "missing ${need[*]}: run 'sudo apt-get install ${need[*]}' (Debian/Ubuntu), then try again" >&2
        exit 2
    fi
fi

url="file://$(realpath "$html")"
# A tall window so that every plot is on the one screenshot; no network is needed or used.
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --disable-extensions --no-first-run
       --user-data-dir="$(mktemp -d)")
height=$(( 700 + 480 * $(grep -o '<figure class="plot">' "$html" | wc -l) ))
chromium "${flags[@]}" --window-size=1024,"$height" --screenshot="$png" "$url" >/dev/null 2>&1
[ -s "$png" ] || { echo "FAIL: chromium wrote no screenshot" >&2; exit 1; }

# PNG: 8-byte signature, then the IHDR chunk (length, "IHDR", width, height as big-endian u32).
signature=$(od -An -tx1 -N8 "$png" | tr -d ' \n')
[ "$signature" = 89504e470d0a1a0a ] || { echo "FAIL: $png is not a PNG" >&2; exit 1; }
width=$(( 0x$(od -An -tx1 -j16 -N4 "$png" | tr -d ' \n') ))
pixels_high=$(( 0x$(od -An -tx1 -j20 -N4 "$png" | tr -d ' \n') ))
echo "png: ${width} x ${pixels_high} px, $(stat -c %s "$png") bytes"

# Pixel spread: a blank page has a standard deviation of 0; the report's text and plots much more.
sd=$(identify -format '%[fx:standard_deviation]' "$png")
echo "pixel standard deviation: $sd (0 to 1; a blank page is 0)"

expected=$(grep -o '<figure class="plot">' "$html" | wc -l)
svgs=$(chromium "${flags[@]}" --dump-dom "$url" 2>/dev/null | grep -o '<svg' | wc -l)
echo "svg elements in the rendered DOM: $svgs (plots in the report: $expected)"

status=0
[ "$width" -ge 800 ] && [ "$pixels_high" -ge 600 ] || { echo "FAIL: screenshot too small" >&2; status=1; }
awk -v sd="$sd" 'BEGIN { exit !(sd > 0.05) }' || { echo "FAIL: the page looks blank (sd $sd <= 0.05)" >&2; status=1; }
[ "$svgs" -eq "$expected" ] && [ "$expected" -gt 0 ] || { echo "FAIL: $svgs svg elements, expected $expected" >&2; status=1; }
[ $status -eq 0 ] && echo "ok: $png"
exit $status
