# Reference values for core/analyses/regression.py and correlation.py.
#
#   Rscript tests/reference/r/regression.R      (from the repository root)
#
# Writes tests/data/regression_{mtcars,prestige}.csv and civil_servants_regression.csv
# (reads the committed tests/data/airquality.csv)
# and tests/reference/regression_*.json.  R 4.2.2, car, carData, lmtest,
# sandwich, jsonlite.  Everything is computed by lm / anova / car /
# sandwich / lmtest / predict / cor.test; nothing is copied from Python.
suppressPackageStartupMessages({
  library(car); library(lmtest); library(sandwich); library(jsonlite)
})
dir.create("tests/data", showWarnings = FALSE)
GEN <- "tests/reference/r/regression.R"
VERSIONS <- sprintf("R %s.%s, car %s, sandwich %s, lmtest %s", R.version$major, R.version$minor,
                    packageVersion("car"), packageVersion("sandwich"), packageVersion("lmtest"))

# ---- one hierarchical regression -------------------------------------------------
# blocks: list of character vectors; factors: list(var = reference value);
# labels: list(var = c(code = "label")) for value labels; scenarios: list of
# list(name =, values = list(var = value)) with factor values given as codes.
fit_case <- function(d, outcome, blocks, factors = list(), labels = list(), robust = FALSE,
                     standardized = FALSE, scenarios = list()) {
  vars <- unlist(blocks)
  d <- d[complete.cases(d[, c(outcome, vars)]), c(outcome, vars), drop = FALSE]
  lab_of <- function(v, codes) {
    if (!is.null(labels[[v]])) unname(labels[[v]][as.character(codes)]) else as.character(codes)
  }
  for (v in names(factors)) {
    lv <- sort(unique(d[[v]]))
    f <- factor(as.character(d[[v]]), levels = as.character(lv), labels = lab_of(v, lv))
    d[[v]] <- relevel(f, ref = lab_of(v, factors[[v]]))
  }
  raw <- d
  if (standardized) {
    for (v in c(outcome, vars)) if (!is.factor(d[[v]])) d[[v]] <- as.numeric(scale(d[[v]]))
  }
  term_names <- function(m) {
    mm <- model.matrix(m)
    asg <- attr(mm, "assign")
    labs <- attr(terms(m), "term.labels")
    sapply(seq_along(asg), function(j) {
      if (asg[j] == 0) return("(Intercept)")
      v <- labs[asg[j]]
      if (is.factor(m$model[[v]])) paste0(v, "[", substring(colnames(mm)[j], nchar(v) + 1), "]") else v
    })
  }
  vc <- function(m) if (robust) vcovHC(m, type = "HC3") else vcov(m)
  models <- list(); steps <- list(); coefs <- list(); car_vif <- list()
  for (s in seq_along(blocks)) {
    f <- reformulate(unlist(blocks[1:s]), response = outcome)
    m <- lm(f, data = d)
    models[[s]] <- m
    sm <- summary(m)
    V <- vc(m)
    if (robust) {
      w <- waldtest(m, vcov = V, test = "F")           # against the intercept-only model
      Fm <- w$F[2]; df1 <- abs(w$Df[2]); pm <- w[["Pr(>F)"]][2]
    } else {
      Fm <- unname(sm$fstatistic[1]); df1 <- unname(sm$fstatistic[2])
      pm <- pf(Fm, df1, sm$fstatistic[3], lower.tail = FALSE)
    }
    if (s == 1) {
      r2c <- sm$r.squared; Fc <- Fm; dfc <- df1; pc <- pm
    } else {
      prev <- models[[s - 1]]
      r2c <- sm$r.squared - summary(prev)$r.squared
      if (robust) {
        w <- waldtest(prev, m, vcov = V, test = "F")
        Fc <- w$F[2]; dfc <- abs(w$Df[2]); pc <- w[["Pr(>F)"]][2]
      } else {
        a <- anova(prev, m)
        Fc <- a$F[2]; dfc <- a$Df[2]; pc <- a[["Pr(>F)"]][2]
      }
    }
    steps[[s]] <- data.frame(step = s, n = nobs(m), r2 = sm$r.squared, adj_r2 = sm$adj.r.squared, f = Fm,
                             df1 = df1, df2 = df.residual(m), p = pm, r2_change = r2c, f_change = Fc,
                             df1_change = dfc, df2_change = df.residual(m), p_change = pc,
                             durbin_watson = durbinWatsonTest(residuals(m)), row.names = NULL)
    ct <- coeftest(m, vcov = V)                       # t on the residual df
    ci <- coefci(m, vcov = V)
    mm <- model.matrix(m)
    y <- model.response(model.frame(m))
    X <- mm[, -1, drop = FALSE]
    vif_all <- if (ncol(X) > 1) diag(solve(cor(X))) else 1
    beta <- coef(m)[-1] * apply(X, 2, sd) / sd(y)
    coefs[[s]] <- data.frame(step = s, term = term_names(m), b = unname(coef(m)), se = ct[, 2], t = ct[, 3],
                             p = ct[, 4], ci_low = ci[, 1], ci_high = ci[, 2],
                             beta = c(NA, unname(beta)), vif = c(NA, unname(vif_all)),
                             tolerance = c(NA, 1 / unname(vif_all)), row.names = NULL)
    # car::vif for the 1-df terms (it reports GVIF for factors with > 2 levels)
    if (length(attr(terms(m), "term.labels")) > 1) {
      cv <- car::vif(m)
      if (is.matrix(cv)) cv <- cv[cv[, "Df"] == 1, "GVIF"]
      labs <- attr(terms(m), "term.labels")
      for (v in names(cv)) {
        tn <- if (is.factor(m$model[[v]])) paste0(v, "[", levels(m$model[[v]])[2], "]") else v
        car_vif[[length(car_vif) + 1]] <- data.frame(step = s, term = tn, vif = unname(cv[v]))
      }
    }
  }
  # what-if: the final step in original units
  fr <- reformulate(vars, response = outcome)
  m <- lm(fr, data = raw)
  V <- vc(m)
  mm <- model.matrix(m)
  tn <- term_names(m)
  q <- qt(0.975, df.residual(m))
  sigma2 <- summary(m)$sigma^2
  x_of <- function(values) {
    x <- colMeans(mm)
    for (v in names(values)) {
      if (is.factor(raw[[v]])) {
        cols <- which(startsWith(tn, paste0(v, "[")))
        x[cols] <- 0
        lab <- lab_of(v, values[[v]])
        hit <- which(tn == paste0(v, "[", lab, "]"))
        x[hit] <- 1
      } else x[which(tn == v)] <- values[[v]]
    }
    x
  }
  pred_row <- function(name, values) {
    x <- x_of(values)
    fit <- sum(x * coef(m)); se <- sqrt(drop(t(x) %*% V %*% x)); sp <- sqrt(se^2 + sigma2)
    data.frame(scenario = name, prediction = fit, ci_low = fit - q * se, ci_high = fit + q * se,
               pi_low = fit - q * sp, pi_high = fit + q * sp)
  }
  scen <- list(pred_row("baseline", list()))
  for (sc in scenarios) scen[[length(scen) + 1]] <- pred_row(sc$name, sc$values)
  scen <- do.call(rbind, scen)
  # cross-check the closed form against predict() where every predictor is set
  if (!robust) for (sc in scenarios) {
    if (all(vars %in% names(sc$values))) {
      nd <- as.data.frame(lapply(vars, function(v) {
        if (is.factor(raw[[v]])) factor(lab_of(v, sc$values[[v]]), levels = levels(raw[[v]])) else sc$values[[v]]
      }))
      names(nd) <- vars
      pc <- predict(m, nd, interval = "confidence"); pp <- predict(m, nd, interval = "prediction")
      r <- scen[scen$scenario == sc$name, ]
      stopifnot(isTRUE(all.equal(c(r$prediction, r$ci_low, r$ci_high, r$pi_low, r$pi_high),
                                 unname(c(pc[1, ], pp[1, 2:3])), tolerance = 1e-10)))
    }
  }
  lev <- list()
  for (v in vars) {
    if (is.factor(raw[[v]])) next
    j <- which(tn == v)
    b <- coef(m)[j]; se <- sqrt(V[j, j])
    for (ch in c("1 point", "1 SD")) {
      dlt <- if (ch == "1 point") 1 else sd(raw[[v]])
      lev[[length(lev) + 1]] <- data.frame(predictor = v, change = ch, delta = unname(b * dlt),
                                           ci_low = unname((b - q * se) * dlt), ci_high = unname((b + q * se) * dlt))
    }
  }
  list(n = nrow(d), steps = do.call(rbind, steps), coefficients = do.call(rbind, coefs),
       car_vif = if (length(car_vif)) do.call(rbind, car_vif) else NULL,
       scenarios = scen, levers = do.call(rbind, lev))
}

