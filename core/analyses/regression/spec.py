"""Declarations of the regression family: hierarchical OLS regression (with the
what-if simulator) and correlations (with the thesis-style triangle)."""
from core.types import AnalysisSpec, Column, Layout, Option, Section, TableSpec, ViewSpec, lazy

REGRESSION = AnalysisSpec(
    type="regression",
    group="regression",
    doc="Hierarchical OLS regression: predictors entered in blocks on the same rows (listwise over all blocks), "
        "R², adjusted R², F, ΔR², F-change and Durbin–Watson per step; b, SE, β, t, p, 95% CI, VIF and tolerance "
        "per coefficient; optional HC3 robust SEs (t on the residual df; Wald F tests) and z-scored variables; "
        "what-if scenarios (prediction with 95% CI and PI from the final step, a 'baseline' at the means always "
        "included) and a levers ranking (+1 point, +1 SD).",
    options=(
        Option("outcome", "variable", required=True, role="numeric", doc="The numeric outcome (dependent variable)."),
        Option("blocks", "blocks", default=[], required=True,
               doc="Predictors in blocks, e.g. [[\"gender\", \"age\"], [\"OC\", \"PO\"]]: step s uses blocks 1…s."),
        Option("categorical", "map", default={}, of=("blocks",),
               doc="Categorical predictors → reference level (code or value label; null = the first level in the "
                   "data's level order, or the largest level when the first holds under 10% of the cases or "
                   "fewer than 10). "
                   "Dummies are named variable[level] by value label. Text predictors are categorical anyway."),
        Option("robust", "choice", default=None, choices=(None, "HC3"), nullable=True, widget="toggle",
               doc="null (classical) or \"HC3\": HC3 SEs with t on the residual df (coeftest + vcovHC); step F "
                   "and F-change as Wald F tests (waldtest with vcovHC of the larger model)."),
        Option("standardized", "bool", default=False, widget="toggle",
               doc="Z-score the outcome and numeric predictors over the rows used before fitting (dummies stay "
                   "0/1)."),
        # not display-only: the scenarios table and the extrapolation notes come from them, so a cached
        # result must be keyed on them (a saved scenario must reach the report's run of this analysis)
        Option("scenarios", "json", default=[], widget="hidden",
               doc="What-if scenarios: [{\"name\": \"better CD\", \"values\": {\"CD\": 2.5}}]; unset predictors "
                   "stay at their means (categorical: level by code or value label)."),
        Option("levers", "variables", default=[], fit=False, role="numeric", widget="hidden",
               doc="The predictors the levers chart shows (those that can be changed in practice); empty: the "
                   "numeric predictors of the last block, or every numeric predictor when it has none."),
        Option("lever_change", "choice", default="1 SD", choices=("1 SD", "1 point"), fit=False, widget="hidden",
               doc="The rise of each predictor the levers chart shows: 1 SD or 1 point."),
    ),
    tables=(
        TableSpec("steps", (
            Column("step", "int", "Step (block) number; step s contains blocks 1…s."),
            Column("n", "int", "Rows used (the same in every step)."),
            Column("r2", "num", "R²."),
            Column("adj_r2", "num", "Adjusted R²."),
            Column("f", "num", "Model F (under HC3: Wald F of all slopes with the HC3 covariance)."),
            Column("df1", "int", "Numerator df (predictor columns)."),
            Column("df2", "int", "Residual df."),
            Column("p", "p", "p of F."),
            Column("r2_change", "num", "ΔR² over the previous step (step 1: R²)."),
            Column("f_change", "num", "F-change (anova of nested models; under HC3 Wald F of the added terms)."),
            Column("df1_change", "int", "Columns added."),
            Column("df2_change", "int", "Residual df of this step."),
            Column("p_change", "p", "p of the F-change."),
            Column("durbin_watson", "num", "Durbin–Watson statistic of the step's residuals in data order."),
        ), "One row per step.", keys=("step",)),
        TableSpec("coefficients", (
            Column("step", "int", "Step."),
            Column("term", "text", "(Intercept), a numeric predictor, or a dummy variable[level].",
                   codes="regression.term."),
            Column("b", "num", "Unstandardised coefficient (of z-scores when standardized)."),
            Column("se", "num", "Standard error (HC3 when robust)."),
            Column("beta", "num", "Standardised β = b·SD(x)/SD(y) (SPSS; dummies too)."),
            Column("t", "num", "t = b / SE."),
            Column("p", "p", "Two-sided p on the residual df."),
            Column("ci_low", "num", "Lower 95% confidence limit (t on the residual df)."),
            Column("ci_high", "num", "Upper 95% confidence limit."),
            Column("vif", "num", "Variance inflation factor (inverse correlation matrix of the predictors)."),
            Column("tolerance", "num", "Tolerance = 1 / VIF."),
        ), "One row per step × term, the intercept first.", keys=("step", "term")),
        TableSpec("scenarios", (
            Column("scenario", "text", "Scenario name (\"baseline\": every predictor at its mean).",
                   codes="regression.scenario."),
            Column("prediction", "num", "Predicted outcome (final step, original units)."),
            Column("ci_low", "num", "Lower 95% confidence limit of the mean prediction."),
            Column("ci_high", "num", "Upper 95% confidence limit of the mean prediction."),
            Column("pi_low", "num", "Lower 95% prediction limit (one new respondent)."),
            Column("pi_high", "num", "Upper 95% prediction limit."),
        ), "Baseline first (unless a scenario is named baseline), then the recipe's scenarios in order.",
            keys=("scenario",)),
        TableSpec("levers", (
            Column("predictor", "var", "Numeric predictor of the final step."),
            Column("change", "text", "\"1 point\" or \"1 SD\" increase, others held constant.", codes="regression.change."),
            Column("delta", "num", "Change in the predicted outcome: b·Δ (original units)."),
            Column("ci_low", "num", "Lower 95% limit: (b − t·SE)·Δ."),
            Column("ci_high", "num", "Upper 95% limit: (b + t·SE)·Δ."),
        ), "Two rows per numeric predictor, ranked by the size of the 1-SD change.", keys=("predictor", "change")),
    ),
    run=lazy("core.analyses.regression.compute:run"),
    defaults=lazy("core.analyses.regression.defaults:start"),
    charts=lazy("core.analyses.regression.charts:regression_charts"),
    interpret=lazy("core.analyses.regression.text:regression"),
    findings=lazy("core.analyses.regression.text:regression_findings"),
    layout=Layout((
        Section(columns=(("outcome", "blocks", "categorical"),)),
        Section(columns=(("robust",), ("standardized",))),
        Section(show=("steps", "coefficients", "notes")),
        Section(title="regression.page.interpretation", show=("text",)),
        Section(title="regression.page.plots", show=("chart:forest",)),
        Section(show=("chart:resid_fitted", "chart:qq"), side=True),
        Section(title="regression.page.whatif", custom="whatif"),   # the simulator, then the levers
    ), empty="regression.page.need_model", fixed=(("scenarios", []),)),
)

