"""The only shell helpers: session state, option→widget forms, the cached
runner, renderers and ``t()``.  Pages import from here and from core."""
