"""Declarations of the measurement family: reliability, response screening,
exploratory and confirmatory factor analysis, structural equation models."""
from core.types import AnalysisSpec, Column, Layout, Option, Section, TableSpec, ViewSpec, lazy

CHECKS = ("straight_lining", "missing", "mahalanobis")
METHODS = ("pc", "pa", "minres", "ml")
ROTATIONS = ("none", "varimax", "promax", "oblimin")


RELIABILITY = AnalysisSpec(
    type="reliability",
    group="measurement",
    doc=("Cronbach's alpha (raw and standardized), McDonald's omega total and item statistics per scale, "
         "with reverse keys applied and rows with a missing item left out (listwise within each scale, as "
         "SPSS RELIABILITY). Matches psych::alpha on complete data. Omega total comes from a one-factor "
         "maximum-likelihood model of the items' covariances: omega = (Σλ)² / ((Σλ)² + Σθ) with the "
         "model-implied total variance — semTools::compRelSEM(cfa(..., std.lv = TRUE), obs.var = FALSE) "
         "(not psych::omega, which uses a Schmid–Leiman bifactor solution)."),
    options=(
        Option("scales", "variables", default=[], role="scale",
               doc="Scales to analyse (default: every defined scale)."),
    ),
    tables=(
        TableSpec("alpha", (
            Column("scale", "var", "Scale name."),
            Column("k", "int", "Number of items."),
            Column("n", "int", "Rows with every item answered (listwise within the scale)."),
            Column("alpha", "num", "Cronbach's alpha from the item covariances (psych raw_alpha)."),
            Column("alpha_std", "num", "Standardized alpha from the mean inter-item correlation (psych std.alpha)."),
            Column("omega", "num", "McDonald's omega total from a one-factor ML model (needs ≥ 3 items)."),
            Column("mean_inter_item_r", "num", "Mean inter-item correlation."),
        ), "One row per scale.", keys=("scale",)),
        TableSpec("items", (
            Column("scale", "var", "Scale name."),
            Column("item", "text", "Item (after reverse keying)."),
            Column("mean", "num", "Item mean (reverse-keyed items as scored)."),
            Column("sd", "num", "Item standard deviation (n − 1)."),
            Column("r_drop", "num", "Corrected item-total correlation: the item with the sum of the other items."),
            Column("alpha_if_deleted", "num", "Cronbach's alpha of the scale without this item."),
            Column("flag", "text", codes="reliability.flag.", doc="'reverse' when r_drop < 0 and the item loads negatively on the first principal "
                                   "component oriented to the majority of items (psych::check.keys) — likely a "
                                   "forgotten reverse key; 'lowers_alpha' when alpha_if_deleted exceeds alpha or "
                                   "r_drop < 0; else empty."),
        ), "One row per scale × item.", keys=("scale", "item")),
    ),
    run=lazy("core.analyses.measurement.reliability:run"),
    interpret=lazy("core.analyses.measurement.text:reliability_text"),
    findings=lazy("core.analyses.measurement.text:reliability_findings"),
    chart=lazy("core.analyses.measurement.charts:finding_chart"),
    # the items with their flags in words (the interpretation reads the flag codes of the result itself)
    layout=Layout((Section(columns=(("scales",),)),
                   Section(show=("alpha", "items_labelled", "notes", "text"), custom="reverse_keys"))),
    views=(ViewSpec("items_labelled", lazy("core.analyses.measurement.views:items_view"), "The items table with its flags in words (the page's and "
                                                  "reports' version)."),),
)