CORRELATION = AnalysisSpec(
    type="correlation",
    group="regression",
    doc="Pearson or Spearman correlations among variables with two-sided p values and pairwise n; "
        "descriptives for the thesis-style lower-triangle table (M, SD, r with stars).",
    options=(
        Option("variables", "variables", default=[], required=True, role="numeric",
               doc="Two or more numeric variables or scales, in the order the table shows them."),
        Option("method", "choice", default="pearson", choices=("pearson", "spearman"),
               doc="pearson, or spearman (Pearson r of average ranks; p from the t approximation as "
                   "cor.test(exact = FALSE) and SPSS)."),
        Option("missing", "choice", default="pairwise", choices=("pairwise", "listwise"),
               doc="pairwise: each pair on the rows where both are present (SPSS default); "
                   "listwise: only rows where all chosen variables are present."),
    ),
    tables=(
        TableSpec("matrix", (
            Column("var_a", "var", "First variable of the pair (earlier in the given order)."),
            Column("var_b", "var", "Second variable of the pair."),
            Column("r", "num", "Pearson r, or Spearman ρ (Pearson r of average ranks)."),
            Column("p", "p", "Two-sided p from t = r√((n−2)/(1−r²)) on n − 2 df."),
            Column("n", "int", "Rows used for this pair."),
        ), "Every unordered pair once, var_a before var_b in the order the variables were given.",
            keys=("var_a", "var_b")),
        TableSpec("descriptives", (
            Column("variable", "var", "Variable or scale."),
            Column("n", "int", "Valid values (listwise: the common rows)."),
            Column("mean", "num", "Mean."),
            Column("sd", "num", "Standard deviation (n − 1)."),
        ), "M and SD for the thesis-style table: each variable's valid values (pairwise) or the "
           "complete rows (listwise).", keys=("variable",)),
    ),
    run=lazy("core.analyses.regression.correlation:run"),
    defaults=lazy("core.analyses.regression.defaults:correlation_start"),
    charts=lazy("core.analyses.regression.charts:correlation_charts"),
    interpret=lazy("core.analyses.regression.text:correlation"),
    findings=lazy("core.analyses.regression.text:correlation_findings"),
    layout=Layout((
        Section(columns=(("variables",), ("method",), ("missing",)), widths=(3, 1, 1)),
        Section(show=("triangle", "charts")),
        Section(title="regression.page.long_table", box="expander", show=("matrix", "descriptives")),
        Section(show=("notes", "text")),
    ), empty="correlation.error.too_few_variables"),
    views=(ViewSpec("triangle", lazy("core.analyses.regression.views:triangle_view"),
                    "Thesis-style table: one row per variable with M and SD, r with stars (SPSS: * p < .05, "
                    "** p < .01) in the lower triangle."),),
)

SPECS = (REGRESSION, CORRELATION)
