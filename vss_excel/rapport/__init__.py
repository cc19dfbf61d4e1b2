"""What Konsolidera and Skapa rapport hand over: the Konsolidering workbook and the report."""
