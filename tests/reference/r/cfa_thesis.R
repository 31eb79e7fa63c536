# Reference values for the cfa options "competing" (nested models by merging the most correlated factors)
# and "method_factor" (an unmeasured common-method factor on every item).
# Run from the repository root:  Rscript tests/reference/r/cfa_thesis.R
# R 4.2.2; lavaan 0.6-14; jsonlite 1.8.4.  Data: lavaan::HolzingerSwineford1939 (tests/data/holzinger_swineford.csv)
# for competing models, psych::bfi (tests/data/bfi.csv) for the method factor, both written by measurement.R.  lavaan::cfa defaults (ML, marker variables, expected information).
# competing: merge the two factors with the highest latent correlation (lavInspect(fit, "cor.lv")), refit, repeat
# down to one factor; each row is named by the factor its step made, "a+b" (a before b in the model); chi2
# difference against the hypothesised model (anova(hyp, nested), the plain LRT for ML).
# method_factor: method =~ NA*x1 + ... (all items free), method ~~ 1*method, method ~~ 0*each trait factor;
# method_variance = mean squared standardized (std.all) method loading.
suppressPackageStartupMessages({library(lavaan); library(jsonlite)})
HS <- read.csv("tests/data/holzinger_swineford.csv")
fm_names <- c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr", "aic", "bic")
fitm <- function(f) setNames(as.numeric(fitMeasures(f, fm_names)), fm_names)
syntax <- function(fac) paste(sapply(names(fac), function(f) paste(f, "=~", paste(fac[[f]], collapse = " + "))),
                              collapse = "\n")
# lavaan needs syntactic factor names: "visual+speed" is fitted as "visual.speed" and reported with "+"
lv_names <- function(fac) setNames(fac, gsub("+", ".", names(fac), fixed = TRUE))

competing <- function(fac) {
  hyp <- cfa(syntax(lv_names(fac)), data = HS)
  fh <- fitm(hyp)
  row <- function(name, k, fmx) data.frame(model = name, factors = k, chi2 = fmx[["chisq"]], df = fmx[["df"]],
    p = fmx[["pvalue"]], chi2_df = fmx[["chisq"]] / fmx[["df"]], cfi = fmx[["cfi"]], tli = fmx[["tli"]],
    rmsea = fmx[["rmsea"]], srmr = fmx[["srmr"]], aic = fmx[["aic"]], bic = fmx[["bic"]],
    d_chi2 = if (k == length(fac)) NA else fmx[["chisq"]] - fh[["chisq"]],
    d_df = if (k == length(fac)) NA else fmx[["df"]] - fh[["df"]],
    d_p = if (k == length(fac)) NA else pchisq(fmx[["chisq"]] - fh[["chisq"]], fmx[["df"]] - fh[["df"]], lower.tail = FALSE))
  rows <- list(row("hypothesised", length(fac), fh))
  cur <- fac; f <- hyp
  while (length(cur) > 1) {
    r <- lavInspect(f, "cor.lv"); diag(r) <- -Inf
    r[lower.tri(r)] <- -Inf
    ij <- which(r == max(r), arr.ind = TRUE)[1, ]
    a <- names(cur)[ij[1]]; b <- names(cur)[ij[2]]
    merged <- c(cur[[a]], cur[[b]])
    new <- list(); for (nm in names(cur)) {
      if (nm == a) new[[paste0(a, "+", b)]] <- merged else if (nm != b) new[[nm]] <- cur[[nm]]
    }
    cur <- new
    f <- cfa(syntax(lv_names(cur)), data = HS)
    if (length(cur) > 1) stopifnot(all(names(cur) == gsub(".", "+", colnames(lavInspect(f, "cor.lv")), fixed = TRUE)))
    an <- anova(hyp, f)
    fmx <- fitm(f)
    stopifnot(abs(an[2, "Chisq diff"] - (fmx[["chisq"]] - fh[["chisq"]])) < 1e-8)
    rows[[length(rows) + 1]] <- row(paste0(a, "+", b), length(cur), fmx)
  }
  do.call(rbind, rows)
}

method <- function(fac, data) {
  hyp <- cfa(syntax(fac), data = data)
  items <- unlist(fac)
  mf <- paste0(syntax(fac), "\nmethod =~ ", paste0("NA*", items, collapse = " + "), "\nmethod ~~ 1*method\n",
               paste0("method ~~ 0*", names(fac), collapse = "\n"))
  fm <- cfa(mf, data = data)
  stopifnot(lavInspect(fm, "converged"))
  ss <- standardizedSolution(fm)
  ml <- ss[ss$lhs == "method" & ss$op == "=~", ]
  a <- fitm(hyp); b <- fitm(fm)
  rows <- data.frame(model = c("trait", "trait_method"), chi2 = c(a[["chisq"]], b[["chisq"]]), df = c(a[["df"]], b[["df"]]),
                     cfi = c(a[["cfi"]], b[["cfi"]]), tli = c(a[["tli"]], b[["tli"]]), rmsea = c(a[["rmsea"]], b[["rmsea"]]),
                     srmr = c(a[["srmr"]], b[["srmr"]]),
                     d_cfi = c(NA, b[["cfi"]] - a[["cfi"]]), d_tli = c(NA, b[["tli"]] - a[["tli"]]),
                     d_rmsea = c(NA, b[["rmsea"]] - a[["rmsea"]]), d_srmr = c(NA, b[["srmr"]] - a[["srmr"]]),
                     method_variance = c(NA, mean(ml$est.std^2)))
  list(method_factor = rows, method_loadings = data.frame(item = ml$rhs, std_loading = ml$est.std))
}

hs3 <- list(visual = c("x1", "x2", "x3"), textual = c("x4", "x5", "x6"), speed = c("x7", "x8", "x9"))
comp <- competing(hs3)
print(comp[, 1:5])
# the method factor on the Big Five's A, C and E scales (psych::bfi, A1 C4 C5 E1 E2 reversed as 7 - x, listwise):
# HS's method model has an improper solution (negative latent variance) with several local optima
bfi <- read.csv("tests/data/bfi.csv")
for (r in c("A1", "C4", "C5", "E1", "E2")) bfi[[r]] <- 7 - bfi[[r]]
ace <- list(A = paste0("A", 1:5), C = paste0("C", 1:5), E = paste0("E", 1:5))
mfac <- method(ace, na.omit(bfi[, unlist(ace)]))
print(mfac)
write_json(list(source = paste0(R.version.string, ", lavaan ", packageVersion("lavaan"),
                                ": cfa() defaults; fitMeasures(); merging by lavInspect(fit, 'cor.lv'); anova() LRT; ",
                                "method factor with free loadings, unit variance, orthogonal to traits; standardizedSolution()"),
                generator = "tests/reference/r/cfa_thesis.R",
                dataset = list(competing = "tests/data/holzinger_swineford.csv", method_factor = "tests/data/bfi.csv"),
                options = list(competing = list(factors = hs3, competing = TRUE),
                               method_factor = list(factors = ace, reverse = list("A1", "C4", "C5", "E1", "E2"),
                                                    method_factor = TRUE)),
                expected = list(model_comparison = comp, method_factor = mfac$method_factor,
                                method_loadings = mfac$method_loadings),
                tol = list(abs = 1e-3)),
           "tests/reference/measurement_cfa_thesis.json", digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
cat("done\n")
