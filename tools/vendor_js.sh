#!/usr/bin/env bash
# Reproduce src/armatlas/web/static/vendor/: the minified Vega, Vega-Lite and vega-embed builds,
# Swagger UI (the /docs page) and the world-atlas TopoJSON (the map), pinned versions from the npm
# registry, with their licence files, so pages work offline.
set -euo pipefail
VEGA=6.2.0        # the Vega that vl-convert-python 1.9 renders reports with
VEGA_LITE=6.4.1
VEGA_EMBED=7.0.2
SWAGGER_UI=5.32.0
WORLD_ATLAS=2.0.2
ISO_COUNTRIES=7.14.0  # only its codes.json: ISO 3166 alpha-3 -> numeric, the ids world-atlas uses
HERE="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$HERE/src/armatlas/web/static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
for spec in "vega@$VEGA" "vega-lite@$VEGA_LITE" "vega-embed@$VEGA_EMBED" "swagger-ui-dist@$SWAGGER_UI" \
            "world-atlas@$WORLD_ATLAS" "i18n-iso-countries@$ISO_COUNTRIES"; do
    npm pack --silent "$spec" >/dev/null
done
mkdir -p "$OUT"
for name in vega vega-lite vega-embed; do
    mkdir -p "x-$name"
    tar -xzf "$name"-[0-9]*.tgz -C "x-$name"
    cp "x-$name/package/build/$name.min.js" "$OUT/$name.min.js"
    cp "x-$name/package/LICENSE" "$OUT/$name.LICENSE"
done
mkdir -p x-swagger x-world
tar -xzf swagger-ui-dist-*.tgz -C x-swagger
cp x-swagger/package/swagger-ui-bundle.js x-swagger/package/swagger-ui.css "$OUT/"
cp x-swagger/package/LICENSE "$OUT/swagger-ui.LICENSE"
tar -xzf world-atlas-*.tgz -C x-world
cp x-world/package/countries-110m.json "$OUT/countries-110m.json"
cp x-world/package/LICENSE "$OUT/world-atlas.LICENSE"
mkdir -p x-iso
tar -xzf i18n-iso-countries-*.tgz -C x-iso
cp x-iso/package/codes.json "$OUT/iso3166-codes.json"
cp x-iso/package/LICENSE "$OUT/iso3166-codes.LICENSE"
{
    echo "vega $VEGA"; echo "vega-lite $VEGA_LITE"; echo "vega-embed $VEGA_EMBED"
    echo "swagger-ui-dist $SWAGGER_UI"; echo "world-atlas $WORLD_ATLAS (Natural Earth 1:110m, public domain)"
    echo "i18n-iso-countries $ISO_COUNTRIES (codes.json only)"
} > "$OUT/VERSIONS"
(cd "$OUT" && sha256sum ./*.min.js ./swagger-ui-bundle.js ./swagger-ui.css ./countries-110m.json ./iso3166-codes.json >> VERSIONS)
echo "vendored into $OUT"; cat "$OUT/VERSIONS"
