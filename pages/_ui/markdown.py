"""Any text shown through st.markdown / st.caption is escaped here first; text
put into CSS (the one place st.html takes more than a literal) likewise."""
import re

from core.i18n import t

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text) -> str:
    """Make any text safe to put inside st.markdown / st.caption."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def translated(key: str, lang: str, **kwargs) -> str:
    """A catalogue text whose arguments (names, labels, values) show as plain
    text wherever Streamlit renders Markdown: messages, widget labels, captions."""
    return t(key, lang, **{k: md_escape(v) for k, v in kwargs.items()})


_CSS_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


def css_string(text) -> str:
    """``text`` as a CSS string in which every character is a six-digit escape
    (``\\00XXXX``): nothing in it can end the string, the rule or the <style>
    element around it."""
    return '"' + "".join(f"\\{ord(c):06X}" for c in str(text)) + '"'


def styled(template: str, key: str, **texts) -> str:
    """A literal <style> template (a module constant) filled in: ``{key}`` with a
    widget key of letters, digits, ``_`` and ``-`` (the ``.st-key-…`` class
    Streamlit gives a keyed widget), every other field with :func:`css_string`
    of a text.  Besides literal strings, the only thing st.html may render
    (tests/test_architecture.py)."""
    if not isinstance(key, str) or not _CSS_KEY.fullmatch(key):
        raise ValueError(f"not a widget key for CSS: {key!r}")
    return template.format(key=key, **{k: css_string(v) for k, v in texts.items()})