write_ref <- function(name, source, dataset, cases, extra = list()) {
  out <- c(list(source = source, generator = GEN, dataset = dataset), extra,
           list(expected = cases, tol = list(default = 1e-6)))
  write_json(out, file.path("tests/reference", paste0("regression_", name, ".json")), digits = NA,
             auto_unbox = TRUE, pretty = TRUE, na = "null", null = "null")
}

# ---- mtcars ----------------------------------------------------------------------
mt <- mtcars
mt$car <- rownames(mtcars)
mt <- mt[, c("car", setdiff(names(mt), "car"))]
write.csv(mt, "tests/data/regression_mtcars.csv", row.names = FALSE)
mt_blocks <- list(c("wt", "hp"), c("qsec", "cyl"))
mt_scen <- list(list(name = "light", values = list(wt = 2.5)),
                list(name = "eight cylinders", values = list(cyl = 8, qsec = 17)),
                list(name = "all set", values = list(wt = 3, hp = 150, qsec = 18, cyl = 6)))
mt_opts <- function(robust = NULL, standardized = FALSE) {
  o <- list(outcome = "mpg", blocks = lapply(mt_blocks, I), categorical = list(cyl = 4), standardized = standardized,
            scenarios = mt_scen)
  if (!is.null(robust)) o$robust <- robust
  o
}
mt_fit <- function(...) fit_case(mtcars, "mpg", mt_blocks, factors = list(cyl = 4), scenarios = mt_scen, ...)
write_ref("mtcars",
          paste(VERSIONS, ": lm(mpg ~ wt + hp) then lm(mpg ~ wt + hp + qsec + factor(cyl)) [cyl ref 4];",
                "anova() F-change; car::vif & diag(solve(cor(X))); coeftest/coefci with vcovHC(type='HC3');",
                "waldtest(..., vcov = vcovHC(big, 'HC3')) for robust F; durbinWatsonTest(residuals(m));",
                "beta = b*sd(x)/sd(y); predict(interval = 'confidence'/'prediction')"),
          "tests/data/regression_mtcars.csv",
          list(classical = c(list(options = mt_opts()), mt_fit()),
               hc3 = c(list(options = mt_opts("HC3")), mt_fit(robust = TRUE)),
               standardized = c(list(options = mt_opts(standardized = TRUE)), mt_fit(standardized = TRUE))))

