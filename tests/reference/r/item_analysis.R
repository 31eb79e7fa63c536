# Reference values for the "item_analysis" analysis (critical ratio and item-total r).
# Run from the repository root:  Rscript tests/reference/r/item_analysis.R
# R 4.2.2; psych 2.2.9; jsonlite 1.8.4.  Data: psych::bfi (tests/data/bfi.csv, written by measurement.R).
# Per scale: items reversed as 7 - x (items are 1..6), complete cases, total = sum of the items;
# low group total <= quantile(total, fraction, type = 6), high group total >= quantile(total, 1 - fraction,
# type = 6) (type 6 = SPSS's default HAVERAGE); t.test(high, low, var.equal = TRUE / FALSE) per item;
# item-total r = cor.test(item, total); corrected item-total r = cor(item, total - item) (= psych::alpha r.drop).
suppressPackageStartupMessages({library(psych); library(jsonlite)})
bfi <- read.csv("tests/data/bfi.csv")

one <- function(items, reverse, fraction) {
  x <- bfi[, items]
  for (r in reverse) x[[r]] <- 7 - x[[r]]
  x <- na.omit(x)
  tot <- rowSums(x)
  lo <- unname(quantile(tot, fraction, type = 6)); hi <- unname(quantile(tot, 1 - fraction, type = 6))
  gl <- tot <= lo; gh <- tot >= hi
  cr <- do.call(rbind, lapply(items, function(it) {
    s <- t.test(x[gh, it], x[gl, it], var.equal = TRUE)
    w <- t.test(x[gh, it], x[gl, it], var.equal = FALSE)
    data.frame(item = it, n_high = sum(gh), n_low = sum(gl), mean_high = mean(x[gh, it]), mean_low = mean(x[gl, it]),
               t = unname(s$statistic), df = unname(s$parameter), p = s$p.value,
               t_welch = unname(w$statistic), df_welch = unname(w$parameter), p_welch = w$p.value)
  }))
  rdrop <- psych::alpha(x, check.keys = FALSE, warnings = FALSE)$item.stats$r.drop
  it <- do.call(rbind, lapply(items, function(i) {
    ct <- cor.test(x[[i]], tot)
    data.frame(item = i, r_total = unname(ct$estimate), r_corrected = cor(x[[i]], tot - x[[i]]), p = ct$p.value)
  }))
  stopifnot(max(abs(it$r_corrected - rdrop)) < 1e-12)
  list(options = list(scale = "S", fraction = fraction), items = items, reverse = as.list(reverse), n = nrow(x),
       low_cut = lo, high_cut = hi, critical_ratio = cr, item_total = it)
}

cases <- list(A = one(c("A1", "A2", "A3", "A4", "A5"), "A1", 0.27),
              C = one(c("C1", "C2", "C3", "C4", "C5"), c("C4", "C5"), 0.25),
              N = one(c("N1", "N2", "N3", "N4", "N5"), character(0), 0.27))
write_json(list(source = paste0(R.version.string, ", psych ", packageVersion("psych"),
                                ": quantile(type = 6) cuts; t.test(var.equal = TRUE/FALSE); cor.test; psych::alpha r.drop"),
                generator = "tests/reference/r/item_analysis.R", dataset = "tests/data/bfi.csv",
                options = list(min = 1, max = 6), expected = cases, tol = list(abs = 1e-9)),
           "tests/reference/item_analysis_bfi.json", digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
cat("done\n")
