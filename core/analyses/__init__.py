"""One module per analysis family; each defines ``SPEC`` or ``SPECS``
(discovered by :mod:`core.registry`)."""
