# Django's Persian separators (1,250,000 and 12.5), with thousands grouped.
NUMBER_GROUPING = 3
