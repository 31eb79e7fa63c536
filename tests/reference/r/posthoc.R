# Reference values for the SPSS ONEWAY post-hoc choices LSD, Scheffe and Sidak (difference option posthoc).
# Run from the repository root:  Rscript tests/reference/r/posthoc.R
# R 4.2.2; jsonlite 1.8.4.  Data: PlantGrowth (equal n) and mtcars mpg by cyl (unequal n), as written by difference.R.
# Pairs as TukeyHSD lists them (level_a after level_b, diff = mean(a) - mean(b)); se = sqrt(MSE (1/na + 1/nb)),
# df = N - k, m = k(k - 1)/2 pairs.  SPSS ONEWAY (Algorithms, "Post Hoc Tests"):
#   LSD     p = 2 pt(-|t|, df) (= pairwise.t.test(p.adjust = "none", pool.sd = TRUE)); CI diff -/+ qt(.975, df) se
#   Sidak   p = min(1, 1 - (1 - p_LSD)^m); CI with qt(1 - a/2, df), a = 1 - .95^(1/m)
#   Scheffe p = pf(t^2/(k - 1), k - 1, df, upper); CI diff -/+ sqrt((k - 1) qf(.95, k - 1, df)) se
suppressPackageStartupMessages(library(jsonlite))
one <- function(y, g, gname, oname) {
  ok <- !is.na(y) & !is.na(g); y <- y[ok]; g <- droplevels(factor(g[ok]))
  levs <- levels(g); k <- nlevels(g); N <- length(y)
  n <- as.vector(tapply(y, g, length)); mu <- as.vector(tapply(y, g, mean))
  mse <- sum(residuals(aov(y ~ g))^2) / (N - k); df <- N - k; m <- k * (k - 1) / 2
  lsd_ref <- pairwise.t.test(y, g, p.adjust.method = "none", pool.sd = TRUE)$p.value
  rows <- list()
  for (j in 1:(k - 1)) for (i in (j + 1):k) {
    dif <- mu[i] - mu[j]; se <- sqrt(mse * (1 / n[i] + 1 / n[j])); t <- dif / se
    p_lsd <- 2 * pt(-abs(t), df)
    stopifnot(abs(p_lsd - lsd_ref[levs[i], levs[j]]) < 1e-12)
    a_s <- 1 - 0.95^(1 / m)
    half <- c(lsd = qt(0.975, df), scheffe = sqrt((k - 1) * qf(0.95, k - 1, df)), sidak = qt(1 - a_s / 2, df)) * se
    p <- c(lsd = p_lsd, scheffe = pf(t^2 / (k - 1), k - 1, df, lower.tail = FALSE), sidak = min(1, 1 - (1 - p_lsd)^m))
    for (meth in names(p)) rows[[length(rows) + 1]] <- data.frame(
      group = gname, outcome = oname, method = meth, level_a = levs[i], level_b = levs[j], diff = dif, se = se,
      ci_low = dif - half[[meth]], ci_high = dif + half[[meth]], p = p[[meth]])
  }
  do.call(rbind, rows)
}
mt <- read.csv("tests/data/difference_mtcars.csv")
pg <- read.csv("tests/data/difference_plantgrowth.csv")
exp <- list(plantgrowth = one(pg$weight, pg$group, "group", "weight"),
            mtcars = rbind(one(mt$mpg, mt$cyl, "cyl", "mpg"), one(mt$hp, mt$gear, "gear", "hp")))
write_json(list(source = paste0(R.version.string, ": SPSS ONEWAY post-hoc formulas (LSD p checked against ",
                                "pairwise.t.test(p.adjust = 'none', pool.sd = TRUE)); Scheffe F = t^2/(k-1); Sidak 1-(1-p)^m"),
                generator = "tests/reference/r/posthoc.R",
                dataset = list(plantgrowth = "tests/data/difference_plantgrowth.csv", mtcars = "tests/data/difference_mtcars.csv"),
                options = list(plantgrowth = list(groups = list("group"), outcomes = list("weight")),
                               mtcars = list(groups = list("cyl", "gear"), outcomes = list("mpg", "hp"))),
                expected = exp, tol = list(abs = 1e-9)),
           "tests/reference/difference_posthoc_spss.json", digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
cat("done\n")
