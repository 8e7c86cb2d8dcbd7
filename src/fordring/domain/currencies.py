"""The currencies an invoice may be written in: ISO 4217's codes of currencies in use
(list one, 2025, with the Caribbean guilder XCG). Left out on purpose: the codes that are
no money to invoice in (XXX "no currency", XTS "for testing", the precious metals XAU,
XAG, XPT, XPD, the units XDR, XSU, XUA, XBA-XBD) and the fund codes (BOV, CHE, CHW, CLF,
COU, MXV, USN, UYI, UYW). Source: iso.org/iso-4217-currency-codes.html (SIX Group's
list one, the maintenance agency's table)."""

from __future__ import annotations

ISO_4217: frozenset[str] = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD
    BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB
    EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK
    JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
    MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK
    PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN
    SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV
    WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
    """.split()  # noqa: SIM905 - a table to read, not 157 lines of one code each
)
