"""The xlwings layer, kept thin: Excel functions (UDFs), the buttons, the .xlsm build."""
