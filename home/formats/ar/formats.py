# Western digits with the separators used with them in Arabic text: 1,250,000 and 12.5.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
