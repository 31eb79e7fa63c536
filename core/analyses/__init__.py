"""One package per analysis family: ``spec.py`` (its declarations, ``SPEC`` or
``SPECS``, discovered by :mod:`core.registry`), pure computation, ``charts.py``,
``text.py`` and ``strings.toml``."""
