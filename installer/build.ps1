# Windows counterpart of build.sh, called by `mvn -Pinstaller package` on Windows.
# Needs a JDK 17 on PATH and the WiX Toolset 3.x (candle.exe, light.exe) on PATH for the .msi.
# Output in <target>\installer: runtime\, the app-image retrain-console\ and retrain-console-<version>.msi.
param([Parameter(Mandatory = $true)][string]$Version, [Parameter(Mandatory = $true)][string]$Target)
$ErrorActionPreference = 'Stop'
Set-Location (Join-Path $PSScriptRoot '..')     # argument files name paths from the repository root
$appVersion = ($Version -split '-')[0]          # jpackage wants digits and dots
$out = Join-Path $Target 'installer'
if (Test-Path $out) { Remove-Item -Recurse -Force $out }
New-Item -ItemType Directory -Force (Join-Path $out 'input') | Out-Null
Copy-Item (Join-Path $Target 'retrain-console.jar') (Join-Path $out 'input')
Copy-Item -Recurse (Join-Path $Target 'lib') (Join-Path $out 'input\lib')

$found = & jdeps --ignore-missing-deps --multi-release 17 --print-module-deps `
  --class-path (Join-Path $out 'input\lib\*') (Join-Path $out 'input\retrain-console.jar')
if ($LASTEXITCODE -ne 0) { throw "jdeps failed" }
$extra = (Get-Content installer\jlink-extra-modules.txt | Where-Object { $_ -notmatch '^\s*(#|$)' }) -join ','
& jlink --add-modules "$found,$extra" --strip-debug --no-header-files --no-man-pages --compress=2 `
  --output (Join-Path $out 'runtime')
if ($LASTEXITCODE -ne 0) { throw "jlink failed" }

& jpackage --type app-image '@installer/common.args' '@installer/launcher.args' '@installer/windows/jpackage.args' `
  --app-version $appVersion --runtime-image (Join-Path $out 'runtime') --input (Join-Path $out 'input') --dest $out
if ($LASTEXITCODE -ne 0) { throw "jpackage app-image failed" }

# decision: a fixed --win-upgrade-uuid (in package.args) makes a newer .msi replace the old one instead of
# installing beside it; --app-version must grow for Windows Installer to treat it as an upgrade
& jpackage --app-image (Join-Path $out 'retrain-console') '@installer/common.args' '@installer/windows/package.args' `
  --app-version $appVersion --dest $out
if ($LASTEXITCODE -ne 0) { throw "jpackage msi failed (is the WiX Toolset 3 on PATH?)" }
Get-ChildItem $out -Filter *.msi | ForEach-Object { "{0}  {1:N1} MB" -f $_.Name, ($_.Length / 1MB) }
