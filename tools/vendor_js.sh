#!/usr/bin/env bash
# Reproduce src/armatlas/web/static/vendor/: the minified Vega, Vega-Lite and vega-embed builds
# (pinned versions, from the npm registry) with their licence files, so pages work offline.
set -euo pipefail
VEGA=6.2.0        # the Vega that vl-convert-python 1.9 renders reports with
VEGA_LITE=6.4.1
VEGA_EMBED=7.0.2
HERE="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$HERE/src/armatlas/web/static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
for spec in "vega@$VEGA" "vega-lite@$VEGA_LITE" "vega-embed@$VEGA_EMBED"; do
    npm pack --silent "$spec" >/dev/null
done
mkdir -p "$OUT"
for name in vega vega-lite vega-embed; do
    mkdir -p "x-$name"
    tar -xzf "$name"-[0-9]*.tgz -C "x-$name"
    cp "x-$name/package/build/$name.min.js" "$OUT/$name.min.js"
    cp "x-$name/package/LICENSE" "$OUT/$name.LICENSE"
done
{
    echo "vega $VEGA"; echo "vega-lite $VEGA_LITE"; echo "vega-embed $VEGA_EMBED"
} > "$OUT/VERSIONS"
(cd "$OUT" && sha256sum ./*.min.js >> VERSIONS)
echo "vendored into $OUT"; cat "$OUT/VERSIONS"
