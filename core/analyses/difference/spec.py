"""Difference analysis across demographic splits (SPSS T-TEST / ONEWAY / UNIANOVA / CROSSTABS).

A *battery*: every split (grouping variable) × every outcome, each cell tested
on its own valid rows (pairwise deletion per cell, as SPSS's "analysis by
analysis").  Everything is computed from grouped summaries — group counts,
sums, centred sums of squares, medians, rank sums — built with one
``np.bincount`` per split × outcome (one sort per outcome serves the medians and
ranks of every split), so the whole battery costs a few passes over the data.

Conventions (what SPSS and R users check):

* Levels are in the data's level order (``core.data.levels``; codes sorted unless the user set an order);
  tables hold level codes, shown as value labels; t = mean(first level) −
  mean(second level), as R's ``t.test(y ~ g)``.
* Levene's test centred on the mean (SPSS, ``car::leveneTest(center = mean)``)
  and on the median (Brown–Forsythe, ``center = median``), df1 = k − 1,
  df2 = N − k.
* Student's and Welch's t; one-way ANOVA, Welch's ANOVA (``oneway.test``),
  Brown–Forsythe's F* for means with SPSS's df1 = k − 1 and Satterthwaite's df2
  (statsmodels' variant uses Mehrotra's corrected df1; not used here).
* Mann–Whitney U = R's ``wilcox.test`` W for the first level (rank sum of the
  first level − n1(n1 + 1)/2), normal approximation with continuity correction
  and tie correction; Kruskal–Wallis H with tie correction.
* Cohen's d with the pooled SD (signed, first − second); Hedges' g = d × J with
  the exact J = Γ(df/2) / (√(df/2) Γ((df − 1)/2)), df = n1 + n2 − 2, as
  ``effectsize::hedges_g``; η² = SS_between / SS_total; ω² = (SS_b − (k − 1)
  MS_w) / (SS_t + MS_w), bounded below at 0 as ``effectsize::omega_squared``.
* Post-hoc pairs are listed as R's ``TukeyHSD`` lists them: for each level b
  after level a (in level order) the row "b − a", level_a = b, level_b = a,
  diff = mean(level_a) − mean(level_b).  Tukey HSD (Tukey–Kramer for unequal
  n; p and CI from the studentized range with N − k df), Games–Howell (Welch
  SE and df per pair; as ``rstatix::games_howell_test``), Bonferroni (t with
  the pooled error variance, p × number of pairs capped at 1, CI with
  t(1 − .05 / (2m)), as SPSS ONEWAY), and SPSS ONEWAY's other choices on the
  pooled error variance: LSD (unadjusted t, CI with t(.975)), Šidák (p = 1 −
  (1 − p_LSD)^m, CI with t(1 − α_S/2), α_S = 1 − .95^(1/m)) and Scheffé (p of
  F = t²/(k − 1) on (k − 1, N − k) df, CI ± √((k − 1) F.95(k − 1, N − k))·SE).
  se is the SE of the difference as SPSS prints it.
* The reported test (table ``tests``): two groups → t, three or more → F.
  ``test = "auto"`` reports Welch where Levene's test (mean-centred) has
  p < .05, else Student/ANOVA; ``"student"`` and ``"welch"`` force one.
* Groups with 0–1 valid rows in a cell are left out of that cell (note);
  groups smaller than ``small_group`` are flagged.
"""
from core.types import AnalysisSpec, Column, Layout, Option, Section, TableSpec, ViewSpec, lazy

POSTHOC = ("tukey", "games_howell", "bonferroni", "lsd", "scheffe", "sidak")
POSTHOC_DEFAULT = ("tukey", "games_howell", "bonferroni")

_G = Column("group", "var", "Split (grouping variable) name.")
_O = Column("outcome", "var", "Outcome variable or scale name.")

