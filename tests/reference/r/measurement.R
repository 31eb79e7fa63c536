# Reference values for the measurement area (reliability, EFA, CFA, SEM).
#
#   Rscript tests/reference/r/measurement.R     (from the repository root)
#
# Writes tests/data/bfi.csv, tests/data/holzinger_swineford.csv,
# tests/data/political_democracy.csv and tests/reference/measurement_*.json.
# R 4.2.2, psych 2.2.9, GPArotation 2022.10-2, lavaan 0.6-14, semTools 0.5-6.
suppressPackageStartupMessages({
  library(psych); library(GPArotation); library(lavaan); library(semTools); library(jsonlite)
})

ver <- function(p) as.character(packageVersion(p))
rv <- paste0("R ", R.version$major, ".", R.version$minor)
# tol: absolute tolerance per statistic (default for the rest); ...: tol_reason (why a statistic is looser,
# with the measured deviation) and key_map (lavaan's group 1, 2 are the app's 0, 1)
out <- function(name, source, dataset, options, expected, tol, ...) {
  write_json(c(list(source = source, generator = "tests/reference/r/measurement.R", dataset = dataset,
                    options = options, expected = expected, tol = tol), list(...)),
             file.path("tests/reference", paste0("measurement_", name, ".json")),
             digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
}

# ---- data -------------------------------------------------------------------
bfi <- psych::bfi[, c(1:25, 26, 27)]   # 25 items + gender + education
write.csv(bfi, "tests/data/bfi.csv", row.names = FALSE, na = "")
HS <- lavaan::HolzingerSwineford1939
write.csv(HS, "tests/data/holzinger_swineford.csv", row.names = FALSE, na = "")
PD <- lavaan::PoliticalDemocracy
write.csv(PD, "tests/data/political_democracy.csv", row.names = FALSE, na = "")

# ---- reliability: psych::alpha on the Big Five scales (listwise, reverse keys)
scales <- list(A = c("A1", "A2", "A3", "A4", "A5"), C = c("C1", "C2", "C3", "C4", "C5"),
               E = c("E1", "E2", "E3", "E4", "E5"), N = c("N1", "N2", "N3", "N4", "N5"),
               O = c("O1", "O2", "O3", "O4", "O5"))
reverse <- list(A = "A1", C = c("C4", "C5"), E = c("E1", "E2"), N = character(0), O = c("O2", "O5"))
rel <- list()
for (s in names(scales)) {
  x <- bfi[, scales[[s]]]
  for (r in reverse[[s]]) x[[r]] <- 7 - x[[r]]       # items are 1..6
  x <- na.omit(x)
  a <- psych::alpha(x, check.keys = FALSE, warnings = FALSE)
  # McDonald's omega total from a one-factor ML CFA (semTools::compRelSEM with obs.var = FALSE)
  fit1 <- lavaan::cfa(paste("f =~", paste(names(x), collapse = " + ")), data = x, std.lv = TRUE)
  om <- as.numeric(semTools::compRelSEM(fit1, obs.var = FALSE))
  rel[[s]] <- list(n = nrow(x), raw_alpha = a$total$raw_alpha, std_alpha = a$total$std.alpha, omega = om,
                   item = names(x), mean = as.numeric(a$item.stats$mean), sd = as.numeric(a$item.stats$sd),
                   r_drop = as.numeric(a$item.stats$r.drop), alpha_if_deleted = as.numeric(a$alpha.drop$raw_alpha))
}
out("alpha_bfi",
    paste(rv, "psych", ver("psych"), ": psych::alpha(na.omit(items), check.keys=FALSE) per Big Five scale after",
          "reversing A1 C4 C5 E1 E2 O2 O5 as 7 - x; omega = semTools", ver("semTools"),
          "compRelSEM(cfa('f =~ items', std.lv=TRUE), obs.var=FALSE) (lavaan", ver("lavaan"), ")"),
    "tests/data/bfi.csv", list(scales = scales, reverse = reverse), rel,
    list(default = 1e-6))

# ---- EFA: KMO, Bartlett, psych::fa / principal on the 25 items (listwise) ------
X <- na.omit(bfi[, 1:25])
R <- cor(X)
k <- psych::KMO(R)
b <- psych::cortest.bartlett(R, n = nrow(X))
pe <- eigen(R)$values
harman <- pe[1] / ncol(X)
fits <- list()
for (fm in c("pa", "minres", "ml")) {
  for (rot in c("none", "varimax", "promax", "oblimin")) {
    f <- psych::fa(X, nfactors = 5, fm = fm, rotate = rot)
    L <- unclass(f$loadings)
    fits[[paste(fm, rot, sep = "_")]] <- list(
      loadings = unname(lapply(seq_len(ncol(L)), function(j) as.numeric(L[, j]))),
      communality = as.numeric(f$communality),
      ss_loadings = as.numeric(f$Vaccounted["SS loadings", ]),
      phi = if (is.null(f$Phi)) NULL else unname(lapply(seq_len(ncol(f$Phi)), function(j) as.numeric(f$Phi[, j]))))
  }
}
for (rot in c("none", "varimax", "promax", "oblimin")) {
  f <- psych::principal(X, nfactors = 5, rotate = rot)
  L <- unclass(f$loadings)
  fits[[paste("pc", rot, sep = "_")]] <- list(
    loadings = unname(lapply(seq_len(ncol(L)), function(j) as.numeric(L[, j]))),
    communality = as.numeric(f$communality),
    ss_loadings = as.numeric(f$Vaccounted["SS loadings", ]),
    phi = if (is.null(f$Phi)) NULL else unname(lapply(seq_len(ncol(f$Phi)), function(j) as.numeric(f$Phi[, j]))))
}
# oblimin with Kaiser normalisation (SPSS's choice) on the unrotated pa loadings
pa0 <- psych::fa(X, nfactors = 5, fm = "pa", rotate = "none")
obk <- GPArotation::oblimin(unclass(pa0$loadings), normalize = TRUE)
fits[["pa_oblimin_kaiser"]] <- list(
  loadings = unname(lapply(1:5, function(j) as.numeric(obk$loadings[, j]))), communality = as.numeric(pa0$communality),
  ss_loadings = as.numeric(diag(obk$Phi %*% t(obk$loadings) %*% obk$loadings)),
  phi = unname(lapply(1:5, function(j) as.numeric(obk$Phi[, j]))))
out("efa_bfi",
    paste(rv, "psych", ver("psych"), "GPArotation", ver("GPArotation"),
          ": KMO(R), cortest.bartlett(R, n), eigen(R); fa(X, 5, fm, rotate) and principal(X, 5, rotate)",
          "with X = na.omit(bfi[,1:25]); loadings given per factor (columns), order/sign as psych prints them;",
          "pa_oblimin_kaiser = GPArotation::oblimin(unrotated pa loadings, normalize = TRUE)"),
    "tests/data/bfi.csv", list(items = names(X), n_factors = 5),
    list(n = nrow(X), items = names(X), kmo_overall = k$MSA, kmo_items = as.numeric(k$MSAi),
         bartlett_chi2 = b$chisq, bartlett_df = b$df, bartlett_p = b$p.value, eigenvalues = pe,
         harman = harman, fits = fits),
    list(closed_form_abs = 1e-6, loadings_abs = 1e-3))

# why lavaan's estimates are checked more loosely than the fit measures (deviations measured against the app)
lavaan_tol <- paste(
  "lavaan's nlminb stops when the ML discrepancy changes by less than rel.tol = 1e-10; near the optimum the",
  "discrepancy is quadratic in the parameters, so an estimate is pinned only to about sqrt(1e-10) = 1e-5 of its",
  "size (residual and factor variances most), while chi-square and the indices built on it agree to 3e-8 or",
  "better.")

# ---- CFA on Holzinger-Swineford 1939 -------------------------------------------
hs_model <- "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
fm_names <- c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "srmr",
              "gfi", "agfi", "nfi", "ifi", "aic", "bic", "baseline.chisq", "baseline.df", "npar", "logl")