SCREENING = AnalysisSpec(
    type="screening",
    group="measurement",
    doc=("Careless-response screening over a block of items: straight-lining (share of the modal answer among "
         "the answered items ≥ cut-off), many missing answers (share unanswered > cut-off) and multivariate "
         "outliers (squared Mahalanobis distance of complete rows, χ²(k) p < .001). Each table lists the flagged "
         "respondents by row number (1-based, as in the data file); excluding them adds "
         "{\"rows\": [...], \"reason\": \"straight-lining\"} (or \"many missing answers\", \"multivariate outlier "
         "(Mahalanobis distance)\") to the recipe's exclusions, reported under every analysis as n excluded, why."),
    options=(
        Option("items", "variables", default=[], role="item",
               doc="Items to screen (default: every item of the defined scales)."),
        Option("checks", "choices", default=list(CHECKS), choices=CHECKS,
               doc="Which checks to run: straight_lining, missing, mahalanobis."),
        Option("straight_cutoff", "float", default=0.7, min=0.0, max=1.0,
               doc="Flag straight-lining when the modal answer's share is at least this."),
        Option("missing_cutoff", "float", default=0.2, min=0.0, max=1.0,
               doc="Flag respondents whose share of unanswered items exceeds this."),
        Option("mahalanobis_p", "float", default=0.001, min=0.0, max=1.0,
               doc="Flag multivariate outliers with χ² p below this."),
    ),
    tables=(
        TableSpec("summary", (
            Column("check", "text", "straight_lining, missing or mahalanobis.", codes="screening.choice.checks."),
            Column("n_checked", "int", "Respondents the check could be applied to."),
            Column("n_flagged", "int", "Respondents flagged."),
            Column("rule", "text", "The rule applied."),
        ), "One row per check.", keys=("check",)),
        TableSpec("straight_lining", (
            Column("row", "int", "Row number in the data file (1-based)."),
            Column("modal_answer", "num", "The most frequent answer of the respondent."),
            Column("modal_share", "num", "Share of answered items with that answer."),
            Column("n_answered", "int", "Items answered."),
        ), "Respondents flagged for straight-lining.", keys=("row",)),
        TableSpec("missing", (
            Column("row", "int", "Row number in the data file (1-based)."),
            Column("n_missing", "int", "Items not answered."),
            Column("share_missing", "num", "Share of the block not answered."),
        ), "Respondents flagged for many missing answers.", keys=("row",)),
        TableSpec("mahalanobis", (
            Column("row", "int", "Row number in the data file (1-based)."),
            Column("d2", "num", "Squared Mahalanobis distance (sample covariance, n − 1)."),
            Column("df", "int", "Degrees of freedom = number of items."),
            Column("p", "p", "P(χ²(df) > d2)."),
        ), "Multivariate outliers, largest distance first.", keys=("row",)),
        TableSpec("flagged", (
            Column("row", "int", "Row number in the data file (1-based)."),
            Column("straight_lining", "flag", "Flagged for straight-lining."),
            Column("missing", "flag", "Flagged for many missing answers."),
            Column("mahalanobis", "flag", "Flagged as a multivariate outlier."),
        ), "Every flagged respondent once.", keys=("row",)),
    ),
    run=lazy("core.analyses.measurement.screening:run"),
    layout=Layout((
        Section(title="measure.page.screening_options", box="expander",
                columns=(("items", "checks", "straight_cutoff", "missing_cutoff", "mahalanobis_p"),)),
        Section(show=("summary", "notes")),
        Section(custom="exclusions"),   # each check's rows, one click to exclude them
    )),
)

