#!/usr/bin/env bash
# Refreshes the vendored browser bundle of the SMART JavaScript client library `fhirclient` (npm, Apache-2.0) that
# the built-in sample app loads. The build never talks to npm: the bundle is kept in the repository, below
#   console/src/main/resources/dev/fhirbolt/console/sample-app/fhirclient/
#
#   scripts/update-fhirclient.sh [VERSION]     (default: the version in that folder's README.md)
#
# Downloads the package's tarball from the npm registry once (curl), checks nothing else, copies
# build/fhir-client.min.js (its license header names fhir-client.min.js.LICENSE.txt, copied too) and the package's
# LICENSE, and rewrites README.md there with the version, the tarball's URL and the SHA-256 of the tarball and the
# bundle. Then update the fhirclient lines of NOTICE (the script prints them) and run ConsoleSmartAdminBrowserTest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/console/src/main/resources/dev/fhirbolt/console/sample-app/fhirclient"
version=${1:-$(sed -n 's/^Version: *//p' "$dir/README.md" 2>/dev/null | head -1)}
[ -n "$version" ] || { echo "usage: $0 VERSION (e.g. 2.6.3)" >&2; exit 1; }
command -v curl >/dev/null || { echo "update-fhirclient.sh needs curl" >&2; exit 1; }
url="https://registry.npmjs.org/fhirclient/-/fhirclient-$version.tgz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -fsSL -o "$work/fhirclient.tgz" "$url"
tar xzf "$work/fhirclient.tgz" -C "$work"
for f in build/fhir-client.min.js build/fhir-client.min.js.LICENSE.txt LICENSE package.json; do
  [ -f "$work/package/$f" ] || { echo "fhirclient $version has no $f; the layout changed, look before vendoring" >&2; exit 1; }
done
grep -q "\"version\": \"$version\"" "$work/package/package.json" || { echo "package.json is not version $version" >&2; exit 1; }
mkdir -p "$dir"
cp "$work/package/build/fhir-client.min.js" "$work/package/build/fhir-client.min.js.LICENSE.txt" "$dir/"
cp "$work/package/LICENSE" "$dir/LICENSE"
tgz_sha=$(sha256sum "$work/fhirclient.tgz" | cut -d' ' -f1)
js_sha=$(sha256sum "$dir/fhir-client.min.js" | cut -d' ' -f1)
cat > "$dir/README.md" <<README
# fhirclient (vendored)

The SMART on FHIR JavaScript client library, npm package \`fhirclient\`, by SMART Health IT (Boston Children's
Hospital), under the Apache License 2.0 (\`LICENSE\` here). The built-in sample app (\`../index.html\`,
\`../launch.html\`) loads its browser bundle; the server serves it as \`/sample-app/fhirclient/fhir-client.min.js\`.

Version: $version
Source: $url
SHA-256 of the tarball: $tgz_sha
File: package/build/fhir-client.min.js, unchanged (its header points at \`fhir-client.min.js.LICENSE.txt\`, the
licences of the code bundled into it, copied here too)
SHA-256 of fhir-client.min.js: $js_sha

Refresh with \`scripts/update-fhirclient.sh [VERSION]\` (it rewrites this file), then update NOTICE and run
\`ConsoleSmartAdminBrowserTest\` and \`FhirclientBrowserTest\`. Nothing in the build fetches from npm.
README
echo "Vendored fhirclient $version into $dir"
echo "NOTICE lines:"
echo "  fhirclient $version (browser bundle, sample app)      - npm fhirclient, $url"
echo "    sha256 $tgz_sha (tarball), $js_sha (fhir-client.min.js)"