fitm <- function(f) as.list(setNames(as.numeric(lavaan::fitMeasures(f, fm_names)), fm_names))
est_table <- function(f) {
  pe <- lavaan::parameterEstimates(f)
  ss <- lavaan::standardizedSolution(f)
  list(lhs = pe$lhs, op = pe$op, rhs = pe$rhs, group = if (is.null(pe$group)) rep(1, nrow(pe)) else pe$group,
       est = pe$est, se = pe$se, pvalue = pe$pvalue, std_all = ss$est.std)
}
fit <- lavaan::cfa(hs_model, data = HS)
rel_cr <- semTools::compRelSEM(fit)
ave <- semTools::AVE(fit)
ht <- semTools::htmt(hs_model, data = HS, htmt2 = FALSE)    # Henseler et al. 2015 (arithmetic means)
ht2 <- semTools::htmt(hs_model, data = HS, htmt2 = TRUE)    # HTMT2 (geometric means; semTools 0.5-6 default)
one <- lavaan::cfa("g =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9", data = HS)
out("cfa_hs",
    paste(rv, "lavaan", ver("lavaan"), "semTools", ver("semTools"),
          ": cfa(model, HolzingerSwineford1939) defaults (ML, marker variable, expected information);",
          "fitMeasures(); parameterEstimates(); standardizedSolution() (std.all); compRelSEM(fit); AVE(fit);",
          "htmt(model, data, htmt2 = FALSE) and htmt2 = TRUE; one-factor model cfa('g =~ x1 + ... + x9')"),
    "tests/data/holzinger_swineford.csv", list(model = hs_model),
    list(fit = fitm(fit), estimates = est_table(fit), cr_model = as.list(rel_cr), ave_model = as.list(ave),
         htmt = list(factors = colnames(ht), matrix = unname(lapply(seq_len(ncol(ht)), function(j) as.numeric(ht[, j])))),
         htmt2 = list(factors = colnames(ht2), matrix = unname(lapply(seq_len(ncol(ht2)), function(j) as.numeric(ht2[, j])))),
         one_factor = fitm(one)),
    list(default = 1e-06, est = 3e-06),
    tol_reason = list(est = paste0("Measured largest |ours - lavaan| 9.9e-7 (x2 ~~ x2 = 1.134): ", lavaan_tol)),
    key_map = list(group = list("1" = "0")))

