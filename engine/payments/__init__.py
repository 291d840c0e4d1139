"""Payments: links, payments, refunds, owner flags and the ledger, in integer minor units."""
