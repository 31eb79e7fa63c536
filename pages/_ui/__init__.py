"""The only shell helpers: session state, option→widget forms, the cached
runner, renderers, the generic analysis page with its custom sections and
``t()``.  Pages import from here and from core."""
