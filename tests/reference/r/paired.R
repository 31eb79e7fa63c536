# Reference values for core/analyses/paired (recipe type "paired_t").
# Run from the repository root:  Rscript tests/reference/r/paired.R
# R 4.2.2 (stats, MASS, jsonlite). Writes tests/data/paired_{sleep,anorexia}.csv (airquality.csv is
# written by describe.R) and tests/reference/paired_{sleep,anorexia,airquality}.json, each table in the
# shape of the Python result table (one row per pair, keyed by var_a, var_b).
suppressMessages(library(jsonlite))
options(warn = 1)
gen <- "tests/reference/r/paired.R"
dir.create("tests/data", showWarnings = FALSE)

one_pair <- function(d, a, b, conf) {
  ok <- !is.na(d[[a]]) & !is.na(d[[b]])          # listwise per pair
  x <- d[[a]][ok]; y <- d[[b]][ok]; dd <- x - y
  tt <- t.test(x, y, paired = TRUE, conf.level = conf / 100)
  ct <- cor.test(x, y)
  w <- wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = TRUE)
  nz <- sum(dd != 0)
  # R's htest holds V and p, not z: z from wilcox.test's own p, signed like V - E(V)
  z <- sign(w$statistic - nz * (nz + 1) / 4) * qnorm(w$p.value / 2, lower.tail = FALSE)
  data.frame(var_a = a, var_b = b, n = sum(ok), mean_a = mean(x), mean_b = mean(y), sd_a = sd(x), sd_b = sd(y),
             mean_diff = unname(tt$estimate), sd_diff = sd(dd), se_diff = unname(tt$stderr),
             ci_low = tt$conf.int[1], ci_high = tt$conf.int[2], t = unname(tt$statistic),
             df = unname(tt$parameter), p = tt$p.value, d_z = mean(dd) / sd(dd),
             r = unname(ct$estimate), r_p = ct$p.value,
             wilcoxon_v = unname(w$statistic), wilcoxon_z = unname(z), wilcoxon_p = w$p.value,
             n_zero = sum(dd == 0))
}

write_ref <- function(name, d, pairs, conf, dataset, what) {
  tests <- do.call(rbind, lapply(pairs, function(p) one_pair(d, p[1], p[2], conf)))
  out <- list(
    source = paste0(R.version.string, ": t.test(x, y, paired = TRUE, conf.level = ", conf / 100,
                    "), cor.test(x, y), wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = TRUE) ",
                    "(wilcoxon_z = sign(V - E V) * qnorm(p / 2, lower.tail = FALSE)); sd(x - y); ",
                    "d_z = mean(x - y) / sd(x - y); listwise per pair; ", what),
    generator = gen,
    dataset = dataset,
    options = list(pairs = lapply(pairs, as.list), conf = conf),
    expected = list(tests = tests),
    tol = list(abs = 1e-9))
  write_json(out, paste0("tests/reference/paired_", name, ".json"), digits = NA, auto_unbox = TRUE,
             pretty = TRUE, dataframe = "rows", na = "null")
}

# sleep (Student 1908) in wide form: extra sleep of the same ten patients under drug 1 and drug 2;
# one zero difference and tied differences (Wilcoxon drops the zero, tie-corrects the variance)
s <- reshape(sleep, direction = "wide", idvar = "ID", timevar = "group")
names(s) <- c("ID", "drug1", "drug2")
write.csv(s, "tests/data/paired_sleep.csv", row.names = FALSE)
write_ref("sleep", s, list(c("drug1", "drug2"), c("drug2", "drug1")), 95, "tests/data/paired_sleep.csv",
          "datasets::sleep reshaped wide (ID, drug1, drug2)")

# MASS::anorexia: weight of 72 young women before and after treatment; 90% CI
data(anorexia, package = "MASS")
write.csv(anorexia, "tests/data/paired_anorexia.csv", row.names = FALSE)
write_ref("anorexia", anorexia, list(c("Prewt", "Postwt")), 90, "tests/data/paired_anorexia.csv",
          paste0("MASS ", packageVersion("MASS"), " anorexia, conf.level 0.90"))

# airquality (written by describe.R): missing values, so each pair has its own listwise rows
write_ref("airquality", airquality, list(c("Ozone", "Solar.R"), c("Wind", "Temp"), c("Ozone", "Temp")), 95,
          "tests/data/airquality.csv", "datasets::airquality, rows with NA dropped per pair")
