"""Declaration of the PROCESS analysis (Hayes' conditional process models)."""
from core.engines.process.templates import MODEL_NUMBERS, match_design, template
from core.types import AnalysisSpec, Column, Layout, Option, Section, TableSpec, lazy

# the page offers the design matcher and a model's template through the declaration
__all__ = ["SPEC", "MODEL_NUMBERS", "match_design", "template"]


def _cols(*spec) -> tuple[Column, ...]:
    return tuple(s if isinstance(s, Column) else Column(*s) for s in spec)


EFFECT_COLS = (("effect", "num", "Effect estimate."), ("se", "num", "Standard error."),
               ("t", "num", "t = effect / SE (df = the equation's df2)."),
               ("p", "p", "Two-sided p from t."), ("ci_low", "num", "Lower CI limit (t-based)."),
               ("ci_high", "num", "Upper CI limit (t-based)."))
BOOT_COLS = (("boot_se", "num", "Bootstrap SE (SD of the resampled estimates, n − 1)."),
             ("ci_low", "num", "Lower bootstrap CI limit (percentile, or bias-corrected when ci_type = bc)."),
             ("ci_high", "num", "Upper bootstrap CI limit."))

TABLES = (
    TableSpec("models", _cols(
        ("equation", "var", "Outcome variable of the equation; the total-effect model (models 4 and 6) is "
                             "labelled “Y (total)”."),
        ("n", "int", "Rows used (listwise over all model variables)."),
        ("r", "num", "Multiple R."), ("r2", "num", "R²."), ("mse", "num", "Mean squared error SSE/(n − k)."),
        ("f", "num", "F of the model (with hc: Wald F on the HC covariance, as PROCESS)."),
        ("df1", "int", "Numerator df (k − 1)."), ("df2", "int", "Residual df (n − k)."),
        ("p", "p", "p of F.")), "Model summary per equation (PROCESS's “Model Summary”).", keys=("equation",)),
    TableSpec("coefficients", _cols(
        ("equation", "var", "Outcome variable of the equation."),
        ("term", "text", "“constant” (the intercept, as PROCESS prints it), a variable, an indicator "
                         "“var[level]” of a multicategorical variable, or a product “X*W” / “X*W*Z”.",
         "process.code.term."),
        ("b", "num", "Coefficient."), ("se", "num", "Standard error (classic, or HC0–HC4)."),
        ("t", "num", "t."), ("p", "p", "Two-sided p."), ("ci_low", "num", "Lower CI limit (t-based)."),
        ("ci_high", "num", "Upper CI limit."),
        Column("std_b", "num", "Standardized coefficient (option standardized; PROCESS stand=1): b·SD(column)/SD(outcome), "
                         "i.e. the coefficient of the regression on z-scored columns (completely standardized; a "
                         "product term as the column it is); for a column with two distinct values (a dichotomous "
                         "X, W or covariate) b/SD(outcome) (partially, Y-standardized); empty for the constant, when "
                         "the option is off, and for models with a multicategorical variable (as PROCESS).", optional=True)),
        "Regression coefficients of every equation.", keys=("equation", "term")),
    TableSpec("interaction_tests", _cols(
        ("equation", "var", "Outcome variable of the equation."),
        ("term", "text", "Highest-order product (set of indicator products when multicategorical); "
                         "“BOTH” = both products jointly (model 2)."),
        ("r2_change", "num", "R² lost when the product(s) are dropped."),
        ("f", "num", "F of the R² change (with hc: Wald F on the HC covariance)."),
        ("df1", "int", "Numerator df (number of product columns)."), ("df2", "int", "Residual df."),
        ("p", "p", "p of F.")), "Test(s) of highest order unconditional interaction(s); for a multicategorical X "
                                "or W (model 1) one row tests all k − 1 indicator products as a set (df1 = k − 1), "
                                "as anova() of the nested models (with hc: the Wald F).", keys=("equation", "term")),
    TableSpec("omnibus", _cols(
        ("equation", "var", "Outcome variable of the equation (“Y (total)” = the total-effect model)."),
        ("kind", "text", "total (model 4: PROCESS's “Omnibus test of total effect of X on Y”) | direct (“Omnibus "
                           "test of direct effect of X on Y”) | conditional_means (model 1: “Test of equality of "
                           "conditional means” at a value of the moderator).", "process.code.kind."),
        ("focal", "var", "The multicategorical X."),
        ("moderator", "var", "Moderator (conditional tests), else empty."),
        ("moderator_value", "level", "Moderator value (conditional tests), else empty.", "", "moderator"),
        ("r2_change", "num", "R² lost when X's k − 1 indicators are dropped (for a conditional test: from the model "
                             "re-centred at the moderator value) — always from OLS."),
        ("f", "num", "F of the nested models (with hc: the Wald F of the indicators' (conditional) effects on "
                     "the HC covariance, as PROCESS)."),
        ("df1", "int", "k − 1."), ("df2", "int", "Residual df."), ("p", "p", "p of F.")),
        "Omnibus tests of a multicategorical X: its k − 1 (relative) effects as a set.",
        keys=("equation", "kind", "moderator", "moderator_value")),
    TableSpec("conditional_interactions", _cols(
        ("equation", "var", "Outcome variable."), ("term", "text", "The two-way interaction “X*W”."),
        ("moderator", "var", "The second moderator Z."),
        ("moderator_value", "level", "Z's value (16th/50th/84th percentiles or mean ± 1 SD; a dichotomous Z at "
                                    "its two values).", "", "moderator"),
        ("effect", "num", "Conditional X*W interaction b(X*W) + b(X*W*Z)·Z."),
        ("se", "num", "Its SE (classic or HC)."), ("f", "num", "F = t² (df1 = 1)."), ("df1", "int", "1."),
        ("df2", "int", "Residual df."), ("p", "p", "p of F.")),
        "Model 3: test of the conditional X*W interaction at values of Z (PROCESS's “Test of conditional X*W "
        "interaction at value(s) of the moderator(s)”).", keys=("equation", "term", "moderator", "moderator_value")),
    TableSpec("conditional_effects", _cols(
        ("equation", "var", "Outcome variable of the equation."),
        ("focal", "var", "Focal predictor (X, or M for b paths; an indicator for multicategorical X)."),
        ("moderator", "var", "Moderator."),
        ("moderator_value", "level", "Moderator value (number; the level for a multicategorical W).", "", "moderator"),
        ("moderator2", "var", "Second moderator (models 2 and 3), else empty."),
        ("moderator2_value", "num", "Its value."), *EFFECT_COLS),
        "Conditional effects of the focal predictor at the moderator values (always shown; PROCESS shows them "
        "only when the interaction's p < .10).",
        keys=("equation", "focal", "moderator", "moderator_value", "moderator2", "moderator2_value")),
    TableSpec("johnson_neyman", _cols(
        ("equation", "var", "Outcome variable of the equation."),
        ("focal", "var", "Focal predictor (an indicator of a multicategorical X: its relative effect); model 3: "
                          "the interaction “X*W”, whose conditional effect along Z is probed, as PROCESS does."),
        ("moderator", "var", "Continuous moderator."),
        ("boundary", "num", "Moderator value where the conditional effect's p equals 1 − conf (roots of the "
                            "quadratic, kept within the observed range)."),
        ("pct_below", "pct", "Percent of rows with the moderator below the boundary."),
        ("pct_above", "pct", "Percent above.")),
        "Johnson–Neyman significance region boundaries (option jn): model 1 and the moderated paths of models "
        "5–59 with one continuous moderator — the focal predictor's effect along W; model 3 — the conditional X*W "
        "interaction along a continuous Z (as PROCESS v4). None for model 2 (two moderators of one path; PROCESS "
        "gives none), for a dichotomous or multicategorical moderator, and no omnibus JN for a multicategorical X "
        "(one region per indicator's relative effect instead).", keys=("equation", "focal", "moderator", "boundary")),
    TableSpec("jn_table", _cols(
        ("equation", "var", "Outcome variable."), ("focal", "var", "Focal predictor."),
        ("moderator", "var", "Moderator."), ("moderator_value", "num", "21 evenly spaced values from the "
                                                                       "minimum to the maximum, plus the boundaries."),
        *EFFECT_COLS), "Conditional effect of the focal predictor (model 3: of the X*W interaction) along the "
                       "moderator (PROCESS's JN table).", keys=("equation", "focal", "moderator", "moderator_value")),
    TableSpec("effects", _cols(
        ("kind", "text", "total | direct | indirect.", "process.code.kind."),
        ("path", "var", "“X->Y” for total and direct effects, “X->M1->M2->Y” for indirect ones (variable "
                         "names; indicator names for multicategorical X); “TOTAL” = the total indirect effect."),
        ("moderator", "var", "Moderator of a conditional effect, else empty."),
        ("moderator_value", "level", "Moderator value (empty if none).", "", "moderator"),
        ("effect", "num", "Effect."),
        ("se", "num", "SE: OLS (or HC) for total and direct effects; bootstrap SE for indirect effects."),
        ("ci_low", "num", "Lower limit: t-based for total/direct; bootstrap for indirect."),
        ("ci_high", "num", "Upper limit."),
        ("p", "p", "Normal-theory (t) p for total and direct effects; empty for indirect effects."),
        ("proportion", "num", "Effect share (效应占比) of an unconditional indirect effect: indirect / total effect "
                              "of X (models with a total effect); a note flags direct and indirect effects of "
                              "opposite signs, where the share is not interpretable.")),
        "Total, direct and (conditional) indirect effects of X on Y.",
        keys=("kind", "path", "moderator", "moderator_value")),
    TableSpec("index_moderated_mediation", _cols(
        ("path", "var", "Indirect path."), ("moderator", "var", "Moderator."),
        ("index", "num", "Index of moderated mediation: the slope of the indirect effect in the moderator "
                         "(a3·b for model 7; a·b3 for model 14)."), *BOOT_COLS),
        "Index of moderated mediation with bootstrap CI (models 7, 8, 14, 15; none for 58 and 59, where the "
        "indirect effect is quadratic in W — as in PROCESS).", keys=("path", "moderator")),
    TableSpec("sobel", _cols(
        ("path", "var", "Indirect path."), ("effect", "num", "a·b."),
        ("se", "num", "Second-order SE √(a²·se_b² + b²·se_a² + se_a²·se_b²)."),
        ("z", "num", "z = a·b / SE."), ("p", "p", "Two-sided normal p.")),
        "Normal-theory (Sobel) test of the indirect effect, model 4.", keys=("path",)),
    TableSpec("contrasts", _cols(
        ("kind", "text", "specific (between specific indirect effects) | conditional (between moderator "
                         "values of one conditional indirect effect).", "process.code.kind."),
        ("contrast", "text", "What is subtracted from what, as A − B (a minus sign: the same in every language)."), ("moderator", "var", "Moderator, if any."),
        ("effect", "num", "Difference."), *BOOT_COLS),
        "Pairwise contrasts of indirect effects with bootstrap CIs.", keys=("kind", "contrast", "moderator")),
    TableSpec("standardized", _cols(
        ("kind", "text", "total | direct | indirect.", "process.code.kind."), ("path", "var", "Path (as in effects)."),
        ("scale", "text", "partial (effect / SD of Y) | complete (effect · SD of X / SD of Y).",
         "process.code.scale."),
        ("effect", "num", "Standardized effect."), *BOOT_COLS),
        "Standardized effects of models 4 and 6 (option standardized); each resample uses its own SDs.",
        keys=("kind", "path", "scale")),
    TableSpec("verdicts", _cols(
        ("path", "var", "Indirect path."), ("moderator", "var", "Moderator, if any."),
        ("moderator_value", "level", "Moderator value (empty if none).", "", "moderator"),
        ("verdict", "text", "full | partial | none: the indirect effect's bootstrap CI excludes 0 and the direct "
                            "effect is (partial) or is not (full) significant; none = the CI includes 0.",
         "process.code.verdict."),
        ("indirect", "num", "Indirect effect."), ("ci_low", "num", "Its lower bootstrap limit."),
        ("ci_high", "num", "Its upper bootstrap limit."),
        ("direct_p", "p", "p of the direct effect (at the same moderator value when it is moderated).")),
        "One verdict per indirect effect, in the words theses use.", keys=("path", "moderator", "moderator_value")),
    TableSpec("predicted", _cols(
        ("equation", "var", "Outcome variable."),
        ("focal", "var", "Predictor on the x-axis: the focal predictor (for a multicategorical X: the moderator "
                          "W, with one line per group of X)."),
        ("moderator", "var", "Variable that defines the lines (the moderator; X when X is multicategorical)."),
        ("moderator_value", "level", "Its value or level for this line.", "", "moderator"),
        ("moderator2", "var", "Second moderator, if any."), ("moderator2_value", "num", "Its value."),
        ("x", "num", "Focal predictor value."), ("yhat", "num", "Predicted outcome (other predictors and "
                                                                "covariates at their means)."),
        ("se", "num", "SE of the prediction."), ("ci_low", "num", "Lower limit."),
        ("ci_high", "num", "Upper limit.")), "Predicted values for the simple-slopes plot.",
        keys=("equation", "focal", "moderator", "moderator_value", "moderator2", "moderator2_value", "x")),
)
DOC = (
    "Conditional process analysis (mediation, moderation, moderated mediation) as Hayes' PROCESS v4 does it, "
    "for models 1, 2, 3, 4 (1–5 parallel mediators), 5, 6 (2–4 serial mediators), 7, 8, 14, 15, 58 and 59. "
    "OLS per equation; PROCESS conventions: no centring unless asked; moderator values at the 16th/50th/84th "
    "percentiles interpolated at p·(n+1) (R type 6) or mean ± 1 SD (replaced by the min/max when outside the "
    "data), a two-valued moderator at its two values, a multicategorical W at each level; HC0–HC4 as "
    "sandwich::vcovHC; percentile bootstrap CI at the sorted positions round(B·α/2) and trunc(B·(1−α/2))+1 "
    "(bias-corrected optional); 5,000 resamples; covariates in every equation by default. Indirect, index, "
    "contrast and standardized effects are bootstrapped together in one vectorised pass; same seed → same CIs. "
    "What PROCESS prints and where it is here: a multicategorical X or W (model 1) — the interaction as a set "
    "(interaction_tests, df1 = k − 1) and, for X, the test of equality of conditional means at each moderator "
    "value (omnibus); a multicategorical X in model 4 — the omnibus tests of its total and direct effect "
    "(omnibus) and relative total, direct and indirect effects per indicator (effects, indirect ones with "
    "bootstrap CIs); model 3 — the conditional X*W interaction at values of Z (conditional_interactions) and its "
    "Johnson–Neyman region along Z; standardized coefficients (std_b) with option standardized. Not provided: "
    "Johnson–Neyman for model 2 (PROCESS has none either) and PROCESS's omnibus Johnson–Neyman for a "
    "multicategorical X.")