# ---- carData::Prestige: a text categorical predictor with missing values ------------
pr <- carData::Prestige
pr$occupation <- rownames(pr)
pr <- pr[, c("occupation", "education", "income", "women", "prestige", "census", "type")]
write.csv(pr, "tests/data/regression_prestige.csv", row.names = FALSE, na = "")
pr_blocks <- list(c("education", "income", "women"), c("type"))
pr_scen <- list(list(name = "white collar", values = list(type = "wc")),
                list(name = "more education", values = list(education = 14, type = "bc")))
pr_opts <- function(robust = NULL) {
  o <- list(outcome = "prestige", blocks = lapply(pr_blocks, I), categorical = list(type = "prof"), scenarios = pr_scen)
  if (!is.null(robust)) o$robust <- robust
  o
}
prd <- carData::Prestige
prd$type <- as.character(prd$type)
pr_fit <- function(...) fit_case(prd, "prestige", pr_blocks, factors = list(type = "prof"), scenarios = pr_scen, ...)
write_ref("prestige",
          paste(VERSIONS, ": carData::Prestige, lm(prestige ~ education + income + women) then + type",
                "[relevel(type, 'prof')], complete cases over all blocks; as mtcars"),
          "tests/data/regression_prestige.csv",
          list(classical = c(list(options = pr_opts()), pr_fit()),
               hc3 = c(list(options = pr_opts("HC3")), pr_fit(robust = TRUE))))

# ---- civil servants sample (scored here from the items) ----------------------------
cs <- read.csv("sample_data/civil_servants.csv")
book <- fromJSON("sample_data/civil_servants.codebook.json", simplifyVector = FALSE)
for (v in names(cs)) cs[[v]][cs[[v]] %in% unlist(book$missing_codes)] <- NA
score <- function(sc) {
  x <- as.matrix(cs[, unlist(sc$items), drop = FALSE])
  for (r in unlist(sc$reverse)) x[, r] <- sc$min + sc$max - x[, r]
  k <- rowSums(!is.na(x))
  ifelse(k >= sc$min_items, rowMeans(x, na.rm = TRUE), NA)
}
for (sc in book$scales) cs[[sc$name]] <- score(sc)
demo <- unlist(book$roles$demographics)
csv <- cs[, c("id", demo, "OC", "PO", "FE", "CD", "RC", "WP")]
write.csv(csv, "tests/data/civil_servants_regression.csv", row.names = FALSE, na = "")
cs_factors <- list(gender = 1, major = 4, marital = 2, hometown = 1)
cs_labels <- lapply(setNames(names(cs_factors), names(cs_factors)), function(v) {
  vals <- book$variables[[v]]$values
  setNames(vapply(vals, function(l) l$en, ""), names(vals))
})
cs_blocks <- list(c("gender", "age", "education", "major", "marital", "hometown"), c("OC", "PO", "FE", "CD", "RC"))
cs_scen <- list(list(name = "better career development", values = list(CD = 2.5)),
                list(name = "less role conflict", values = list(RC = 2, marital = 1)))
