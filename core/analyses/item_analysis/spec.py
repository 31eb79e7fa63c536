"""Declaration of the item analysis."""
from core.types import AnalysisSpec, Column, Layout, Option, TableSpec, lazy

SPEC = AnalysisSpec(
    type="item_analysis",
    group="measurement",
    doc=("Item analysis of one defined scale as thesis chapters report it: complete cases on the items as "
         "prepared (missing codes blanked, reverse keys applied), total = sum of the items; extreme groups by "
         "SPSS's default percentiles (HAVERAGE = R quantile type 6): low = total ≤ the `fraction` percentile, "
         "high = total ≥ the 1 − `fraction` percentile; per item the critical ratio (Student's t of high − low, "
         "Welch's beside it) and the item–total and corrected item–total Pearson r."),
    options=(
        Option("scale", "variable", required=True, role="scale", doc="A defined scale."),
        Option("fraction", "float", default=0.27, min=0.01, max=0.49,
               doc="Share of respondents in each extreme group (Kelley's 27% by default)."),
    ),
    tables=(
        TableSpec("critical_ratio", (
            Column("item", "var", "Item."),
            Column("n_high", "int", "Rows in the high group."),
            Column("n_low", "int", "Rows in the low group."),
            Column("mean_high", "num", "Item mean in the high group."),
            Column("mean_low", "num", "Item mean in the low group."),
            Column("t", "num", "Critical ratio: Student's t, high − low (pooled variance)."),
            Column("df", "df", "df of Student's t (n_high + n_low − 2)."),
            Column("p", "p", "Two-sided p of Student's t."),
            Column("t_welch", "num", "Welch's t, high − low."),
            Column("df_welch", "df", "Welch–Satterthwaite df."),
            Column("p_welch", "p", "Two-sided p of Welch's t."),
        ), "One row per item: the extreme-group comparison.", keys=("item",)),
        TableSpec("item_total", (
            Column("item", "var", "Item."),
            Column("r_total", "num", "Pearson r of the item with the total (the item included)."),
            Column("r_corrected", "num", "Corrected item–total r: the item with the total of the other items "
                                         "(SPSS RELIABILITY, psych r.drop)."),
            Column("p", "p", "Two-sided p of r_total (t on n − 2 df)."),
        ), "One row per item: its correlation with the scale total.", keys=("item",)),
    ),
    run=lazy("core.analyses.item_analysis.compute:run"),
    charts=lazy("core.analyses.item_analysis.charts:charts"),
    interpret=lazy("core.analyses.item_analysis.text:paragraphs"),
    findings=lazy("core.analyses.item_analysis.text:findings"),
    defaults=lazy("core.analyses.item_analysis.defaults:start"),
    layout=Layout(empty="item_analysis.error.no_scale"),
)
