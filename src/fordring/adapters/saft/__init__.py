"""SAF-T Financial files: the streaming reader (reader.py), the writer (writer.py) and the
official schemas they are checked against (schemas/, Skatteetaten's XSD 1.10 and 1.30)."""