SPECS = (
    AnalysisSpec(
        type="difference",
        group="differences",
        doc=__doc__.split("\n\n", 1)[1].strip(),
        options=(
            Option("groups", "variables", default=[], required=True, role="categorical",
                   doc="Splits (grouping variables), e.g. the demographics; each is crossed with every outcome."),
            Option("outcomes", "variables", default=[], required=True, role="numeric",
                   doc="Outcomes: scale scores or single numeric items."),
            Option("test", "choice", default="auto", choices=("auto", "student", "welch"),
                   doc="Reported test: auto = Welch where Levene's test (mean-centred) has p < .05, "
                       "else Student t / one-way ANOVA; student or welch force one for every cell."),
            Option("posthoc", "choices", default=list(POSTHOC_DEFAULT), choices=POSTHOC,
                   doc="Post-hoc comparisons: tukey (Tukey HSD / Tukey–Kramer), games_howell, bonferroni "
                       "(pooled-variance t, p × pairs), lsd (unadjusted pooled-variance t), scheffe and sidak, "
                       "p and CIs as SPSS ONEWAY computes them for each."),
            Option("by", "variable", default=None, nullable=True, role="categorical",
                   doc="Second split for a two-way ANOVA (each split × by × outcome; Type III SS with "
                       "sum-to-zero contrasts, as SPSS GLM and car::Anova(type = 3)); adds tables "
                       "factorial and factorial_means."),
            Option("merge", "map", default={}, widget="hidden",
                   doc="Levels to merge before testing: {split: [[level, level, …], …]}, levels by code or "
                       "label; the merged level's code is the members' codes joined by \" + \" (shown as \"A + B\")."),
            Option("small_group", "int", default=5, min=2, max=1000,
                   doc="Groups with fewer valid rows than this are flagged (column small and a note)."),
            Option("stars", "choice", default="apa", choices=("apa", "spss"), fit=False,
                   doc="Star scheme of displayed tables: apa = * < .05, ** < .01, *** < .001; "
                       "spss = * < .05, ** < .01. Display only."),
        ),
        tables=(
            TableSpec("tests", (
                _G, _O,
                Column("k", "int", "Number of groups tested (groups with 0–1 rows are left out)."),
                Column("n", "int", "Rows used in this cell."),
                Column("test", "text", "Reported test: student_t, welch_t (k = 2), anova, welch_anova (k ≥ 3).",
                       codes="difference.testname."),
                Column("statistic", "num", "t (mean of first level − second) or F."),
                Column("df1", "df", "df of t, or numerator df of F."),
                Column("df2", "df", "Denominator df of F (empty for t)."),
                Column("p", "p", "Two-sided p."),
                Column("effect_size_name", "text", "cohen_d (k = 2) or eta2 (k ≥ 3).", codes="difference.measure."),
                Column("effect_size", "num", "Value of that effect size."),
                Column("rule", "text", "Why this test: auto_levene_sig, auto_levene_ns, forced_student, "
                                       "forced_welch, welch_undefined (a group has zero variance: classic "
                                       "ANOVA, as SPSS).", codes="difference.rule."),
                Column("note", "text", "Why a cell has no test: not_numeric, no_data, one_group, constant, "
                                       "no_within_variance, too_many_groups.", codes="difference.cellnote."),
            ), "One row per split × outcome: the test a thesis table reports.", keys=("group", "outcome")),
            TableSpec("all_tests", (
                _G, _O,
                Column("test", "text", "levene_mean, levene_median, student_t, welch_t, anova, welch_anova, "
                                       "brown_forsythe, mann_whitney, kruskal.", codes="difference.testname."),
                Column("statistic", "num", "F, t, U (Mann–Whitney: W of R's wilcox.test for the first level) "
                                           "or H (Kruskal–Wallis)."),
                Column("df1", "df", "df (t, H) or numerator df (F)."),
                Column("df2", "df", "Denominator df (F)."),
                Column("p", "p", "Two-sided p."),
            ), "Every test of every cell (t tests only for two groups; all others for k ≥ 2).",
                keys=("group", "outcome", "test")),
            TableSpec("group_stats", (
                _G, _O,
                Column("level", "level", "Group: the level's code (a merged level: the codes joined by \" + \"), "
                                         "shown as its value label.", of="group"),
                Column("n", "int", "Valid rows."),
                Column("mean", "num", "Mean."),
                Column("sd", "num", "SD (n − 1)."),
                Column("se", "num", "Standard error of the mean."),
                Column("ci_low", "num", "95% CI lower bound (t with n − 1 df)."),
                Column("ci_high", "num", "95% CI upper bound."),
                Column("small", "flag", "True when n < small_group."),
            ), "Descriptives per group of each cell.", keys=("group", "outcome", "level")),
            TableSpec("effects", (
                _G, _O,
                Column("measure", "text", "cohen_d, hedges_g (k = 2), eta2, omega2.", codes="difference.measure."),
                Column("value", "num", "Effect size."),
            ), "Effect sizes of each cell.", keys=("group", "outcome", "measure")),
            TableSpec("posthoc", (
                _G, _O,
                Column("method", "text", "tukey, games_howell, bonferroni.", codes="difference.choice.posthoc."),
                Column("level_a", "level", "Later level of the pair (R's TukeyHSD row 'a-b'; a code).", of="group"),
                Column("level_b", "level", "Earlier level of the pair (a code).", of="group"),
                Column("diff", "num", "mean(level_a) − mean(level_b)."),
                Column("se", "num", "SE of the difference (SPSS's Std. Error)."),
                Column("ci_low", "num", "Simultaneous 95% CI lower bound."),
                Column("ci_high", "num", "Simultaneous 95% CI upper bound."),
                Column("p", "p", "Adjusted p."),
                Column("statistic", "num", "diff / se (a t value; × √2 is the studentized range q)."),
                Column("df", "df", "Error df (Games–Howell: Welch df of the pair)."),
            ), "Pairwise comparisons, each pair once.", keys=("group", "outcome", "method", "level_a", "level_b")),
            TableSpec("levels", (
                _O,
                Column("n", "int", "Valid rows."),
                Column("mean", "num", "Mean."),
                Column("sd", "num", "SD."),
                Column("midpoint", "num", "(min + max) / 2 of the scale."),
                Column("low_cut", "num", "min + range / 3: means below are 'low'."),
                Column("high_cut", "num", "min + 2 × range / 3: means above are 'high'."),
                Column("level", "text", "low, medium or high (thirds of the scale range).", codes="difference.level."),
                Column("t", "num", "One-sample t against the midpoint."),
                Column("df", "int", "n − 1."),
                Column("p", "p", "Two-sided p."),
            ), "Each outcome's level on its scale (items use the range of their scale; others are skipped).",
                keys=("outcome",)),
            TableSpec("factorial", (
                _G, Column("by", "var", "Second split."), _O,
                Column("source", "text", "Corrected Model, (Intercept), <group>, <by>, <group>:<by>, Residuals, "
                                         "Total, Corrected Total (effect rows named as car::Anova).",
                       codes="difference.source."),
                Column("ss", "num", "Type III sum of squares."),
                Column("df", "int", "Degrees of freedom."),
                Column("ms", "num", "Mean square."),
                Column("f", "num", "F."),
                Column("p", "p", "p."),
                Column("partial_eta2", "num", "Partial η² = SS / (SS + SS_error)."),
            ), "Two-way ANOVA (option by), as SPSS GLM's Tests of Between-Subjects Effects.",
                keys=("group", "by", "outcome", "source")),
            TableSpec("factorial_means", (
                _G, Column("by", "var", "Second split."), _O,
                Column("level", "level", "Level (code) of the split.", of="group"),
                Column("by_level", "level", "Level (code) of the second split.", of="by"),
                Column("n", "int", "Rows in the cell."),
                Column("mean", "num", "Cell mean."),
                Column("sd", "num", "Cell SD."),
                Column("se", "num", "SE of the cell mean."),
                Column("ci_low", "num", "95% CI lower bound."),
                Column("ci_high", "num", "95% CI upper bound."),
            ), "Cell means of the two-way design (interaction plot).",
                keys=("group", "by", "outcome", "level", "by_level")),
        ),
        views=(ViewSpec("thesis", lazy("core.analyses.difference.views:thesis_view"),
                        "Thesis table of one split (pinned as thesis:<split>): a row per outcome, M ± SD per group "
                        "(groups numbered, n in the header), t or F of the reported test (ᵃ marks Welch's), p with "
                        "stars and the significant post-hoc pairs by group number.", per="groups"),),
        run=lazy("core.analyses.difference.compute:run"),
        defaults=lazy("core.analyses.difference.defaults:start"),
        charts=lazy("core.analyses.difference.charts:result_charts"),
        chart=lazy("core.analyses.difference.charts:finding_chart"),
        interpret=lazy("core.analyses.difference.text:paragraphs"),
        findings=lazy("core.analyses.difference.text:findings"),
        layout=Layout((
            Section(columns=(("groups",), ("outcomes",))),
            Section(title="difference.page.settings", box="expander", custom="merge",
                    columns=(("test", "stars"), ("posthoc", "small_group"))),
            Section(title="difference.page.overview", show=("chart:heatmap",)),
            Section(title="difference.page.thesis", show=("thesis",)),
            Section(show=("tests",), custom="detail"),   # the star scheme, then one cell in full
            Section(show=("levels",)),
            Section(title="difference.page.reading", show=("text", "notes")),
        ), empty="difference.error.nothing_chosen", fixed=(("by", None),)),
        layouts=(("two_way", Layout((
            Section(columns=(("groups",), ("by",), ("outcomes",)), one=("groups", "outcomes")),
            Section(show=("factorial", "factorial_means", "chart:interaction_*"), none="difference.page.pick_two"),
            Section(show=("notes",)),
        ), needs=("groups", "by", "outcomes"), empty="difference.page.pick_two", fixed=(("posthoc", []),),
            start=lazy("core.analyses.difference.defaults:two_way_start"))),),
    ),
    AnalysisSpec(
        type="crosstab",
        group="differences",
        doc="Chi-square test of independence between two categorical variables (SPSS CROSSTABS): Pearson χ² "
            "without continuity correction (SPSS's 'Pearson Chi-Square' row; chisq.test(correct = FALSE)); "
            "Yates's correction for 2 × 2 tables only when correct = true (R's rule, min(0.5, |O − E|)). "
            "Cramér's V = √(χ² / (n (min(r, c) − 1))) from the Pearson χ² without continuity correction, also "
            "when correct = true (as SPSS and effectsize::cramers_v), unadjusted. Levels with no rows are dropped.",
        options=(
            Option("rows", "variables", default=[], required=True, role="categorical",
                   doc="Row variables; without cols, every pair among them is tabulated."),
            Option("cols", "variables", default=[], role="categorical",
                   doc="Column variables: every row × column pair is tabulated."),
            Option("correct", "bool", default=False,
                   doc="Yates's continuity correction for 2 × 2 tables (SPSS prints it as a separate row)."),
        ),
        tables=(
            TableSpec("chi2", (
                Column("row_var", "var", "Row variable."),
                Column("col_var", "var", "Column variable."),
                Column("chi2", "num", "Pearson χ²."),
                Column("df", "int", "(r − 1)(c − 1)."),
                Column("p", "p", "p."),
                Column("cramers_v", "num", "Cramér's V (from the uncorrected Pearson χ²)."),
                Column("n", "int", "Rows with both variables valid."),
                Column("min_expected", "num", "Smallest expected count."),
                Column("low_expected", "int", "Cells with expected count < 5."),
                Column("yates", "flag", "True when Yates's correction was applied."),
            ), "One row per pair of variables.", keys=("row_var", "col_var")),
            TableSpec("cells", (
                Column("row_var", "var", "Row variable."),
                Column("col_var", "var", "Column variable."),
                Column("row_level", "level", "Row level (code; shown as its value label).", of="row_var"),
                Column("col_level", "level", "Column level (code; shown as its value label).", of="col_var"),
                Column("n", "int", "Observed count."),
                Column("expected", "num", "Expected count."),
                Column("row_pct", "pct", "Percent of the row."),
                Column("col_pct", "pct", "Percent of the column."),
                Column("total_pct", "pct", "Percent of the table."),
            ), "Observed counts and percentages of every cell.", keys=("row_var", "col_var", "row_level", "col_level")),
        ),
        run=lazy("core.analyses.difference.compute:run_crosstab"),
        charts=lazy("core.analyses.difference.charts:crosstab_charts"),
        interpret=lazy("core.analyses.difference.text:crosstab_paragraphs"),
        findings=lazy("core.analyses.difference.text:crosstab_findings"),
        defaults=lazy("core.analyses.difference.defaults:crosstab_start"),
        layout=Layout((
            Section(columns=(("rows",), ("cols",)), one=("rows", "cols")),
            Section(columns=(("correct",),)),
            Section(show=("chi2", "cells", "charts", "text", "notes")),
        ), needs=("rows", "cols"), empty="difference.page.pick_two"),
    ),
)
