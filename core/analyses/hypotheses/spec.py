"""Declaration of the hypothesis summary (假设检验结果汇总表)."""
from core.types import AnalysisSpec, Column, Layout, Option, Section, TableSpec, lazy

SPEC = AnalysisSpec(
    type="hypotheses",
    group="process",
    doc=("The hypothesis summary table of a thesis (假设检验结果汇总表). Each hypothesis names the analysis that "
         "tests it (its type and options, as in a recipe entry), the result table, the row (values of the row's "
         "text columns) and the expected direction; the analyses are run once each and the row's estimate, p "
         "and CI are read from their results. Verdict at α = .05: supported (significant in the expected "
         "direction, or any direction when none is expected), opposite (significant the other way) or "
         "not_supported. Significance from p when the row has one, else from its CI excluding 0."),
    options=(
        Option("hypotheses", "json", default=[], widget="hidden",
               doc="List of {label, text, type, options, table, row: {column: value}, expected: positive | "
                   "negative | any}."),
    ),
    tables=(
        TableSpec("summary", (
            Column("hypothesis", "text", "Its label, e.g. H1."),
            Column("text", "text", "The hypothesis as stated."),
            Column("analysis", "analysis", "The analysis that tests it (its type; shown as its title)."),
            Column("table", "table", "Its result table (shown as the table's title).", of="analysis"),
            Column("row", "row", "The row that tests it: {column: value} of that table (shown as the values in "
                                 "words: codes, variable and level labels).", of="table"),
            Column("estimate", "num", "The row's estimate (b, effect, index, difference, r …)."),
            Column("p", "p", "Its p (empty for bootstrap-only rows)."),
            Column("ci_low", "num", "Lower CI limit (bootstrap CI for indirect effects)."),
            Column("ci_high", "num", "Upper CI limit."),
            Column("expected", "text", "positive, negative or any.", codes="hypotheses.expected."),
            Column("verdict", "text", "supported, not_supported or opposite.", codes="hypotheses.verdict."),
        ), "One row per hypothesis.", keys=("hypothesis",)),
    ),
    run=lazy("core.analyses.hypotheses.compute:run"),
    interpret=lazy("core.analyses.hypotheses.text:paragraphs"),
    layout=Layout((Section(custom="hypotheses_editor"), Section(show=("tables", "notes", "text"))),
                  needs=("hypotheses",)),
)
