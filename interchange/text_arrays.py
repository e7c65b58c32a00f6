"""Text arrays for PostgreSQL's bulk inserts, escaped without a regular expression.

Django 5.2 writes a ``bulk_create`` on PostgreSQL as ``INSERT … SELECT * FROM UNNEST(arrays)``,
one array per column, and psycopg (client-side binding, as Django uses it) writes each array
as text, escaping every quoted element with ``re.sub`` and a template: a tenth of an import of
new records (2 million template expansions for 2,000 records). ``TextListDumper`` is psycopg's
own list dumper with that one step done by two ``bytes.replace`` calls, which give the same
bytes (a backslash, then a double quote, each preceded by a backslash). Registered for every
PostgreSQL connection by ``InterchangeConfig.ready``.
"""

from psycopg.types.array import ListDumper


class TextListDumper(ListDumper):
    def _dump_list(self, obj, tokens, needs_quotes):
        if not obj:
            tokens.append(b"{}")
            return
        dump = self.sub_dumper.dump if self.sub_dumper else self._dump_item
        tokens.append(b"{")
        for item in obj:
            if item is None:
                tokens.append(b"NULL")
            elif isinstance(item, list):
                self._dump_list(item, tokens, needs_quotes)
            elif (dumped := dump(item)) is None:
                tokens.append(b"NULL")
            else:
                if needs_quotes(dumped):
                    escaped = bytes(dumped).replace(b"\\", b"\\\\").replace(b'"', b'\\"')
                    dumped = b'"' + escaped + b'"'
                tokens.append(dumped)
            tokens.append(self.delimiter)
        tokens[-1] = b"}"


def register(sender, connection, **kwargs):
    """``connection_created``: a PostgreSQL connection dumps lists with ``TextListDumper``."""
    if connection.vendor == "postgresql":
        connection.connection.adapters.register_dumper(list, TextListDumper)
