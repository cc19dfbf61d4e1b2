Attribute VB_Name = "VssKnappar"
Option Explicit

' Knapparna på bladet Start. Koden körs i Python (paketet vss_excel) genom xlwings;
' tolken och modulerna anges på bladet xlwings.conf.

Sub SkapaMallar()
    RunPython "import vss_excel.excel.macros as m; m.skapa_mallar()"
End Sub

Sub Konsolidera()
    RunPython "import vss_excel.excel.macros as m; m.konsolidera()"
End Sub

Sub SkapaRapport()
    RunPython "import vss_excel.excel.macros as m; m.skapa_rapport()"
End Sub
