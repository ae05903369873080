#!/usr/bin/env bash
# Front-end libraries from the npm registry, copied where tipline serves them (no CDN: the analyst
# pages run in closed networks). Pinned in frontend/package.json and frontend/package-lock.json;
# the copies are build output, never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/tipline/html/static/vendor
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then  # Debian's npm, as make test does for PostgreSQL and Chromium
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq npm >/dev/null
  fi
  command -v npm >/dev/null || { echo "npm is missing: apt-get install npm" >&2; exit 1; }
fi
# --ignore-scripts: swagger-ui-dist depends on @scarf/scarf, whose install script reports home.
npm ci --prefix frontend --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
mkdir -p "$out"
cp frontend/node_modules/cytoscape/dist/cytoscape.min.js "$out/cytoscape.min.js"
cp frontend/node_modules/chart.js/dist/chart.umd.min.js "$out/chart.umd.min.js"
cp frontend/node_modules/swagger-ui-dist/swagger-ui-bundle.js "$out/swagger-ui-bundle.js"
cp frontend/node_modules/swagger-ui-dist/swagger-ui.css "$out/swagger-ui.css"
for lib in cytoscape chart.js swagger-ui-dist; do
  cp "frontend/node_modules/$lib/LICENSE"* "$out/LICENSE.$lib.txt" 2>/dev/null || true
done