EFA = AnalysisSpec(
    type="efa",
    group="measurement",
    doc=("Exploratory factor analysis: KMO and Bartlett's test, extraction by principal components (SPSS "
         "FACTOR's default), iterated principal axis, minres or maximum likelihood, rotation none / varimax / "
         "promax / oblimin, number of factors by eigenvalue > 1 (SPSS default), parallel analysis or a fixed "
         "number, and Harman's single-factor test. Listwise deletion. Matches psych::fa / psych::principal: "
         "pa iterates as psych (SMC start, stop when the communalities' sum changes < .001, ≤ 50 iterations); "
         "varimax = stats::varimax (Kaiser normalised); promax = psych (power 4; fa() Kaiser-normalises first, "
         "principal() uses stats::promax); oblimin = GPArotation::oblimin without Kaiser normalisation (psych's "
         "choice; SPSS normalises rows first — kaiser_oblimin = true does that, = GPArotation normalize = TRUE; the "
         "two differ by up to ~0.1 in loadings). Factors are named F1…Fk, signed to sum positive and ordered by variance "
         "accounted for. Parallel analysis: mean eigenvalues of n_iter seeded standard-normal data sets of the "
         "same size (principal components, Horn); factors are retained while the observed eigenvalue exceeds "
         "the simulated mean."),
    options=(
        Option("items", "variables", default=[], role="item",
               doc="Items to analyse (default: the items of every defined scale that is not a total of other scales)."),
        Option("n_factors", "json", default="eigen", choices=("eigen", "parallel"), widget="count",
               doc="Number of factors: a whole number, \"eigen\" (eigenvalue > 1, SPSS) or \"parallel\"."),
        Option("method", "choice", default="pc", choices=METHODS,
               doc="Extraction: pc (principal components, SPSS default), pa (iterated principal axis), minres, ml."),
        Option("rotation", "choice", default="none", choices=ROTATIONS,
               doc="Rotation: none (SPSS default), varimax, promax, oblimin (direct quartimin, no Kaiser normalisation)."),
        Option("kaiser_oblimin", "bool", default=False,
               doc="Oblimin with Kaiser (row) normalisation, as SPSS; default off, as psych/GPArotation."),
        Option("n_iter", "int", default=100, min=10, max=5000, doc="Parallel analysis: number of simulated data sets."),
        Option("seed", "int", default=20240607, min=0, max=2**32 - 1, doc="Parallel analysis: random seed."),
        Option("cutoff", "float", default=0.3, min=0.0, max=1.0, fit=False,
               doc="Display only: hide loadings whose absolute value is below this."),
        Option("sort", "bool", default=True, fit=False,
               doc="Display only: sort items by their strongest factor and loading."),
    ),
    tables=(
        TableSpec("kmo", (
            Column("item", "text", "Item, or \"overall\" for the whole matrix.", codes="efa.kmo_item."),
            Column("msa", "num", "Kaiser–Meyer–Olkin measure of sampling adequacy (psych::KMO)."),
        ), "KMO overall and per item.", keys=("item",)),
        TableSpec("bartlett", (
            Column("chi2", "num", "Bartlett's χ² = −ln|R| · (n − 1 − (2p + 5)/6)."),
            Column("df", "int", "p(p − 1)/2."),
            Column("p", "p", "p value."),
            Column("n", "int", "Rows used."),
        ), "Bartlett's test of sphericity."),
        TableSpec("loadings", (
            Column("item", "text", "Item."),
            Column("factor", "text", "Factor F1…Fk."),
            Column("loading", "num", "Rotated loading (pattern loading for oblique rotations)."),
            Column("structure", "num", "Structure coefficient (pattern × factor correlations; = loading when orthogonal)."),
            Column("communality", "num", "Communality h² of the item (extraction; unchanged by rotation)."),
        ), "One row per item × factor.", keys=("item", "factor")),
        TableSpec("variance", (
            Column("factor", "text", "Factor."),
            Column("initial_eigenvalue", "num", "Eigenvalue of the correlation matrix (SPSS 'Initial Eigenvalues')."),
            Column("extraction_ss", "num", "Sum of squared unrotated loadings (SPSS 'Extraction Sums of Squared Loadings')."),
            Column("ss_loadings", "num", "Variance accounted for after rotation (psych 'SS loadings'; oblique: diag(Φ L′L))."),
            Column("proportion", "num", "ss_loadings / number of items."),
            Column("cumulative", "num", "Cumulative proportion (not defined for oblique rotations)."),
        ), "Variance explained per factor.", keys=("factor",)),
        TableSpec("harman", (
            Column("first_factor_proportion", "num", "Share of total variance of the first unrotated principal "
                                                     "component (Harman's single-factor test; > .40–.50 suggests "
                                                     "common-method bias)."),
            Column("first_eigenvalue", "num", "First eigenvalue of the correlation matrix."),
            Column("n_items", "int", "Number of items."),
        ), "Harman's single-factor test."),
        TableSpec("eigenvalues", (
            Column("component", "int", "Component number."),
            Column("eigenvalue", "num", "Eigenvalue of the item correlation matrix."),
            Column("proportion", "num", "Eigenvalue / number of items."),
            Column("cumulative", "num", "Cumulative proportion."),
            Column("parallel", "num", "Mean eigenvalue of simulated random data (parallel analysis only)."),
        ), "All eigenvalues, for the scree plot.", keys=("component",)),
        TableSpec("factor_correlations", (
            Column("factor_a", "var", "Factor."),
            Column("factor_b", "var", "Factor."),
            Column("r", "num", "Correlation between the rotated factors (oblique rotations only)."),
        ), "Factor correlations Φ after promax or oblimin.", keys=("factor_a", "factor_b")),
    ),
    run=lazy("core.analyses.measurement.efa:run"),
    charts=lazy("core.analyses.measurement.charts:efa_charts"),
    interpret=lazy("core.analyses.measurement.text:efa_text"),
    findings=lazy("core.analyses.measurement.text:efa_findings"),
    layout=Layout((
        Section(columns=(("items",),)),
        Section(columns=(("n_factors",), ("method",), ("rotation",))),
        Section(title="measure.page.display_options", box="expander",
                columns=(("cutoff", "sort", "kaiser_oblimin", "n_iter", "seed"),)),
        Section(custom="efa_summary"),
        Section(show=("loading_matrix", "variance", "harman", "factor_correlations", "bartlett", "kmo", "notes",
                      "charts", "text")),
    ), form=3),
    views=(ViewSpec("loading_matrix", lazy("core.analyses.measurement.views:loading_view"),
                    "Items × factors with communalities, loadings below the cutoff blank, sorted by each item's "
                    "strongest factor (the options cutoff and sort)."),),
)

