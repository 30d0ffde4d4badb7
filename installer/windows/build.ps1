# Build KetQual's Windows installer (UNTESTED: written without a Windows machine).
# Needs Python 3.11 with KetQual and its extras (pip install .[installer,postgres]) and
# Inno Setup 6 (iscc on PATH, e.g. choco install innosetup).
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
$ErrorActionPreference = "Stop"
$root = Resolve-Path "$PSScriptRoot\..\.."
Set-Location $root
$version = python -c "import ketqual; print(ketqual.__version__)"
python -m PyInstaller --noconfirm --log-level WARN --distpath installer\dist --workpath installer\build installer\ketqual.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }

# Smoke test: the CLI builds the demo and exports; the app opens it, paints and exits 0.
$env:QT_QPA_PLATFORM = "offscreen"
$tmp = Join-Path $env:TEMP ("ketqual-smoke-" + [guid]::NewGuid())
New-Item -ItemType Directory $tmp | Out-Null
$cli = "installer\dist\ketqual\ketqual-cli.exe"
& $cli demo "$tmp\demo.ketqual"; if ($LASTEXITCODE -ne 0) { throw "demo failed" }
& $cli network "$tmp\demo.ketqual" -o "$tmp\network.pdf"; if ($LASTEXITCODE -ne 0) { throw "network failed" }
& $cli matrix "$tmp\demo.ketqual" -o "$tmp\matrix.xlsx"; if ($LASTEXITCODE -ne 0) { throw "matrix failed" }
# The windowed app has no console: wait for it and read its exit code.
$app = Start-Process -FilePath "installer\dist\ketqual\ketqual.exe" -ArgumentList "--smoke", "`"$tmp\demo.ketqual`"" -Wait -PassThru
if ($app.ExitCode -ne 0) { throw "ketqual --smoke exited with $($app.ExitCode)" }
foreach ($f in "demo.ketqual", "network.pdf", "matrix.xlsx") {
  if ((Get-Item "$tmp\$f").Length -lt 5000) { throw "$f is too small" }
}

iscc /DAppVersion=$version installer\windows\ketqual.iss
if ($LASTEXITCODE -ne 0) { throw "Inno Setup failed" }
Write-Host "installer: installer\dist\ketqual-$version-windows-x64-setup.exe"
