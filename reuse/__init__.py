"""Method reuse: who uses a method (``adoptions``), how outcomes compare (``comparison``),
and the contact form that puts a reader in touch with a page's owner (``contact``).

The public views live in ``views`` and are routed by ``urls`` under the language prefix.
"""