_FIT_TABLE = TableSpec("fit", (
    Column("chi2", "num", "ML χ² as lavaan: N·F_ML with the covariance matrix divided by N (multi-group: Σ N_g·F_g)."),
    Column("df", "int", "Degrees of freedom."),
    Column("p", "p", "p value of χ²."),
    Column("chi2_df", "num", "χ²/df (AMOS CMIN/DF)."),
    Column("cfi", "num", "Comparative fit index (baseline: independence model)."),
    Column("tli", "num", "Tucker–Lewis index (NNFI)."),
    Column("rmsea", "num", "RMSEA = √max(0, (χ²/N)/df − 1/N) (× √G for G groups), as lavaan (N, not N − 1)."),
    Column("rmsea_ci_low", "num", "Lower end of the 90% CI of RMSEA (lavaan's noncentral χ² inversion)."),
    Column("rmsea_ci_high", "num", "Upper end of the 90% CI of RMSEA."),
    Column("srmr", "num", "Standardized root mean square residual (lavaan 'srmr' = Bentler's; means included "
                          "with a mean structure; n-weighted across groups)."),
    Column("gfi", "num", "Goodness-of-fit index (lavaan: ML-weighted residuals)."),
    Column("agfi", "num", "Adjusted GFI = 1 − (moments/df)(1 − GFI)."),
    Column("nfi", "num", "Normed fit index (Bentler–Bonett)."),
    Column("ifi", "num", "Incremental fit index (Bollen)."),
    Column("aic", "num", "AIC = −2 logL + 2·npar on lavaan's (and AMOS') full likelihood scale."),
    Column("bic", "num", "BIC = −2 logL + npar·ln N."),
    Column("npar", "int", "Free parameters (exogenous covariates' (co)variances not counted, as lavaan fixed.x)."),
    Column("n", "int", "Rows used."),
    Column("baseline_chi2", "num", "χ² of the independence (baseline) model."),
    Column("baseline_df", "int", "df of the baseline model."),
    Column("logl", "num", "Log-likelihood of the model."),
), "Model fit, one row.")

_LOAD_TABLE = TableSpec("loadings", (
    Column("factor", "var", "Latent factor."),
    Column("item", "text", "Indicator."),
    Column("estimate", "num", "Unstandardized loading (the first of each factor fixed to 1: marker variable)."),
    Column("se", "num", "Standard error (expected information, lavaan's default; empty when fixed)."),
    Column("z", "num", "estimate / se."),
    Column("p", "p", "Two-sided p value (normal)."),
    Column("std_estimate", "num", "Completely standardized loading (lavaan std.all, AMOS standardized)."),
), "Factor loadings.", keys=("factor", "item"))

_EST_TABLE = TableSpec("estimates", (
    Column("group", "int", "Group number (0 for a single group)."),
    Column("lhs", "text", "Left-hand side."),
    Column("op", "text", "=~ loading, ~ regression, ~~ (co)variance, ~1 intercept/mean."),
    Column("rhs", "text", "Right-hand side."),
    Column("label", "text", "Equality label, if any."),
    Column("estimate", "num", "Unstandardized estimate."),
    Column("se", "num", "Standard error."),
    Column("z", "num", "z value."),
    Column("p", "p", "p value."),
    Column("std_estimate", "num", "std.all: variances by total variances, covariances by residual SDs (lavaan cov.std)."),
), "Every parameter, as lavaan's parameterEstimates + standardizedSolution.", keys=("group", "lhs", "op", "rhs"))

