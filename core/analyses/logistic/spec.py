"""Declaration of binary logistic regression."""
from core.types import AnalysisSpec, Column, Layout, Option, Section, TableSpec, lazy

SPEC = AnalysisSpec(
    type="logistic",
    group="regression",
    doc=("Binary logistic regression with predictor blocks in SPSS LOGISTIC REGRESSION's conventions, fitted by "
         "maximum likelihood with statsmodels (checked against R glm): listwise over every block; Wald = (B/SE)², "
         "Exp(B) with the Wald 95% CI; per step −2LL, the omnibus χ² against the constant-only model and the "
         "block χ² against the previous step, Cox & Snell and Nagelkerke R², Hosmer–Lemeshow in 10 groups of "
         "predicted probability (ties together, df = groups − 2) and the percentage correctly classified at "
         "the cut .5 (event when p > .5)."),
    options=(
        Option("outcome", "variable", required=True, role="categorical", doc="Outcome with exactly two levels."),
        Option("event", "json", default=None, nullable=True, widget="level", of=("outcome",),
               doc="The level modelled as 1 (code or label; default: the last level, SPSS's higher code)."),
        Option("blocks", "blocks", default=[], doc="Lists of predictors entered in order."),
        Option("categorical", "map", default={}, of=("blocks",), doc="{predictor: reference level} for categorical predictors "
                                                     "(text predictors are categorical anyway)."),
    ),
    tables=(
        TableSpec("coefficients", (
            Column("step", "int", "Step (block)."),
            Column("term", "text", "(Intercept), a predictor, or variable[level] for a dummy.",
                   codes="logistic.term."),
            Column("b", "num", "B."), Column("se", "num", "S.E."),
            Column("wald", "num", "Wald = (B/SE)²."), Column("df", "df", "df."), Column("p", "p", "p of Wald."),
            Column("odds_ratio", "num", "Exp(B)."),
            Column("or_ci_low", "num", "Lower limit of the 95% CI of Exp(B)."),
            Column("or_ci_high", "num", "Upper limit of the 95% CI of Exp(B)."),
        ), "Variables in the equation, per step.", keys=("step", "term")),
        TableSpec("steps", (
            Column("step", "int", "Step."), Column("n", "int", "Rows used."),
            Column("neg2ll", "num", "−2 log-likelihood."),
            Column("chi2", "num", "Omnibus χ² against the constant-only model."),
            Column("df", "df", "Its df."), Column("p", "p", "Its p."),
            Column("chi2_change", "num", "Block χ² against the previous step."),
            Column("df_change", "df", "Its df."), Column("p_change", "p", "Its p."),
            Column("cox_snell_r2", "num", "Cox & Snell R²."), Column("nagelkerke_r2", "num", "Nagelkerke R²."),
            Column("hosmer_lemeshow_chi2", "num", "Hosmer–Lemeshow χ²."), Column("hl_df", "df", "Its df."),
            Column("hl_p", "p", "Its p."),
            Column("accuracy", "pct", "Overall percentage correctly classified (cut .5)."),
        ), "Model tests and fit per step.", keys=("step",)),
        TableSpec("classification", (
            Column("outcome", "var", "The outcome."),
            Column("observed", "level", "Observed level (code).", of="outcome"),
            Column("predicted", "level", "Predicted level (code).", of="outcome"),
            Column("n", "int", "Count."),
        ), "Classification table of the last step at the cut .5.", keys=("outcome", "observed", "predicted")),
    ),
    run=lazy("core.analyses.logistic.compute:run"),
    charts=lazy("core.analyses.logistic.charts:charts"),
    interpret=lazy("core.analyses.logistic.text:paragraphs"),
    findings=lazy("core.analyses.logistic.text:findings"),
    layout=Layout((
        Section(columns=(("outcome", "event", "blocks", "categorical"),)),
        Section(show=("tables", "notes", "charts", "text")),
        Section(title="logistic.page.whatif", custom="probability"),
    ), needs=("outcome", "blocks"), empty="logistic.error.nothing_chosen"),
)
