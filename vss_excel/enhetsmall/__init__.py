"""The unit workbook (Enhetsmall): its layout, the writer (XlsxWriter) and the reader."""