cs_opts <- function(robust = NULL) {
  o <- list(outcome = "WP", blocks = lapply(cs_blocks, I),
            categorical = list(gender = 1, major = "Other", marital = 2, hometown = "Local"),
            scenarios = cs_scen)
  if (!is.null(robust)) o$robust <- robust
  o
}
cs_fit <- function(...) fit_case(csv, "WP", cs_blocks, factors = cs_factors, labels = cs_labels,
                                 scenarios = cs_scen, ...)
write_ref("civil_servants",
          paste(VERSIONS, ": sample_data/civil_servants.csv scored in R (99 = missing, reverse OC3/WP_ps3,",
                "mean of items when min_items answered); lm(WP ~ demographics) then + OC + PO + FE + CD + RC;",
                "factors with value labels; as mtcars"),
          "tests/data/civil_servants_regression.csv",
          list(classical = c(list(options = cs_opts()), cs_fit()),
               hc3 = c(list(options = cs_opts("HC3")), cs_fit(robust = TRUE))),
          extra = list(value_labels = lapply(cs_labels, as.list)))

# ---- correlations --------------------------------------------------------------------
cor_case <- function(d, vars, method, missing) {
  if (missing == "listwise") d <- d[complete.cases(d[, vars]), vars]
  rows <- list()
  for (i in seq_along(vars)) for (j in seq_along(vars)) if (i < j) {
    x <- d[[vars[i]]]; y <- d[[vars[j]]]
    ok <- !is.na(x) & !is.na(y)
    ct <- suppressWarnings(cor.test(x[ok], y[ok], method = method, exact = FALSE))
    rows[[length(rows) + 1]] <- data.frame(var_a = vars[i], var_b = vars[j], r = unname(ct$estimate),
                                           p = ct$p.value, n = sum(ok))
  }
  desc <- do.call(rbind, lapply(vars, function(v) {
    x <- d[[v]][!is.na(d[[v]])]
    data.frame(variable = v, n = length(x), mean = mean(x), sd = sd(x))
  }))
  list(options = list(variables = vars, method = method, missing = missing),
       matrix = do.call(rbind, rows), descriptives = desc)
}
aq <- read.csv("tests/data/airquality.csv")  # committed by tests/reference/r/describe.R
aq_vars <- c("Ozone", "Solar.R", "Wind", "Temp")
cs_vars <- c("OC", "PO", "FE", "CD", "RC", "WP")
out <- list(source = paste0("R ", R.version$major, ".", R.version$minor,
                            ": cor.test(x, y, method = 'pearson' | 'spearman', exact = FALSE) on each pair's ",
                            "complete rows (pairwise) or the complete rows of all variables (listwise); mean, sd"),
            generator = GEN, dataset = "tests/data/airquality.csv; tests/data/civil_servants_regression.csv",
            expected = list(
              aq_pearson_pairwise = c(list(data = "tests/data/airquality.csv"), cor_case(aq, aq_vars, "pearson", "pairwise")),
              aq_spearman_pairwise = c(list(data = "tests/data/airquality.csv"), cor_case(aq, aq_vars, "spearman", "pairwise")),
              aq_pearson_listwise = c(list(data = "tests/data/airquality.csv"), cor_case(aq, aq_vars, "pearson", "listwise")),
              aq_spearman_listwise = c(list(data = "tests/data/airquality.csv"), cor_case(aq, aq_vars, "spearman", "listwise")),
              cs_pearson_pairwise = c(list(data = "tests/data/civil_servants_regression.csv"),
                                      cor_case(csv, cs_vars, "pearson", "pairwise")),
              cs_spearman_listwise = c(list(data = "tests/data/civil_servants_regression.csv"),
                                       cor_case(csv, cs_vars, "spearman", "listwise"))),
            tol = list(default = 1e-6, mean = 1e-9, sd = 1e-9))
write_json(out, "tests/reference/regression_correlation.json", digits = NA, auto_unbox = TRUE, pretty = TRUE,
           na = "null", null = "null")
cat("written\n")
