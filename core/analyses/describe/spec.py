"""Declaration of the describe analysis (SPSS DESCRIPTIVES / FREQUENCIES)."""
from core.types import AnalysisSpec, Column, Layout, Option, TableSpec, lazy

SPEC = AnalysisSpec(
    type="describe",
    group="describe",
    doc="Descriptive statistics of numeric variables and scales, and frequency tables of categorical ones.",
    options=(
        Option("variables", "variables", default=[], role="numeric",
               doc="Numeric variables or scales to describe."),
        Option("frequencies", "variables", default=[], role="categorical",
               doc="Categorical variables to tabulate (levels named by value labels)."),
        Option("normality", "bool", default=False,
               doc="Add the table normality: tests of normality as SPSS EXAMINE prints them."),
    ),
    tables=(
        TableSpec("describe", (
            Column("variable", "var", "Variable or scale name (shown as its label)."),
            Column("n", "int", "Valid values."),
            Column("missing", "int", "Missing values."),
            Column("mean", "num", "Mean."),
            Column("sd", "num", "Standard deviation (n − 1)."),
            Column("min", "num", "Minimum."),
            Column("max", "num", "Maximum."),
            Column("skew", "num", "Skewness, bias-adjusted G1 (as SPSS)."),
            Column("se_skew", "num", "Standard error of skewness (SPSS)."),
            Column("kurtosis", "num", "Excess kurtosis, bias-adjusted G2 (as SPSS)."),
            Column("se_kurtosis", "num", "Standard error of kurtosis (SPSS)."),
        ), "One row per variable, each on its own valid values.", keys=("variable",)),
        TableSpec("frequencies", (
            Column("variable", "text", "Categorical variable."),
            Column("level", "level", "Level: its code, shown as its value label when there is one.", of="variable"),
            Column("code", "text", "The level's code in the data."),
            Column("n", "int", "Count."),
            Column("percent", "pct", "Percent of valid values (SPSS 'Valid Percent')."),
            Column("cum_percent", "pct", "Cumulative valid percent."),
            Column("percent_of_all", "pct", "Percent of all rows, missing included (SPSS 'Percent')."),
        ), "One row per variable × level.", keys=("variable", "code")),
        TableSpec("normality", (
            Column("variable", "text", "Variable or scale name."),
            Column("n", "int", "Valid values."),
            Column("ks_d", "num", "Kolmogorov–Smirnov D with the Lilliefors correction (mean and SD estimated)."),
            Column("ks_p", "p", "Its p: Dallal–Wilkinson approximation, above .1 Stephens' formula "
                               "(nortest::lillie.test; SPSS prints .200 as a lower bound there)."),
            Column("sw_w", "num", "Shapiro–Wilk W (n ≤ 5000, as SPSS)."),
            Column("sw_p", "p", "Its p (Royston's algorithm, as R shapiro.test)."),
            Column("skew_z", "num", "Skewness / its SE (SPSS formulas); |z| > 1.96 departs at .05."),
            Column("kurtosis_z", "num", "Excess kurtosis / its SE (SPSS formulas)."),
        ), "Only with normality = true: one row per numeric variable, each on its own valid values.", keys=("variable",)),
    ),
    run=lazy("core.analyses.describe.compute:run"),
    defaults=lazy("core.analyses.describe.defaults:start"),
    charts=lazy("core.analyses.describe.charts:chart_list"),
    findings=lazy("core.analyses.describe.text:findings"),
    chart=lazy("core.analyses.describe.charts:finding_chart"),
    layout=Layout(needs=("variables|frequencies",), empty="describe.error.nothing_chosen"),
)
