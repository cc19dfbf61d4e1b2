"""The ledger in: SIE 4 and ekonomisystem exports, kontoplan mapping, reconciliation -> prefill."""
