#!/usr/bin/env bash
# Installs the built .deb, checks the command on PATH and the menu entry, removes it and checks that
# nothing is left outside the user's data folder. Needs root (dpkg); CI runs it when it is root.
# Usage: installer/deb-check.sh [path to .deb] (default: the one in target/installer)
set -euo pipefail
cd "$(dirname "$0")/.."
deb="${1:-$(ls target/installer/retrain-console_*.deb | head -1)}"
fail() { echo "deb-check: $*" >&2; exit 1; }
[ -f "$deb" ] || fail "no .deb (build it with: mvn -Pinstaller package)"
[ "$(id -u)" = 0 ] || fail "needs root to install a package"
dpkg -s retrain-console >/dev/null 2>&1 && dpkg -P retrain-console >/dev/null   # a leftover (even half-installed)
# xdg-utils (menu entries) and libgtk-3-0 (the console's window) are the package's dependencies: installed
# here where missing, so dpkg -i does not stop on them
for dep in xdg-utils libgtk-3-0; do
  dpkg -s "$dep" >/dev/null 2>&1 || apt-get install -y --no-install-recommends "$dep" >/dev/null
done

dpkg -i "$deb" >/dev/null
version=$(retrain-console --version) || fail "retrain-console is not on PATH after install"
echo "installed $(basename "$deb"): '$version' from $(command -v retrain-console)"
desktop=/usr/share/applications/retrain-console-retrain-console.desktop
[ -f "$desktop" ] || fail "no menu entry at $desktop"
grep -q '^StartupWMClass=com.retrainconsole.ui.ConsoleApp$' "$desktop" || fail "menu entry lacks StartupWMClass"
grep -q '^Icon=/opt/retrain-console/lib/retrain-console.png$' "$desktop" || fail "menu entry lacks the icon"
[ -f /opt/retrain-console/lib/retrain-console.png ] || fail "icon file missing"
echo "installed size: $(du -sh /opt/retrain-console | cut -f1)"

dpkg -r retrain-console >/dev/null
for left in /opt/retrain-console /usr/bin/retrain-console "$desktop"; do
  [ ! -e "$left" ] || fail "left behind after dpkg -r: $left"
done
dpkg -P retrain-console >/dev/null
echo "dpkg -r removed everything (user data folders are not touched)"
