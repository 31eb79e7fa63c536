# Reference values for the describe option "normality" (SPSS EXAMINE's Tests of Normality and skewness/kurtosis z).
# Run from the repository root:  Rscript tests/reference/r/normality.R
# R 4.2.2; nortest 1.0-4; psych 2.2.9; jsonlite 1.8.4.  Data: airquality (tests/data/airquality.csv, written by describe.R)
# and mtcars (tests/data/difference_mtcars.csv).  Each variable on its own valid values:
# nortest::lillie.test (Lilliefors-corrected KS, Dallal-Wilkinson p as SPSS), shapiro.test,
# skew_z = skew / SE, kurtosis_z = kurtosis / SE with psych::describe(type = 2) and the SPSS SE formulas.
suppressPackageStartupMessages({library(nortest); library(psych); library(jsonlite)})
tab <- function(d, vars) do.call(rbind, lapply(vars, function(v) {
  x <- d[[v]]; x <- x[!is.na(x)]; n <- length(x)
  l <- nortest::lillie.test(x); s <- shapiro.test(x); ds <- psych::describe(x, type = 2)
  se_skew <- sqrt(6 * n * (n - 1) / ((n - 2) * (n + 1) * (n + 3)))
  se_kurt <- 2 * se_skew * sqrt((n^2 - 1) / ((n - 3) * (n + 5)))
  data.frame(variable = v, n = n, ks_d = unname(l$statistic), ks_p = l$p.value, sw_w = unname(s$statistic),
             sw_p = s$p.value, skew_z = ds$skew / se_skew, kurtosis_z = ds$kurtosis / se_kurt)
}))
aq <- read.csv("tests/data/airquality.csv"); mt <- read.csv("tests/data/difference_mtcars.csv")
write_json(list(source = paste0(R.version.string, ", nortest ", packageVersion("nortest"), ", psych ", packageVersion("psych"),
                                ": nortest::lillie.test; shapiro.test; psych::describe(type = 2) skew and kurtosis over the SPSS SEs"),
                generator = "tests/reference/r/normality.R",
                dataset = list(airquality = "tests/data/airquality.csv", mtcars = "tests/data/difference_mtcars.csv"),
                options = list(airquality = list(variables = list("Ozone", "Solar.R", "Wind", "Temp"), normality = TRUE),
                               mtcars = list(variables = list("mpg", "hp", "wt", "qsec"), normality = TRUE)),
                expected = list(airquality = tab(aq, c("Ozone", "Solar.R", "Wind", "Temp")),
                                mtcars = tab(mt, c("mpg", "hp", "wt", "qsec"))),
                tol = list(abs = 1e-6)),   # scipy's and R's Shapiro-Wilk p (both Royston 1995) differ by ~1e-9
           "tests/reference/describe_normality.json", digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
cat("done\n")
