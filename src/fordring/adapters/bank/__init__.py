"""Readers of the bank files that tell a payee what it received (DOMAIN §§ 9-10): Nets OCR
giro and ISO 20022 camt.054, both into `fordring.domain.bank_files.BankFile`; reader.py
tells them apart by content. camt054_writer.py writes camt.054 test data.
"""
