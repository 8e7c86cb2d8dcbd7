"""Peppol: who can receive an EHF (SML/SMP or an offline list) and the access points."""
