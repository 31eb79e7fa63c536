"""Paired-samples t test (SPSS T-TEST PAIRS; R's t.test(paired = TRUE)).

Each pair (a, b) — the same people measured twice, or two scales answered by
the same people — is tested on its own complete rows (listwise per pair, as
SPSS).  The difference is a − b, as R's ``t.test(a, b, paired = TRUE)``.

Conventions:

* t = mean(a − b) / (sd(a − b) / √n) on n − 1 df; the CI of the mean
  difference at ``conf`` percent with t(n − 1), as R and SPSS.
* d_z = mean(a − b) / sd(a − b) (Cohen's d for paired data, as
  ``effectsize::cohens_d(paired = TRUE)`` and G*Power).
* r is the Pearson correlation of a and b with its two-sided p (SPSS's
  "Paired Samples Correlations").
* The Wilcoxon signed-rank test as R's ``wilcox.test(a, b, paired = TRUE,
  exact = FALSE, correct = TRUE)``: zero differences are dropped (a note says
  how many), V is the sum of the ranks of the positive differences (mid-ranks
  for ties), z uses the tie-corrected variance and a continuity correction.
  SPSS prints Z without the continuity correction (and from the negative
  ranks); R's is followed so p matches R to the last digit.
"""
from core.types import AnalysisSpec, Column, Layout, Option, TableSpec, lazy

SPEC = AnalysisSpec(
    type="paired_t",
    group="differences",
    doc=__doc__.split("\n\n", 1)[1].strip(),
    options=(
        Option("pairs", "pairs", default=[], required=True, role="numeric",
               doc="Pairs to compare, [[a, b], …]: the same people's two measures (before/after, two scales "
                   "on the same response range); each pair is tested as a − b."),
        Option("conf", "float", default=95.0, min=50.0, max=99.9,
               doc="Confidence level of the mean difference's interval, in percent."),
    ),
    tables=(
        TableSpec("tests", (
            Column("var_a", "var", "First variable of the pair (a)."),
            Column("var_b", "var", "Second variable of the pair (b)."),
            Column("n", "int", "Rows with both variables valid (listwise per pair)."),
            Column("mean_a", "num", "Mean of a on those rows."),
            Column("mean_b", "num", "Mean of b on those rows."),
            Column("sd_a", "num", "SD of a (n − 1)."),
            Column("sd_b", "num", "SD of b (n − 1)."),
            Column("mean_diff", "num", "Mean difference a − b."),
            Column("sd_diff", "num", "SD of the differences (n − 1)."),
            Column("se_diff", "num", "Standard error of the mean difference, sd_diff / √n."),
            Column("ci_low", "num", "Lower bound of the CI of the mean difference (option conf, t with n − 1 df)."),
            Column("ci_high", "num", "Upper bound of that CI."),
            Column("t", "num", "Paired t = mean_diff / se_diff."),
            Column("df", "df", "n − 1."),
            Column("p", "p", "Two-sided p of t."),
            Column("d_z", "num", "Cohen's d_z = mean_diff / sd_diff."),
            Column("r", "num", "Pearson correlation of a and b (SPSS 'Paired Samples Correlations')."),
            Column("r_p", "p", "Two-sided p of r (t with n − 2 df)."),
            Column("n_zero", "int", "Zero differences, dropped from the Wilcoxon test (as R)."),
            Column("wilcoxon_v", "num", "Wilcoxon signed-rank V: sum of the ranks of the positive differences "
                                        "(R's V)."),
            Column("wilcoxon_z", "num", "Normal approximation z = (V − E V − ½·sign) / SD(V), with the tie-"
                                        "corrected SD and R's continuity correction (SPSS's Z has none)."),
            Column("wilcoxon_p", "p", "Two-sided p of z (R's wilcox.test(paired = TRUE, exact = FALSE, "
                                      "correct = TRUE))."),
        ), "One row per pair.", keys=("var_a", "var_b")),
    ),
    run=lazy("core.analyses.paired.compute:run"),
    charts=lazy("core.analyses.paired.charts:chart_list"),
    interpret=lazy("core.analyses.paired.text:paragraphs"),
    findings=lazy("core.analyses.paired.text:findings"),
    layout=Layout(empty="paired_t.error.no_pairs"),
)