_DIAGRAM_OPTIONS = (
    Option("items", "choice", default="auto", choices=("auto", "show", "hide"), fit=False,
           doc="Path diagram: draw the indicators (auto: when there are at most 40 in a CFA, 20 in a SEM)."),
    Option("covariances", "choice", default="auto", choices=("auto", "show", "hide"), fit=False,
           doc="Path diagram: draw the covariances between factors (auto: when there are at most 10)."),
    Option("stars", "choice", default="apa", choices=("apa", "spss"), fit=False,
           doc="Star scheme of the path diagram: apa = * < .05, ** < .01, *** < .001; spss = * < .05, ** < .01."),
)

# what the path diagram draws, under the model's options
_DIAGRAM_SECTION = Section(title="measure.page.diagram_options", box="expander",
                           columns=(("items",), ("covariances",), ("stars",)))

_CFA_OPTIONS = (
    Option("factors", "map", default=None, nullable=True, widget="hidden",
           doc="Map factor → list of items (default: one factor per defined scale that is not a total of others)."),
    Option("model", "text", default="", widget="area", suggest=lazy("core.analyses.measurement.cfa:default_model_text"),
           doc="lavaan-style model text (=~, ~, ~~, modifiers 1*x NA*x a*x); "
                                            "overrides factors when not empty."),
    Option("group", "variable", default=None, nullable=True, role="categorical",
           doc="Grouping variable for measurement invariance (configural, metric, scalar)."),
    Option("compare_one_factor", "bool", default=True,
           doc="Also fit a one-factor model of all items (common-method-bias check)."),
    Option("competing", "bool", default=False,
           doc="Competing models: merge the two most highly correlated factors, refit, repeat down to one "
               "factor; one row per model in model_comparison (plain first-order models only)."),
    Option("method_factor", "bool", default=False,
           doc="Add the table method_factor: the model plus one method factor on every item (loadings free, "
               "variance 1, uncorrelated with the traits), with Harman's single-factor test in a note."),
    *_DIAGRAM_OPTIONS,
)

