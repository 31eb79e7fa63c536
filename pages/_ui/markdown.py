"""Any text shown through st.markdown / st.caption is escaped here first."""
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
