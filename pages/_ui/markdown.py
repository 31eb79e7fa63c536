"""Any text shown through st.markdown / st.caption is escaped here first."""
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text) -> str:
    """Make any text safe to put inside st.markdown / st.caption."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))