CFA = AnalysisSpec(
    type="cfa",
    group="measurement",
    doc=("Confirmatory factor analysis by maximum likelihood following lavaan's cfa() defaults (marker "
         "variable, ML with N in the likelihood, expected-information standard errors, independence baseline) "
         "with the fit indices AMOS users report. Validity per factor: AVE and CR by the thesis formulas from "
         "standardized loadings λ (AVE = mean λ², CR = (Σλ)² / ((Σλ)² + Σ(1 − λ²))) and model-based as "
         "semTools 0.5-6 (cr_model = compRelSEM: (Σλ)²φ / 1′S1 with the observed item covariances; "
         "ave_model = AVE: Σλ²φ / tr S); Fornell–Larcker; HTMT (Henseler et al. 2015, arithmetic means of "
         "absolute item correlations = semTools::htmt(htmt2 = FALSE)) and HTMT2 (geometric means, "
         "semTools' default). Measurement invariance by multi-group CFA with a mean structure: configural; "
         "metric (loadings equal); scalar (loadings and intercepts equal, latent means free in groups 2…G), "
         "as lavaan group.equal; Δχ² as lavTestLRT."),
    options=_CFA_OPTIONS,
    tables=(
        _FIT_TABLE, _LOAD_TABLE,
        TableSpec("validity", (
            Column("factor", "var", "Factor."),
            Column("k", "int", "Number of indicators."),
            Column("ave", "num", "Average variance extracted, thesis formula: mean of squared standardized loadings."),
            Column("cr", "num", "Composite reliability, thesis formula: (Σλ)² / ((Σλ)² + Σ(1 − λ²))."),
            Column("sqrt_ave", "num", "√AVE (Fornell–Larcker diagonal)."),
            Column("ave_model", "num", "Model-based AVE as semTools::AVE: Σλ²φ / sum of observed item variances."),
            Column("cr_model", "num", "Model-based composite reliability as semTools::compRelSEM (omega with "
                                      "the observed variance of the item sum)."),
        ), "Convergent validity per factor.", keys=("factor",)),
        TableSpec("fornell_larcker", (
            Column("factor_a", "var", "Row factor."),
            Column("factor_b", "var", "Column factor."),
            Column("value", "num", "√AVE on the diagonal, the factor correlation elsewhere."),
            Column("kind", "text", "sqrt_ave or correlation.", codes="cfa.fl_kind."),
            Column("violates", "flag", "True when |r| ≥ the smaller √AVE of the two factors."),
        ), "Fornell–Larcker criterion in long form (pivot for the matrix).", keys=("factor_a", "factor_b")),
        TableSpec("factor_correlations", (
            Column("factor_a", "var", "Factor."),
            Column("factor_b", "var", "Factor."),
            Column("r", "num", "Model-implied correlation of the factors (std.all)."),
            Column("estimate", "num", "Covariance estimate (when it is a free parameter)."),
            Column("se", "num", "Its standard error."),
            Column("p", "p", "Its p value."),
        ), "Correlations between factors.", keys=("factor_a", "factor_b")),
        TableSpec("htmt", (
            Column("factor_a", "var", "Factor."),
            Column("factor_b", "var", "Factor."),
            Column("htmt", "num", "Heterotrait–monotrait ratio (Henseler et al. 2015; < .85 supports discriminant validity)."),
            Column("htmt2", "num", "HTMT2 with geometric means (Roemer et al. 2021; semTools 0.5-6 default)."),
        ), "HTMT per pair of factors, from the item correlations.", keys=("factor_a", "factor_b")),
        TableSpec("model_comparison", (
            Column("model", "text", "hypothesised, one_factor, or (competing) the factor a step made by "
                                    "merging, e.g. visual+speed.", codes="cfa.model."),
            Column("factors", "int", "Number of factors."),
            Column("chi2", "num", "χ²."), Column("df", "int", "df."), Column("p", "p", "p of χ²."),
            Column("chi2_df", "num", "χ²/df."), Column("cfi", "num", "CFI."), Column("tli", "num", "TLI."),
            Column("rmsea", "num", "RMSEA."), Column("srmr", "num", "SRMR."), Column("aic", "num", "AIC."),
            Column("bic", "num", "BIC."),
            Column("d_chi2", "num", "χ² difference to the hypothesised model."),
            Column("d_df", "int", "df difference."),
            Column("d_p", "p", "p of the χ² difference test."),
        ), "Hypothesised model against a one-factor model of all items, or (competing = true) against the nested "
           "models made by merging the two most correlated factors step by step (Δχ² as lavaan's anova).", keys=("model",)),
        TableSpec("method_factor", (
            Column("model", "text", "trait (the hypothesised model) or trait_method (plus the method factor).",
                   codes="cfa.model."),
            Column("chi2", "num", "χ²."), Column("df", "int", "df."), Column("cfi", "num", "CFI."),
            Column("tli", "num", "TLI."), Column("rmsea", "num", "RMSEA."), Column("srmr", "num", "SRMR."),
            Column("d_cfi", "num", "ΔCFI of trait_method against trait."),
            Column("d_tli", "num", "ΔTLI."), Column("d_rmsea", "num", "ΔRMSEA."), Column("d_srmr", "num", "ΔSRMR."),
            Column("method_variance", "num", "Mean squared standardized method loading: the share of item variance "
                                             "due to the method factor."),
        ), "Only with method_factor = true: the unmeasured latent method factor test of common-method bias "
           "(Podsakoff et al. 2003); ΔCFI/ΔTLI > .10 or ΔRMSEA/ΔSRMR > .05 are the thresholds thesis "
           "chapters cite.", keys=("model",)),
        TableSpec("invariance", (
            Column("model", "text", "configural, metric (loadings equal) or scalar (loadings and intercepts equal).",
                   codes="measure.invariance."),
            Column("chi2", "num", "χ² (Σ over groups)."), Column("df", "int", "df."), Column("p", "p", "p."),
            Column("cfi", "num", "CFI."), Column("tli", "num", "TLI."), Column("rmsea", "num", "RMSEA."),
            Column("srmr", "num", "SRMR."), Column("aic", "num", "AIC."), Column("bic", "num", "BIC."),
            Column("d_chi2", "num", "Δχ² to the previous model (lavTestLRT)."),
            Column("d_df", "int", "Δdf."), Column("d_p", "p", "p of Δχ²."),
            Column("d_cfi", "num", "ΔCFI (invariance holds when ≥ −.01, Cheung & Rensvold 2002)."),
            Column("d_rmsea", "num", "ΔRMSEA (≤ .015, Chen 2007)."),
        ), "Measurement invariance across the groups of `group` (empty without it).", keys=("model",)),
        _EST_TABLE,
    ),
    run=lazy("core.analyses.measurement.cfa:run_cfa"),
    charts=lazy("core.analyses.measurement.charts:cfa_charts"),
    interpret=lazy("core.analyses.measurement.text:cfa_text"),
    findings=lazy("core.analyses.measurement.text:cfa_findings"),
    chart=lazy("core.analyses.measurement.charts:finding_chart"),
    layout=Layout((
        Section(columns=(("model",),)),
        Section(columns=(("group",), ("compare_one_factor", "competing", "method_factor"))),
        _DIAGRAM_SECTION,
        Section(show=("fit", "loadings", "validity", "htmt", "factor_correlations", "model_comparison",
                      "method_factor", "invariance", "fornell_larcker_matrix", "notes", "text")),
        Section(show=("chart:diagram",)),
        Section(title="cfa.table.estimates", box="expander", show=("estimates",)),
    ), empty="cfa.error.no_factors"),
    views=(ViewSpec("fornell_larcker_matrix", lazy("core.analyses.measurement.views:fl_matrix_view"),
                    "The Fornell–Larcker table as a factor × factor matrix: √AVE on the diagonal, factor "
                    "correlations off it.", columns=(Column("factor", "var", "Factor (rows)."),)),),
)

