"""Konsolidera: the inbox, the checks, one file per unit, the consolidated tables."""