# ---- measurement invariance by school ----------------------------------------------
conf <- lavaan::cfa(hs_model, data = HS, group = "school")
metr <- lavaan::cfa(hs_model, data = HS, group = "school", group.equal = "loadings")
scal <- lavaan::cfa(hs_model, data = HS, group = "school", group.equal = c("loadings", "intercepts"))
lrt <- lavaan::lavTestLRT(conf, metr, scal)
out("invariance_hs",
    paste(rv, "lavaan", ver("lavaan"), ": cfa(model, HS, group='school') with group.equal = none /",
          "'loadings' / c('loadings','intercepts'); fitMeasures(); lavTestLRT(configural, metric, scalar)"),
    "tests/data/holzinger_swineford.csv", list(model = hs_model, group = "school"),
    list(groups = lavaan::lavInspect(conf, "group.label"),
         configural = fitm(conf), metric = fitm(metr), scalar = fitm(scal),
         lrt_chisq_diff = as.numeric(lrt[["Chisq diff"]]), lrt_df_diff = as.numeric(lrt[["Df diff"]]),
         lrt_p = as.numeric(lrt[["Pr(>Chisq)"]]),
         metric_estimates = est_table(metr)),
    list(default = 1e-06, est = 1.5e-05, se = 2e-06, std_all = 3e-05),
    tol_reason = list(est = paste0("Measured largest |ours - lavaan| 4.6e-6 (Grant-White textual ~~ textual = 0.906, ",
                                   "metric model): ", lavaan_tol),
         se = "Measured 5.8e-7 (the same variance's SE, 0.136): SEs follow the estimates.",
         std_all = paste("Measured 8.7e-6 (Pasteur x2 ~1, the standardized intercept mean/SD = 4.81: 1.8e-6 of its size;",
                         "1.7e-6 for the rest, Pasteur textual ~~ speed = 0.333): standardized values follow the estimates.")),
    key_map = list(group = list("1" = "0", "2" = "1")))

# ---- structural models ------------------------------------------------------------
sem_hs <- "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\ntextual ~ visual\nspeed ~ textual"
f1 <- lavaan::sem(sem_hs, data = HS)
pd_model <- paste("ind60 =~ x1 + x2 + x3", "dem60 =~ y1 + y2 + y3 + y4", "dem65 =~ y5 + y6 + y7 + y8",
                  "dem60 ~ ind60", "dem65 ~ ind60 + dem60", "y1 ~~ y5", "y2 ~~ y4 + y6", "y3 ~~ y7",
                  "y4 ~~ y8", "y6 ~~ y8", sep = "\n")
f2 <- lavaan::sem(pd_model, data = PD)
sem_x <- "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\ntextual ~ visual + ageyr + grade"
f3 <- lavaan::sem(sem_x, data = HS)   # observed exogenous covariates (fixed.x = TRUE)
out("sem",
    paste(rv, "lavaan", ver("lavaan"), ": sem(model, data) defaults; fitMeasures(); parameterEstimates();",
          "standardizedSolution(); lavInspect(fit, 'rsquare'); hsx has observed covariates (fixed.x)"),
    "tests/data/holzinger_swineford.csv; tests/data/political_democracy.csv",
    list(hs_model = sem_hs, pd_model = pd_model, hsx_model = sem_x),
    list(hs = list(fit = fitm(f1), estimates = est_table(f1), r2 = as.list(lavaan::lavInspect(f1, "rsquare"))),
         pd = list(fit = fitm(f2), estimates = est_table(f2), r2 = as.list(lavaan::lavInspect(f2, "rsquare"))),
         hsx = list(fit = fitm(f3), estimates = est_table(f3), r2 = as.list(lavaan::lavInspect(f3, "rsquare")))),
    list(default = 1e-06, est = 2e-05, se = 3e-06, std_all = 5e-06, pvalue = 5e-06),
    tol_reason = list(est = paste0("Measured largest |ours - lavaan| 6.8e-6 (pd: y3 ~~ y3 = 5.07; hs 2.5e-6, hsx 6.5e-7): ",
                                   lavaan_tol),
         se = "Measured 1.0e-6 (pd: y3 ~~ y3, 0.952): SEs follow the estimates.",
         std_all = "Measured 1.6e-6 (hs: x1 ~~ x1, 0.392): standardized values follow the estimates.",
         pvalue = "Measured 1.5e-6 (pd: y4 ~~ y8, p = 0.431): p values follow the estimates and SEs."),
    key_map = list(group = list("1" = "0")))
cat("done\n")