SEM = AnalysisSpec(
    type="sem",
    group="measurement",
    doc=("Structural equation model by maximum likelihood (lavaan sem() defaults; same estimator and fit "
         "indices as cfa). Write the measurement part with =~ or just use defined scale names in "
         "regressions (e.g. \"PS ~ RP\\nWW ~ PS + RP\"): a scale without its own =~ becomes a factor measured "
         "by its items, and a total scale whose items are exactly those of its sub-scales a second-order "
         "factor. Exogenous factors covary; residuals of endogenous variables that predict nothing covary "
         "(lavaan auto.cov.y)."),
    options=(
        Option("model", "text", default="", required=False, widget="area",
               doc="lavaan-style model text with at least one regression (~)."),
        *_DIAGRAM_OPTIONS,
    ),
    tables=(
        _FIT_TABLE,
        TableSpec("paths", (
            Column("lhs", "var", "Outcome."), Column("op", "text", "~"), Column("rhs", "var", "Predictor."),
            Column("label", "text", "Label, if any."),
            Column("estimate", "num", "Unstandardized path coefficient."),
            Column("se", "num", "Standard error."), Column("z", "num", "z value."), Column("p", "p", "p value."),
            Column("std_estimate", "num", "Standardized path coefficient (std.all)."),
        ), "Structural paths.", keys=("lhs", "op", "rhs")),
        TableSpec("r2", (
            Column("variable", "var", "Endogenous variable."),
            Column("r2", "num", "Explained variance R² = 1 − residual variance / total variance."),
        ), "R² of endogenous variables.", keys=("variable",)),
        _LOAD_TABLE, _EST_TABLE,
    ),
    run=lazy("core.analyses.measurement.cfa:run_sem"),
    charts=lazy("core.analyses.measurement.charts:sem_charts"),
    interpret=lazy("core.analyses.measurement.text:sem_text"),
    findings=lazy("core.analyses.measurement.text:sem_findings"),
    chart=lazy("core.analyses.measurement.charts:finding_chart"),
    defaults=lazy("core.analyses.measurement.defaults:sem_start"),
    layout=Layout((
        Section(columns=(("model",),), caption="measure.page.sem_help"),
        _DIAGRAM_SECTION,
        Section(show=("chart:diagram",)),
        Section(show=("fit", "paths", "r2", "loadings", "notes", "text")),
    ), needs=("model",), empty="sem.error.no_model"),
)

SPECS = (RELIABILITY, SCREENING, EFA, CFA, SEM)
