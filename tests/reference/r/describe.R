# Reference values for the "describe" analysis (SPSS DESCRIPTIVES conventions:
# SD with n - 1, skewness/kurtosis bias-adjusted = psych::describe(type = 2)).
# Run from the repository root:  Rscript tests/reference/r/describe.R
suppressPackageStartupMessages({library(psych); library(jsonlite)})
dir.create("tests/data", showWarnings = FALSE)
d <- airquality  # has missing values: each variable on its own valid values
write.csv(d, "tests/data/airquality.csv", row.names = FALSE, na = "")
vars <- c("Ozone", "Solar.R", "Wind", "Temp")
s <- psych::describe(d[vars], type = 2)
n <- s$n
se_skew <- sqrt(6 * n * (n - 1) / ((n - 2) * (n + 1) * (n + 3)))
se_kurt <- 2 * se_skew * sqrt((n^2 - 1) / ((n - 3) * (n + 5)))
freq <- table(d$Month)
out <- list(
  source = paste0(R.version.string, ", psych ", packageVersion("psych"),
                  ": psych::describe(airquality[vars], type = 2); SE of skewness/kurtosis by the SPSS formulas; table(Month)"),
  generator = "tests/reference/r/describe.R",
  dataset = "tests/data/airquality.csv",
  options = list(variables = vars, frequencies = list("Month")),
  expected = list(
    variable = vars, n = n, mean = s$mean, sd = s$sd, min = s$min, max = s$max,
    skew = s$skew, kurtosis = s$kurtosis, se_skew = se_skew, se_kurtosis = se_kurt,
    freq_level = names(freq), freq_n = as.integer(freq), freq_percent = as.numeric(100 * freq / sum(freq))),
  tol = list(default = 1e-9))
write_json(out, "tests/reference/describe_airquality.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