ALWAYS = {"model", "x", "y", "covariates", "n_boot", "seed", "conf", "ci_type", "center", "conditioning", "hc",
          "jn", "standardized"}


def applies(options: dict) -> set:
    """The options the chosen model uses: M with mediators, W and Z as its moderators, the covariates'
    equations with covariates, and the roles it lets be multicategorical ("categorical:x")."""
    tpl = template(options.get("model") or 4)
    out = set(ALWAYS)
    out |= {"m"} if tpl.mediators != "none" else set()
    out |= {r.lower() for r in ("W", "Z") if r in tpl.moderators}
    out |= {"covariates_in"} if options.get("covariates") else set()
    roles = {f"categorical:{r.lower()}" for r in tpl.categorical if r == "X" or r.lower() in out}
    return out | roles | ({"categorical"} if roles else set())


SPEC = AnalysisSpec(
    type="process",
    group="process",
    doc=DOC,
    options=(
        Option("model", "choice", default=4, choices=MODEL_NUMBERS, required=True, widget="hidden",
               doc="PROCESS model number: 1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 58 or 59."),
        Option("x", "variable", required=True, role="numeric", doc="Focal predictor X."),
        Option("y", "variable", required=True, role="numeric", doc="Outcome Y (continuous)."),
        Option("m", "variables", default=[], role="numeric",
               doc="Mediator(s): 1–5 parallel (models 4, 5, 7, 8, 14, 15, 58, 59) or 2–4 serial (model 6), "
                   "in causal order."),
        Option("w", "variable", role="any", doc="Moderator W."),
        Option("z", "variable", role="any", doc="Second moderator Z (models 2 and 3)."),
        Option("covariates", "variables", default=[], role="numeric", doc="Covariates."),
        Option("covariates_in", "choice", default="all", choices=("all", "m", "y"),
               doc="Equations the covariates enter: all (PROCESS default), the mediator equations only, or the "
                   "Y equation only."),
        Option("categorical", "map", default={}, of=("x", "w"),
               doc="Multicategorical X or W (models 1 and 4: X; model 1: W): {variable: reference level (code "
                   "or label)}; indicator coding."),
        Option("n_boot", "int", default=5000, min=0, max=100000,
               doc="Bootstrap resamples (0 = no bootstrap)."),
        Option("seed", "int", nullable=True, min=0, max=2**31 - 1,
               doc="Random seed (drawn and reported when empty)."),
        Option("conf", "float", default=95.0, min=50.0, max=99.99, doc="Confidence level, percent."),
        Option("ci_type", "choice", default="percentile", choices=("percentile", "bc"),
               doc="Bootstrap CI: percentile (PROCESS v4 default) or bias-corrected."),
        Option("center", "choice", default="none", choices=("none", "all", "continuous"),
               doc="Mean-centre the variables that form products: none, all, or continuous ones only."),
        Option("conditioning", "choice", default="percentiles", choices=("percentiles", "mean_sd"),
               doc="Values of a continuous moderator: 16th/50th/84th percentiles or mean ± 1 SD."),
        Option("hc", "choice", default=None, choices=("HC0", "HC1", "HC2", "HC3", "HC4"), nullable=True,
               doc="Heteroscedasticity-consistent SEs (null = classic OLS)."),
        Option("jn", "bool", default=True,
               doc="Johnson–Neyman boundaries and table (continuous moderator; model 3: along Z for the "
                   "conditional X*W interaction; none for model 2)."),
        Option("stars", "choice", default="apa", choices=("apa", "spss"), fit=False,
               doc="Star scheme of the statistical diagram: apa = * < .05, ** < .01, *** < .001; "
                   "spss = * < .05, ** < .01."),
        Option("standardized", "bool", default=False,
               doc="Standardized regression coefficients (column std_b of coefficients; not with a "
                   "multicategorical variable, as PROCESS stand=1) and standardized total, direct and indirect "
                   "effects (models 4 and 6)."),
    ),
    tables=TABLES,
    run=lazy("core.analyses.process.compute:run"),
    defaults=lazy("core.analyses.process.defaults:start"),
    charts=lazy("core.analyses.process.charts:chart_list"),
    interpret=lazy("core.analyses.process.text:paragraphs"),
    findings=lazy("core.analyses.process.text:findings"),
    chart=lazy("core.analyses.process.charts:finding_chart"),
    progress=True,
    applies=applies,
    layout=Layout((
        Section(title="process.page.step_model", custom="model_picker"),
        Section(title="process.page.step_variables", custom="m_hint",
                columns=(("x", "y"), ("m", "w", "z"), ("covariates", "covariates_in", "categorical"))),
        Section(title="process.page.options", box="expander",
                columns=(("n_boot", "seed", "conf"), ("ci_type", "conditioning", "center"),
                         ("hc", "jn", "standardized", "stars"))),
        Section(custom="conceptual"),
        Section(custom="seed_line"),
        Section(title="process.page.reading", show=("text",)),
        Section(title="process.page.tab_effects", box="tab", none="process.page.no_mediation",
                show=("verdicts", "effects", "index_moderated_mediation", "contrasts", "sobel", "standardized",
                      "omnibus")),
        Section(title="process.page.tab_models", box="tab", show=("models", "coefficients"),
                caption="process.page.constant_note"),
        Section(title="process.page.tab_moderation", box="tab", none="process.page.no_moderation",
                show=("interaction_tests", "conditional_interactions", "conditional_effects", "johnson_neyman",
                      "jn_table")),
        Section(title="process.page.tab_plots", box="tab", show=("chart:slopes_*", "chart:jn_*"),
                none="process.page.no_plots"),
        Section(title="process.page.tab_diagram", box="tab", show=("chart:conceptual", "chart:diagram")),
        Section(show=("notes",)),
    ), form=4),
)

