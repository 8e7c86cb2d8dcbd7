"""EHF (Peppol BIS Billing 3.0, UBL 2.1): the UBL builder, the checks before sending, the
UBL schema, and a Schematron validator for the official rule files."""
