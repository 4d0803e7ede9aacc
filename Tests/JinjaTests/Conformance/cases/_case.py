"""Helpers for writing conformance cases as data.

A case is a dict; `case()` builds one that must render, `error()` one that must raise.
`templates` is either one source (the template called 'main') or a dict name -> source.
Options: undefined ('strict' | 'lenient'), autoescape, trim_blocks, lstrip_blocks,
keep_trailing_newline; the defaults are Regen's (strict, no autoescape, keep the final newline).
"""

OPTION_DEFAULTS = {
    "undefined": "strict",
    "autoescape": False,
    "trim_blocks": False,
    "lstrip_blocks": False,
    "keep_trailing_newline": True,
}


def _make(name, templates, ctx, entry, expect_error, options):
    if isinstance(templates, str):
        templates = {"main": templates}
    unknown = set(options) - set(OPTION_DEFAULTS)
    if unknown:
        raise ValueError(f"case {name}: unknown options {sorted(unknown)}")
    merged = dict(OPTION_DEFAULTS)
    merged.update(options)
    return {
        "name": name,
        "templates": templates,
        "entry": entry,
        "context": ctx if ctx is not None else {},
        "options": merged,
        "expect_error": expect_error,
    }


def case(name, templates, ctx=None, entry="main", **options):
    """A case whose output Jinja2 decides; the generator fails if Jinja2 raises."""
    return _make(name, templates, ctx, entry, False, options)


def error(name, templates, ctx=None, entry="main", **options):
    """A case that must raise; the generator fails if Jinja2 renders it."""
    return _make(name, templates, ctx, entry, True, options)
