# Reference values for the "mediation_steps" analysis (Baron & Kenny 1986; Wen, Chang, Hau & Liu 2004).
# Run from the repository root:  Rscript tests/reference/r/mediation_steps.R
# R 4.2.2; jsonlite 1.8.4.  Data: Hayes' Tal-Or et al. (2010) example (tests/data/process_pmi.csv).
# One sample for all three models (complete cases on x, m, y and covariates); lm() for
#   c: y ~ x + cov;  a: m ~ x + cov;  b: y ~ x + m + cov;
# beta = the coefficient of lm() on z-scored variables (SPSS Beta); first-order Sobel
# z = ab / sqrt(b^2 se_a^2 + a^2 se_b^2); verdict by the 2004 causal-steps procedure at .05:
# c n.s. -> none; a and b significant -> c' decides (significant: partial, else full);
# otherwise the Sobel test decides (significant: c' decides as above, else none).
suppressPackageStartupMessages(library(jsonlite))
d <- read.csv("tests/data/process_pmi.csv")

steps <- function(x, m, y, cov = character(0)) {
  v <- c(x, m, y, cov)
  dd <- d[complete.cases(d[, v]), v]
  z <- as.data.frame(scale(dd))
  specs <- list(c = list(y, c(x, cov)), a = list(m, c(x, cov)), b = list(y, c(x, m, cov)))
  rows <- list(); mods <- list(); fits <- list()
  for (nm in names(specs)) {
    out <- specs[[nm]][[1]]; pr <- specs[[nm]][[2]]
    f <- lm(reformulate(pr, out), dd); fz <- lm(reformulate(pr, out), z)
    cf <- summary(f)$coefficients; s <- summary(f)
    rows[[nm]] <- data.frame(model = nm, outcome = out, term = rownames(cf), b = cf[, 1], se = cf[, 2],
                             beta = c(NA, coef(fz)[-1]), t = cf[, 3], p = cf[, 4], row.names = NULL)
    fs <- s$fstatistic
    mods[[nm]] <- data.frame(model = nm, n = nrow(dd), r2 = s$r.squared, adj_r2 = s$adj.r.squared, f = unname(fs[1]),
                             df1 = unname(fs[2]), df2 = unname(fs[3]),
                             p = unname(pf(fs[1], fs[2], fs[3], lower.tail = FALSE)), row.names = NULL)
    fits[[nm]] <- cf
  }
  a <- fits$a[x, 1]; sa <- fits$a[x, 2]; pa <- fits$a[x, 4]
  b <- fits$b[m, 1]; sb <- fits$b[m, 2]; pb <- fits$b[m, 4]
  cc <- fits$c[x, 1]; pc <- fits$c[x, 4]; cp <- fits$b[x, 1]; pcp <- fits$b[x, 4]
  stopifnot(abs(cc - (cp + a * b)) < 1e-10)
  sz <- a * b / sqrt(b^2 * sa^2 + a^2 * sb^2); sp <- 2 * pnorm(-abs(sz))
  by_cp <- if (pcp < .05) "partial" else "full"
  if (pc >= .05) { verdict <- "none"; decided <- "c" }
  else if (pa < .05 && pb < .05) { verdict <- by_cp; decided <- "ab" }
  else if (sp < .05) { verdict <- by_cp; decided <- "sobel" }
  else { verdict <- "none"; decided <- "sobel" }
  list(options = list(x = x, m = m, y = y, covariates = as.list(cov)),
       steps = do.call(rbind, unname(rows)), models = do.call(rbind, unname(mods)),
       summary = data.frame(a = a, b = b, c = cc, c_prime = cp, indirect = a * b, sobel_z = sz, sobel_p = sp,
                            proportion = a * b / cc, verdict = verdict, decided_by = decided, row.names = NULL))
}

cases <- list(talor = steps("cond", "pmi", "reaction"),
              talor_cov = steps("cond", "pmi", "reaction", c("gender", "age")),
              import = steps("import", "pmi", "reaction"),
              full = steps("cond", "pmi", "import"),
              sobel = steps("pmi", "import", "cond", "age"))
for (nm in names(cases)) cat(nm, cases[[nm]]$summary$verdict, cases[[nm]]$summary$decided_by, "\n")
write_json(list(source = paste0(R.version.string, ": lm() for the three models on one complete-case sample; ",
                                "beta from lm() on scale()d data; first-order Sobel; 2004 causal-steps verdict"),
                generator = "tests/reference/r/mediation_steps.R", dataset = "tests/data/process_pmi.csv",
                options = list(), expected = cases, tol = list(abs = 1e-9)),
           "tests/reference/mediation_steps_pmi.json", digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")

# ---- effect shares of PROCESS model 4 (process option "effects" table, column proportion) ----------------------
# proportion = indirect / total effect, from lm(): a_i = coef of x in lm(m_i ~ x + cov), b_i = coef of m_i in
# lm(y ~ x + m + cov), total c = coef of x in lm(y ~ x + cov); TOTAL = sum of the indirect effects.
share <- function(x, ms, y, cov = character(0)) {
  dd <- d[complete.cases(d[, c(x, ms, y, cov)]), ]
  cc <- coef(lm(reformulate(c(x, cov), y), dd))[[x]]
  fb <- coef(lm(reformulate(c(x, ms, cov), y), dd))
  ind <- sapply(ms, function(m) coef(lm(reformulate(c(x, cov), m), dd))[[x]] * fb[[m]])
  paths <- paste0(x, "->", ms, "->", y)
  if (length(ms) > 1) { paths <- c(paths, "TOTAL"); ind <- c(ind, sum(ind)) }
  list(options = list(model = 4, x = x, m = as.list(ms), y = y, covariates = as.list(cov)),
       effects = data.frame(kind = "indirect", path = paths, moderator = "", moderator_value = NA,
                            effect = unname(ind), proportion = unname(ind) / cc),
       total = cc, direct = fb[[x]])
}
write_json(list(source = paste0(R.version.string, ": lm() path coefficients; indirect a*b; proportion = indirect / total"),
                generator = "tests/reference/r/mediation_steps.R", dataset = "tests/data/process_pmi.csv",
                options = list(), expected = list(one = share("cond", "pmi", "reaction"),
                                                  two = share("cond", c("import", "pmi"), "reaction", "age")),
                tol = list(abs = 1e-9)),
           "tests/reference/process_proportion_pmi.json", digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
