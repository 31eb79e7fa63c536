"""Declaration of mediation in causal steps."""
from core.types import AnalysisSpec, Column, Layout, Option, TableSpec, lazy

SPEC = AnalysisSpec(
    type="mediation_steps",
    group="process",
    doc=("Mediation in causal steps (Baron & Kenny 1986; the 2004 procedure of 温忠麟, 张雷, 侯杰泰 & 刘红云): "
         "three OLS models on one complete-case sample (c: Y ~ X, a: M ~ X, b: Y ~ X + M, covariates in all "
         "three, so c = c′ + a·b), SPSS's standardised β, the first-order Sobel test and the verdict of the "
         "causal steps at α = .05 (c n.s. → none; a and b significant → c′ decides partial/full; otherwise "
         "the Sobel test decides). The bootstrap test of PROCESS model 4 is the 2014 procedure's choice."),
    options=(
        Option("x", "variable", required=True, role="numeric", doc="Independent variable X."),
        Option("m", "variable", required=True, role="numeric", doc="The mediator M (one)."),
        Option("y", "variable", required=True, role="numeric", doc="Outcome Y."),
        Option("covariates", "variables", default=[], role="numeric", doc="Control variables, in all three models."),
    ),
    tables=(
        TableSpec("steps", (
            Column("model", "text", "c (Y ~ X), a (M ~ X) or b (Y ~ X + M).", codes="mediation_steps.model."),
            Column("outcome", "var", "The model's outcome."),
            Column("term", "text", "(Intercept) or a predictor.", codes="mediation_steps.term."),
            Column("b", "num", "Unstandardised coefficient."),
            Column("se", "num", "Standard error."),
            Column("beta", "num", "Standardised coefficient (SPSS Beta) on the model's sample."),
            Column("t", "num", "t."),
            Column("p", "p", "Two-sided p."),
        ), "The coefficients of the three models.", keys=("model", "term")),
        TableSpec("models", (
            Column("model", "text", "c, a or b.", codes="mediation_steps.model."),
            Column("n", "int", "Rows used (the same in all three)."),
            Column("r2", "num", "R²."), Column("adj_r2", "num", "Adjusted R²."),
            Column("f", "num", "F of the model."), Column("df1", "df", "df1."), Column("df2", "df", "df2."),
            Column("p", "p", "p of F."),
        ), "Model summaries.", keys=("model",)),
        TableSpec("summary", (
            Column("a", "num", "a: X → M."),
            Column("b", "num", "b: M → Y with X controlled."),
            Column("c", "num", "c: total effect of X."),
            Column("c_prime", "num", "c′: direct effect of X."),
            Column("indirect", "num", "a·b."),
            Column("sobel_z", "num", "First-order Sobel z = ab / √(b²se_a² + a²se_b²)."),
            Column("sobel_p", "p", "Two-sided normal p of the Sobel z."),
            Column("proportion", "num", "a·b / c, the share of the total effect (效应占比)."),
            Column("verdict", "text", "full, partial or none (2004 causal-steps procedure).",
                   codes="process.code.verdict."),
            Column("decided_by", "text", "The step that decided: c, ab (a and b significant) or sobel.",
                   codes="mediation_steps.decided_by."),
        ), "The mediation verdict."),
    ),
    run=lazy("core.analyses.mediation_steps.compute:run"),
    charts=lazy("core.analyses.mediation_steps.charts:charts"),
    interpret=lazy("core.analyses.mediation_steps.text:paragraphs"),
    findings=lazy("core.analyses.mediation_steps.text:findings"),
    layout=Layout(empty="mediation_steps.error.nothing_chosen"),
)
