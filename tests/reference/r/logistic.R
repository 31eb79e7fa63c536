# Reference values for the "logistic" analysis (binary logistic regression in SPSS LOGISTIC REGRESSION's conventions).
# Run from the repository root:  Rscript tests/reference/r/logistic.R
# R 4.2.2; jsonlite 1.8.4.  Data: datasets::infert (Trichopoulos et al. 1976), written to tests/data/logistic_infert.csv
# with the outcome as text (status = case / control) and education as its labels.
# stats::glm(binomial, epsilon = 1e-14: converged to the last digit) per block (blocks entered in order, one complete-case sample); Wald = (b/se)^2,
# OR = exp(b), Wald CI exp(b -/+ qnorm(.975) se) (= exp(confint.default)); omnibus chi2 = null deviance - deviance;
# block chi2 against the previous block; Cox-Snell R2 = 1 - exp((dev - dev0)/n); Nagelkerke = CS / (1 - exp(-dev0/n));
# Hosmer-Lemeshow with 10 groups as SPSS: cases sorted by predicted probability, tied probabilities kept together,
# a tie block in group ceiling(10 c / n) with c = cases up to and including the block (ResourceSelection is not in
# Debian; written out); df = groups - 2.  Classification at the cut .5 (predicted event when p > .5, as SPSS).
suppressPackageStartupMessages(library(jsonlite))
d <- data.frame(status = ifelse(infert$case == 1, "case", "control"), age = infert$age, parity = infert$parity,
                education = as.character(infert$education), spontaneous = infert$spontaneous, induced = infert$induced)
write.csv(d, "tests/data/logistic_infert.csv", row.names = FALSE)
d$y <- as.integer(d$status == "case")
d$education <- relevel(factor(d$education), ref = "0-5yrs")

hl <- function(y, p, g = 10) {
  o <- order(p); ps <- p[o]; ys <- y[o]; n <- length(p)
  blk <- cumsum(c(TRUE, diff(ps) != 0))
  last <- tapply(seq_along(ps), blk, max)
  grp <- ceiling(g * last / n)[blk]
  obs <- tapply(ys, grp, sum); ex <- tapply(ps, grp, sum); ng <- tapply(ys, grp, length)
  chi <- sum((obs - ex)^2 / ex + (obs - ex)^2 / (ng - ex))
  c(chi2 = chi, df = length(ng) - 2, p = pchisq(chi, length(ng) - 2, lower.tail = FALSE))
}
term_name <- function(nm) sub("^education(.*)$", "education[\\1]", nm)
blocks <- list(c("age", "parity"), c("spontaneous", "induced", "education"))
n <- nrow(d)
m0 <- glm(y ~ 1, binomial, d, control = glm.control(epsilon = 1e-14, maxit = 100))
prev <- m0; coefs <- list(); steps <- list(); preds <- character(0)
for (s in seq_along(blocks)) {
  preds <- c(preds, blocks[[s]])
  f <- glm(reformulate(preds, "y"), binomial, d, control = glm.control(epsilon = 1e-14, maxit = 100))
  cf <- summary(f)$coefficients
  z <- qnorm(0.975)
  coefs[[s]] <- data.frame(step = s, term = term_name(rownames(cf)), b = cf[, 1], se = cf[, 2], wald = (cf[, 1] / cf[, 2])^2,
                           df = 1, p = pchisq((cf[, 1] / cf[, 2])^2, 1, lower.tail = FALSE), odds_ratio = exp(cf[, 1]),
                           or_ci_low = exp(cf[, 1] - z * cf[, 2]), or_ci_high = exp(cf[, 1] + z * cf[, 2]),
                           row.names = NULL)
  stopifnot(max(abs(log(coefs[[s]]$or_ci_low) - confint.default(f)[, 1])) < 1e-10)
  chi <- f$null.deviance - f$deviance; dfm <- f$df.null - f$df.residual
  chc <- prev$deviance - f$deviance; dfc <- prev$df.residual - f$df.residual
  cs <- 1 - exp((f$deviance - f$null.deviance) / n); nk <- cs / (1 - exp(-f$null.deviance / n))
  h <- hl(d$y, fitted(f))
  acc <- 100 * mean(as.integer(fitted(f) > 0.5) == d$y)
  steps[[s]] <- data.frame(step = s, n = n, neg2ll = f$deviance, chi2 = chi, df = dfm,
                           p = pchisq(chi, dfm, lower.tail = FALSE), chi2_change = chc, df_change = dfc,
                           p_change = pchisq(chc, dfc, lower.tail = FALSE), cox_snell_r2 = cs, nagelkerke_r2 = nk,
                           hosmer_lemeshow_chi2 = unname(h["chi2"]), hl_df = unname(h["df"]), hl_p = unname(h["p"]),
                           accuracy = acc)
  prev <- f
}
pred <- ifelse(fitted(prev) > 0.5, "case", "control")
cl <- as.data.frame(table(observed = factor(d$status, c("control", "case")), predicted = factor(pred, c("control", "case"))),
                    stringsAsFactors = FALSE)
names(cl)[3] <- "n"
write_json(list(source = paste0(R.version.string, ": glm(binomial) per block; Wald, exp(confint.default); ",
                                "deviance-based chi2, Cox-Snell and Nagelkerke R2; Hosmer-Lemeshow as SPSS (10 groups, ties together)"),
                generator = "tests/reference/r/logistic.R", dataset = "tests/data/logistic_infert.csv",
                options = list(outcome = "status", event = "case", blocks = blocks, categorical = list(education = "0-5yrs")),
                expected = list(coefficients = do.call(rbind, coefs), steps = do.call(rbind, steps), classification = cl),
                tol = list(abs = 1e-6)),
           "tests/reference/logistic_infert.json", digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
cat("done\n")
