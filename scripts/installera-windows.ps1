# Installerar vss-excel för Excel på Windows, för den inloggade användaren (inga administratörsrättigheter).
#   1. skapar en Python-miljö under %USERPROFILE%\vss-excel\.venv
#   2. installerar vss-excel med exakt den xlwings-version som arbetsboken bär
#   3. lägger Konsolidering.xlsm i Dokument\vss-excel och tar bort spärren för hämtade filer
#   4. kontrollerar installationen (versionerna stämmer, en Excelfunktion räknar)
# Kör i PowerShell från mappen med vss-excel:  powershell -ExecutionPolicy Bypass -File scripts\installera-windows.ps1
$ErrorActionPreference = "Stop"
$repo = Split-Path -Parent $PSScriptRoot
$home_dir = Join-Path $env:USERPROFILE "vss-excel"
$venv = Join-Path $home_dir ".venv"
$python = Join-Path $venv "Scripts\python.exe"
$workbook = Join-Path $repo "workbooks\Konsolidering.xlsm"
$target_dir = Join-Path ([Environment]::GetFolderPath("MyDocuments")) "vss-excel"

Write-Host "1/4 Python-miljö i $venv"
if (Get-Command py -ErrorAction SilentlyContinue) { $pyexe = "py"; $pyargs = @("-3") } else { $pyexe = "python"; $pyargs = @() }
& $pyexe @pyargs -c "import sys; assert sys.version_info >= (3, 11), 'Python 3.11 eller senare krävs'"
if ($LASTEXITCODE -ne 0) { throw "Installera Python 3.11 eller senare (python.org) och kör skriptet igen." }
if (-not (Test-Path $python)) { & $pyexe @pyargs -m venv $venv }

Write-Host "2/4 Installerar vss-excel (med xlwings i samma version som arbetsboken)"
& $python -m pip install --upgrade pip
& $python -m pip install "${repo}[xlsm,calamine]"  # tilläggen: arbetsbokens VBA-bygge, Excelfiler som underlag
$wanted = & $python -c "from vss_excel.excel.build import xlsm; from pathlib import Path; print(xlsm.embedded_xlwings_version(Path(r'$workbook')))"
& $python -m pip install "xlwings==$wanted"

Write-Host "3/4 Arbetsboken till $target_dir"
New-Item -ItemType Directory -Force -Path $target_dir | Out-Null
$copy = Join-Path $target_dir "Konsolidering.xlsm"
if (Test-Path $copy) {
    Write-Host "   $copy finns redan och skrivs inte över (den kan innehålla ditt arbete)."
} else {
    Copy-Item $workbook $copy
}
Unblock-File -Path $copy  # makron i hämtade filer är annars spärrade

Write-Host "4/4 Kontroll"
& (Join-Path $venv "Scripts\vss-excel.exe") kontrollera --arbetsbok $copy
if ($LASTEXITCODE -ne 0) { throw "Kontrollen misslyckades; se raderna ovan." }
Write-Host "Klart. Öppna $copy, aktivera makron, och klicka Skapa mallar eller Konsolidera."
