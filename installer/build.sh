#!/usr/bin/env bash
# Builds the installers for this OS from the jar and lib/ that `mvn package` left in the target folder.
# Called by `mvn -Pinstaller package`; runnable by hand: installer/build.sh <version> <target-dir>.
# Output in <target-dir>/installer: runtime/ (jlink), an app-image, and on Linux a .deb (and an .rpm when
# rpmbuild exists); on macOS a .dmg. Windows uses build.ps1. INSTALLER_TYPES=app-image stops after the
# app-image (what CI checks).
set -euo pipefail

version="${1:?usage: build.sh <version> <target-dir>}"
target="${2:?usage: build.sh <version> <target-dir>}"
cd "$(dirname "$0")/.."                         # argument files name paths from the repository root
app_version="${version%%-*}"                    # jpackage wants digits and dots: 1.0.0-SNAPSHOT -> 1.0.0
out="$target/installer"
rm -rf "$out"
mkdir -p "$out/input"
cp "$target/retrain-console.jar" "$out/input/"
cp -r "$target/lib" "$out/input/lib"            # the jar's manifest Class-Path points at lib/

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=macos ;;
  *) echo "build.sh: unsupported OS $(uname -s); on Windows run installer/build.ps1" >&2; exit 2 ;;
esac

step() { printf '[installer %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

step "modules: jdeps over the app and its dependencies"
found=$(jdeps --ignore-missing-deps --multi-release 17 --print-module-deps \
  --class-path "$out/input/lib/*" "$out/input/retrain-console.jar")
extra=$(grep -v '^#' installer/jlink-extra-modules.txt | grep -v '^\s*$' | paste -sd, -)
modules="$found,$extra"
step "modules: $modules"

step "runtime: jlink"
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out/runtime"

step "app-image: jpackage"
jpackage --type app-image @installer/common.args @installer/launcher.args @"installer/$os/jpackage.args" \
  --app-version "$app_version" --runtime-image "$out/runtime" --input "$out/input" --dest "$out"

if [ "${INSTALLER_TYPES:-all}" = app-image ]; then
  step "packages: skipped (INSTALLER_TYPES=app-image)"
elif [ "$os" = linux ]; then
  if command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null; then
    step "deb: jpackage"
    jpackage --type deb --app-image "$out/retrain-console" @installer/common.args @installer/linux/package.args \
      --app-version "$app_version" --dest "$out"
  else
    step "deb: skipped (needs dpkg-deb and fakeroot: apt-get install -y fakeroot)"
  fi
  if command -v rpmbuild >/dev/null; then
    step "rpm: jpackage"
    jpackage --type rpm --app-image "$out/retrain-console" @installer/common.args @installer/linux/package.args \
      --app-version "$app_version" --dest "$out"
  else
    step "rpm: skipped (rpmbuild not installed)"
  fi
else
  step "dmg: jpackage"
  jpackage --app-image "$out/retrain-console.app" @installer/common.args @installer/macos/jpackage.args \
    @installer/macos/package.args --app-version "$app_version" --dest "$out"
fi

step "done:"
du -sh "$out"/retrain-console* "$out"/*.deb "$out"/*.rpm "$out"/*.dmg 2>/dev/null || true
