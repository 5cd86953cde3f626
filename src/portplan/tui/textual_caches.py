"""A cache of Textual's that keeps closed widgets' drawn lines alive, emptied between keys.

`StylesCache.get_inner_outer` (Textual 8.2) is a method under `functools.lru_cache(1024)`,
so its keys hold the `StylesCache` of every widget it was called for: each dialog's widgets
stay reachable after the dialog closes, with every line they drew (a `Strip` with seven
caches of its own), until 1,024 newer entries push them out. On 61,440 services this grew
the collector's full passes from 8 ms to 190 ms over 140 edits. The values are two colours
worked out again in microseconds, so the whole cache is emptied before each quiet pass.
"""

from __future__ import annotations

from textual._styles_cache import StylesCache


def release_closed_widgets() -> None:
    """Let go of the widgets Textual's colour cache holds (see above)."""
    # Looked up, not assumed: a Textual that fixed the cache may no longer have it.
    clear = getattr(StylesCache.get_inner_outer, "cache_clear", None)
    if clear is not None:
        clear()
