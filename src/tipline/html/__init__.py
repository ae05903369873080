"""The HTML plumbing every page uses, and no capability: the reader's language, message
catalogues, rendering with the layouts, CSRF as one dependency, and the static files.

Each capability keeps its own pages beside its routes: templates in `<capability>/templates/`
(named `<capability>/<page>.html`, found by `rendering.environment`) and messages in
`<capability>/locale/<language>/LC_MESSAGES/<capability>.po` (read by `i18n`).
"""
