"""The app's pages: (script, title key, icon), in menu order.  A page appears
when its script exists."""
PAGES = [
    ("pages/data.py", "nav.data", ":material/upload_file:"),
    ("pages/variables.py", "nav.variables", ":material/tune:"),
    ("pages/describe.py", "nav.describe", ":material/table_chart:"),
    ("pages/measurement.py", "nav.measurement", ":material/fact_check:"),
    ("pages/differences.py", "nav.differences", ":material/compare_arrows:"),
    ("pages/regression.py", "nav.regression", ":material/trending_up:"),
    ("pages/process.py", "nav.process", ":material/account_tree:"),
    ("pages/report.py", "nav.report", ":material/description:"),
]
