"""Declaration of the describe analysis (SPSS DESCRIPTIVES / FREQUENCIES)."""
from core.types import AnalysisSpec, Column, Option, TableSpec, lazy

SPEC = AnalysisSpec(
    type="describe",
    group="describe",
    doc="Descriptive statistics of numeric variables and scales, and frequency tables of categorical ones.",
    options=(
        Option("variables", "variables", default=[], role="numeric",
               doc="Numeric variables or scales to describe."),
        Option("frequencies", "variables", default=[], role="categorical",
               doc="Categorical variables to tabulate (levels named by value labels)."),
    ),
    tables=(
        TableSpec("describe", (
            Column("variable", "text", "Variable or scale name."),
            Column("label", "text", "Variable label (or the name)."),
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
            Column("level", "text", "Level, named by its value label when there is one."),
            Column("code", "text", "The level's code in the data."),
            Column("n", "int", "Count."),
            Column("percent", "pct", "Percent of valid values (SPSS 'Valid Percent')."),
            Column("cum_percent", "pct", "Cumulative valid percent."),
            Column("percent_of_all", "pct", "Percent of all rows, missing included (SPSS 'Percent')."),
        ), "One row per variable × level.", keys=("variable", "code")),
    ),
    run=lazy("core.analyses.describe.compute:run"),
    charts=lazy("core.analyses.describe.charts:chart_list"),
    findings=lazy("core.analyses.describe.text:findings"),
)
