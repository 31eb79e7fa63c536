# Reference values for the "process" analysis (tests/test_process.py).
#
#   Rscript tests/reference/r/process.R        (from the repository root)
#
# An independent restatement of Hayes' PROCESS models in R: every equation is
# an R formula fitted with lm(); SEs from vcov() or sandwich::vcovHC(type =
# "HC0".."HC4"); model and interaction F tests from summary()/anova() or, with
# an HC covariance, lmtest::waldtest(); conditional effects from the
# coefficient gradient and vcov; Johnson–Neyman boundaries by uniroot() on
# t(w)^2 - t_crit^2 over a fine grid (not the closed-form quadratic);
# moderator values by quantile(type = 6) or mean ± SD; indirect effects as
# products of coefficients; a plain bootstrap with boot::boot for the
# Monte-Carlo comparison.
#
# Data: psych::Tal_Or (Tal-Or, Cohen, Tsfati & Gunther 2010: Hayes' "pmi"
# data), psych::Garcia (Garcia, Schmitt, Branscombe & Ellemers 2010: Hayes'
# "protest" data), and the role_pressure sample survey (scored here from
# sample_data/role_pressure.csv: 99 = missing, PS1/PS3/PS5 reversed as 6 - x,
# scale = mean of all items, missing if any item is missing).
suppressMessages({
  library(sandwich); library(lmtest); library(jsonlite); library(psych); library(boot); library(car)
})

out_dir <- "tests/reference"
dir.create("tests/data", showWarnings = FALSE)

strip <- function(d) { d <- as.data.frame(lapply(d, function(v) as.numeric(v))); d }
pmi <- strip(psych::Tal_Or)
protest <- strip(psych::Garcia)
write.csv(pmi, "tests/data/process_pmi.csv", row.names = FALSE)
write.csv(protest, "tests/data/process_protest.csv", row.names = FALSE)

raw <- read.csv("sample_data/role_pressure.csv")
raw[raw == 99] <- NA
score <- function(items, rev = character()) {
  x <- raw[, items]
  for (r in rev) x[[r]] <- 6 - x[[r]]
  rowMeans(x)                       # NA when any item is missing (min_items = all items)
}
rp <- data.frame(
  RP = score(c(paste0("RA", 1:4), paste0("RCF", 1:4), paste0("RO", 1:4))),
  PS = score(paste0("PS", 1:7), c("PS1", "PS3", "PS5")),
  EMC = score(paste0("EMC", 1:6)),
  WW = score(paste0("WW", 1:8)),
  gender = raw$gender, age = raw$age)

# ---- PROCESS templates restated: R formulas per equation -----------------------
# returns list of list(outcome, terms) ; terms use ":" for products, role order X, M..., W, Z
equations <- function(model, x, m, w, z, y) {
  ex <- function(f, mods) unlist(lapply(mods, function(s) c(s, paste0(f, ":", s))))
  a <- list(); b <- list(); cp <- character()
  mod <- switch(as.character(model),
    "1" = list(c = w), "2" = list(c = c(w, z)), "3" = list(c = "WZ"), "4" = list(), "5" = list(c = w),
    "6" = list(), "7" = list(a = w), "8" = list(a = w, c = w), "14" = list(b = w), "15" = list(b = w, c = w),
    "58" = list(a = w, b = w), "59" = list(a = w, b = w, c = w))
  three <- function(f) c(w, z, paste0(f, ":", w), paste0(f, ":", z), paste0(w, ":", z), paste0(f, ":", w, ":", z))
  eqs <- list()
  for (i in seq_along(m)) {
    tr <- x
    if (model == 6 && i > 1) tr <- c(tr, m[1:(i - 1)])
    if (!is.null(mod$a)) tr <- c(tr, ex(x, mod$a))
    eqs[[length(eqs) + 1]] <- list(outcome = m[i], terms = tr)
  }
  tr <- c(x, m)
  if (!is.null(mod$c)) tr <- c(tr, if (identical(mod$c, "WZ")) three(x) else ex(x, mod$c))
  for (mm in m) if (!is.null(mod$b)) tr <- c(tr, ex(mm, mod$b))
  tr <- unique(tr)
  ord <- sapply(strsplit(tr, ":"), length)
  eqs[[length(eqs) + 1]] <- list(outcome = y, terms = tr[order(ord, seq_along(tr))])
  if (model %in% c(4, 6)) eqs[[length(eqs) + 1]] <- list(outcome = y, terms = x, total = TRUE)
  eqs
}

rename <- function(nm, factors) {
  sapply(nm, function(s) {
    if (s == "(Intercept)") return("constant")
    parts <- strsplit(s, ":")[[1]]
    parts <- sapply(parts, function(p) {
      for (f in factors) if (startsWith(p, f) && nchar(p) > nchar(f)) return(paste0(f, "[", substring(p, nchar(f) + 1), "]"))
      p
    })
    paste(parts, collapse = "*")
  }, USE.NAMES = FALSE)
}

vc_of <- function(fit, hc) if (is.null(hc)) vcov(fit) else vcovHC(fit, type = hc)

# value of one coefficient-name piece at a moderator point
piece_value <- function(p, point, factors) {
  for (f in factors) if (startsWith(p, f) && nchar(p) > nchar(f) && !is.null(point[[f]])) {
    return(as.numeric(point[[f]] == substring(p, nchar(f) + 1)))
  }
  if (!is.null(point[[p]])) return(point[[p]])
  stop(paste("no value for", p))
}

gradient <- function(cn, focal_piece, point, factors) {
  sapply(cn, function(s) {
    parts <- strsplit(s, ":")[[1]]
    if (!(focal_piece %in% parts)) return(0)
    others <- parts[parts != focal_piece]
    if (length(others) == 0) return(1)
    prod(sapply(others, piece_value, point = point, factors = factors))
  })
}

mod_values <- function(v, conditioning) {
  u <- sort(unique(v))
  if (length(u) == 2) return(u)
  if (conditioning == "mean_sd") {
    vals <- mean(v) + c(-1, 0, 1) * sd(v)
    vals[1] <- max(vals[1], min(v)); vals[3] <- min(vals[3], max(v))
    return(vals)
  }
  unname(quantile(v, c(.16, .5, .84), type = 6))
}

run_case <- function(data, opts) {
  model <- opts[["model"]]; x <- opts[["x"]]; y <- opts[["y"]]; m <- unlist(opts[["m"]]); w <- opts[["w"]]; z <- opts[["z"]]
  covs <- unlist(opts[["covariates"]]); covin <- if (is.null(opts[["covariates_in"]])) "all" else opts[["covariates_in"]]
  hc <- opts[["hc"]]; conf <- if (is.null(opts[["conf"]])) 95 else opts[["conf"]]
  conditioning <- if (is.null(opts[["conditioning"]])) "percentiles" else opts[["conditioning"]]
  center <- if (is.null(opts[["center"]])) "none" else opts[["center"]]
  cats <- opts[["categorical"]]
  vars <- c(x, m, w, z, y, covs)
  d <- data[complete.cases(data[, vars]), vars, drop = FALSE]
  n <- nrow(d)
  factors <- character()
  for (f in names(cats)) {
    d[[f]] <- relevel(factor(d[[f]]), ref = as.character(cats[[f]]))
    factors <- c(factors, f)
  }
  eqs <- equations(model, x, m, w, z, y)
  prod_vars <- unique(unlist(lapply(eqs, function(e) unlist(strsplit(e$terms[grepl(":", e$terms)], ":")))))
  if (center != "none") for (v in prod_vars) {
    if (v %in% factors) next                     # (indicator centring not exercised here)
    if (center == "all" || length(unique(d[[v]])) > 2) d[[v]] <- d[[v]] - mean(d[[v]])
  }
  tc <- qt(0.5 + conf / 200, df = 1)             # placeholder, set per fit
  res <- list(models = list(), coefficients = list(), interaction_tests = list(), conditional_effects = list(),
              johnson_neyman = list(), effects = list(), sobel = list(), index = list(), mod_values = list(),
              omnibus = list(), conditional_interactions = list())
  fits <- list()
  mv <- list()
  for (r in c(w, z)) if (!is.null(r)) {
    if (r %in% factors) mv[[r]] <- levels(d[[r]]) else mv[[r]] <- mod_values(d[[r]], conditioning)
    res$mod_values[[r]] <- mv[[r]]
  }
  for (e in eqs) {
    tot <- isTRUE(e$total)
    label <- if (tot) paste0(e$outcome, " (total)") else e$outcome
    terms <- e$terms
    use_cov <- length(covs) > 0 && (covin == "all" || (covin == "m") == (e$outcome %in% m))
    if (use_cov) terms <- c(terms, covs)
    f <- as.formula(paste(e$outcome, "~", paste(terms, collapse = " + ")))
    fit <- lm(f, data = d)
    fits[[label]] <- fit
    V <- vc_of(fit, hc)
    b <- coef(fit); se <- sqrt(diag(V)); df2 <- fit$df.residual
    tcrit <- qt(0.5 + conf / 200, df2)
    tt <- b / se
    cf <- data.frame(
      equation = label, term = rename(names(b), factors), b = unname(b), se = unname(se), t = unname(tt),
      p = unname(2 * pt(-abs(tt), df2)), ci_low = unname(b - tcrit * se), ci_high = unname(b + tcrit * se))
    if (isTRUE(opts[["standardized"]]) && length(factors) == 0) {
      # standardized coefficients: the regression of scale(y) on every design column scale()d, a column
      # with two distinct values left as it is (partially, Y-standardized); none for the constant
      mm <- model.matrix(fit)
      zcols <- sapply(seq_len(ncol(mm))[-1], function(j) {
        v <- mm[, j]; if (length(unique(v)) == 2) v else as.numeric(scale(v)) })
      sfit <- lm(as.numeric(scale(d[[e$outcome]])) ~ zcols)
      cf$std_b <- c(NA, unname(coef(sfit)[-1]))
    }
    res$coefficients[[length(res$coefficients) + 1]] <- cf
    s <- summary(fit)
    if (is.null(hc)) {
      fs <- s$fstatistic; F <- unname(fs[1]); df1 <- unname(fs[2])
    } else {
      wt <- waldtest(fit, vcov = function(o) vcovHC(o, type = hc), test = "F")
      F <- wt$F[2]; df1 <- abs(wt$Df[2])
    }
    res$models[[length(res$models) + 1]] <- data.frame(
      equation = label, n = n, r = sqrt(s$r.squared), r2 = s$r.squared, mse = s$sigma^2, f = F, df1 = df1,
      df2 = df2, p = pf(F, df1, df2, lower.tail = FALSE))
    # highest-order interactions
    tl <- attr(terms(fit), "term.labels")
    ordr <- sapply(strsplit(tl, ":"), length)
    top <- if (length(ordr)) max(ordr) else 1
    tests <- if (top > 1) as.list(tl[ordr == top]) else list()
    if (length(tests) > 1) tests[[length(tests) + 1]] <- unlist(tests)
    for (tst in tests) {
      red <- update(fit, as.formula(paste(". ~ . -", paste(tst, collapse = " - "))))
      if (is.null(hc)) {
        a <- anova(red, fit); Fi <- a$F[2]; d1 <- a$Df[2]
      } else {
        wt <- waldtest(fit, red, vcov = function(o) vcovHC(o, type = hc), test = "F"); Fi <- wt$F[2]; d1 <- abs(wt$Df[2])
      }
      nm <- if (length(tst) > 1) (if (length(tst) == 2) "BOTH" else "ALL") else rename(gsub(":", ":", tst), factors)
      nm <- gsub(":", "*", nm)
      res$interaction_tests[[length(res$interaction_tests) + 1]] <- data.frame(
        equation = label, term = nm, r2_change = s$r.squared - summary(red)$r.squared, f = Fi, df1 = d1,
        df2 = df2, p = pf(Fi, d1, df2, lower.tail = FALSE))
    }
    # omnibus tests of a multicategorical X's total and direct effect (mediation models): anova() of the
    # nested models, or lmtest::waldtest() on the HC covariance
    if (x %in% factors && length(m) && (tot || e$outcome == y)) {
      red <- update(fit, as.formula(paste(". ~ . -", x)))
      if (is.null(hc)) {
        a <- anova(red, fit); Fo <- a$F[2]; d1 <- a$Df[2]
      } else {
        wt <- waldtest(fit, red, vcov = function(o) vcovHC(o, type = hc), test = "F"); Fo <- wt$F[2]; d1 <- abs(wt$Df[2])
      }
      res$omnibus[[length(res$omnibus) + 1]] <- data.frame(
        equation = label, kind = if (tot) "total" else "direct", focal = x, moderator = "", moderator_value = NA,
        r2_change = s$r.squared - summary(red)$r.squared, f = Fo, df1 = d1, df2 = df2,
        p = pf(Fo, d1, df2, lower.tail = FALSE))
    }
    if (tot) next
    # model 3: the X*W interaction conditional on Z, by refitting with Z shifted to each of its values (the
    # X:W coefficient is then the conditional interaction); Johnson–Neyman along Z by root finding
    if (model == 3 && e$outcome == y) {
      xw <- paste0(x, ":", w); xwz <- paste0(x, ":", w, ":", z)
      for (zv in mv[[z]]) {
        d2 <- d; d2[[z]] <- d[[z]] - zv
        f2 <- lm(formula(fit), data = d2); V2 <- vc_of(f2, hc)
        est <- unname(coef(f2)[xw]); se2 <- sqrt(V2[xw, xw]); Fv <- (est / se2)^2
        res$conditional_interactions[[length(res$conditional_interactions) + 1]] <- data.frame(
          equation = label, term = paste0(x, "*", w), moderator = z, moderator_value = as.character(zv),
          effect = est, se = se2, f = Fv, df1 = 1, df2 = df2, p = pf(Fv, 1, df2, lower.tail = FALSE))
      }
      if (length(unique(d[[z]])) > 2) {
        tfun <- function(zv) {
          (b[xw] + zv * b[xwz])^2 / (V[xw, xw] + 2 * zv * V[xw, xwz] + zv^2 * V[xwz, xwz]) - tcrit^2
        }
        lo <- min(d[[z]]); hi <- max(d[[z]])
        gz <- seq(lo, hi, length.out = 2001)
        gv <- sapply(gz, tfun)
        for (k in which(diff(sign(gv)) != 0)) {
          rt <- uniroot(tfun, c(gz[k], gz[k + 1]), tol = 1e-12)$root
          res$johnson_neyman[[length(res$johnson_neyman) + 1]] <- data.frame(
            equation = label, focal = paste0(x, "*", w), moderator = z, boundary = rt)
        }
      }
    }
    # conditional effects of X (and M in the Y equation)
    focals <- c(x, if (e$outcome == y) m)
    for (fv in focals) {
      pieces <- if (fv %in% factors) paste0(fv, levels(d[[fv]])[-1]) else fv
      prods <- strsplit(tl[grepl(":", tl)], ":")
      mods <- unique(unlist(lapply(prods, function(p) if (fv %in% p) setdiff(p, fv))))
      mods <- intersect(c(w, z), mods)
      if (length(mods) == 0) next
      grid <- expand.grid(lapply(mods, function(r) mv[[r]]), stringsAsFactors = FALSE)
      names(grid) <- mods
      # multicategorical X: test of equality of conditional means at each moderator value — refit with the
      # moderator shifted to the value; R² change = R² lost when the X indicators are then dropped (nested OLS
      # fit); F from those nested fits, or car::linearHypothesis() on the HC covariance
      if (fv %in% factors && length(mods) == 1) {
        for (wv in mv[[mods]]) {
          d2 <- d; d2[[mods]] <- d[[mods]] - wv
          f2 <- lm(formula(fit), data = d2)
          mm <- model.matrix(f2); yy <- d2[[e$outcome]]
          xc <- which(colnames(mm) %in% pieces)
          red <- lm.fit(mm[, -xc, drop = FALSE], yy)
          r2f <- summary(f2)$r.squared
          r2r <- 1 - sum(red$residuals^2) / sum((yy - mean(yy))^2)
          if (is.null(hc)) {
            Fc <- ((r2f - r2r) / length(xc)) / ((1 - r2f) / df2)
          } else {
            Fc <- car::linearHypothesis(f2, colnames(mm)[xc], vcov. = vcovHC(f2, type = hc), test = "F")$F[2]
          }
          res$omnibus[[length(res$omnibus) + 1]] <- data.frame(
            equation = label, kind = "conditional_means", focal = fv, moderator = mods, moderator_value = wv,
            r2_change = r2f - r2r, f = Fc, df1 = length(xc), df2 = df2, p = pf(Fc, length(xc), df2, lower.tail = FALSE))
        }
      }
      for (pc in pieces) {
        for (g in seq_len(nrow(grid))) {
          point <- as.list(grid[g, , drop = FALSE])
          L <- gradient(names(b), pc, point, factors)
          est <- sum(L * b); sev <- sqrt(drop(t(L) %*% V %*% L))
          res$conditional_effects[[length(res$conditional_effects) + 1]] <- data.frame(
            equation = label, focal = rename(pc, factors), moderator = mods[1],
            moderator_value = as.character(point[[1]]),
            moderator2_value = if (length(mods) > 1) as.numeric(point[[2]]) else NA,
            effect = est, se = sev, t = est / sev, p = 2 * pt(-abs(est / sev), df2),
            ci_low = est - tcrit * sev, ci_high = est + tcrit * sev)
        }
        # Johnson–Neyman by root finding
        if (length(mods) == 1 && !(mods %in% factors) && length(unique(d[[mods]])) > 2) {
          tfun <- function(wv) {
            pt_ <- list(); pt_[[mods]] <- wv
            L <- gradient(names(b), pc, pt_, factors)
            (sum(L * b))^2 / drop(t(L) %*% V %*% L) - tcrit^2
          }
          lo <- min(d[[mods]]); hi <- max(d[[mods]])
          gw <- seq(lo, hi, length.out = 2001)
          gv <- sapply(gw, tfun)
          for (k in which(diff(sign(gv)) != 0)) {
            rt <- uniroot(tfun, c(gw[k], gw[k + 1]), tol = 1e-12)$root
            res$johnson_neyman[[length(res$johnson_neyman) + 1]] <- data.frame(
              equation = label, focal = rename(pc, factors), moderator = mods, boundary = rt)
          }
        }
      }
    }
  }
  # effects of mediation models (per indicator of a multicategorical X: relative effects)
  if (length(m)) {
    fy <- fits[[y]]; by <- coef(fy); Vy <- vc_of(fy, hc)
    xpieces <- if (x %in% factors) paste0(x, levels(d[[x]])[-1]) else x
    link <- function(from, to, point) {
      f <- fits[[to]]
      sum(gradient(names(coef(f)), from, point, factors) * coef(f))
    }
    wpts <- if (!is.null(w) && model >= 5) mv[[w]] else NA
    mod_link <- function(from, to) {
      if (from %in% xpieces) from <- x
      tl <- attr(terms(fits[[to]]), "term.labels")
      any(sapply(strsplit(tl, ":"), function(p) from %in% p && !is.null(w) && w %in% p))
    }
    for (xp in xpieces) {
      xname <- rename(xp, factors)
      if (model %in% c(4, 6)) {
        ft <- fits[[paste0(y, " (total)")]]
        bt <- coef(ft)[xp]; st <- sqrt(vc_of(ft, hc)[xp, xp]); dft <- ft$df.residual
        res$effects[[length(res$effects) + 1]] <- data.frame(kind = "total", path = paste0(xname, "->", y),
          moderator_value = NA, effect = unname(bt), se = unname(st), p = unname(2 * pt(-abs(bt / st), dft)))
      }
      dmod <- mod_link(x, y)
      for (wv in (if (dmod) wpts else NA)) {
        pt_ <- list(); if (dmod) pt_[[w]] <- wv
        L <- gradient(names(by), xp, pt_, factors)
        est <- sum(L * by); sev <- sqrt(drop(t(L) %*% Vy %*% L))
        res$effects[[length(res$effects) + 1]] <- data.frame(kind = "direct", path = paste0(xname, "->", y),
          moderator_value = wv, effect = est, se = sev, p = 2 * pt(-abs(est / sev), fy$df.residual))
      }
      paths <- if (model == 6) unlist(lapply(seq_along(m), function(k) combn(m, k, simplify = FALSE)), recursive = FALSE)
               else lapply(m, function(mm) mm)
      for (pth in paths) {
        seqr <- c(xp, pth, y)
        moderated <- any(sapply(seq_len(length(seqr) - 1), function(k) mod_link(seqr[k], seqr[k + 1])))
        for (wv in (if (moderated) wpts else NA)) {
          pt_ <- list(); if (moderated) pt_[[w]] <- wv
          est <- prod(sapply(seq_len(length(seqr) - 1), function(k) link(seqr[k], seqr[k + 1], pt_)))
          res$effects[[length(res$effects) + 1]] <- data.frame(kind = "indirect",
            path = paste(c(xname, pth, y), collapse = "->"), moderator_value = wv, effect = est, se = NA, p = NA)
        }
        # index of moderated mediation: slope of the indirect effect in W (exact when linear)
        nmod <- sum(sapply(seq_len(length(seqr) - 1), function(k) mod_link(seqr[k], seqr[k + 1])))
        if (nmod == 1) {
          ind <- function(wv) { pt_ <- list(); pt_[[w]] <- wv
            prod(sapply(seq_len(length(seqr) - 1), function(k) link(seqr[k], seqr[k + 1], pt_))) }
          res$index[[length(res$index) + 1]] <- data.frame(path = paste(c(xname, pth, y), collapse = "->"),
            moderator = w, index = ind(1) - ind(0))
        }
      }
      if (model == 4) for (mm in m) {
        fm <- fits[[mm]]; a <- coef(fm)[xp]; sa <- sqrt(vc_of(fm, hc)[xp, xp])
        bb <- by[mm]; sb <- sqrt(Vy[mm, mm])
        se <- sqrt(a^2 * sb^2 + bb^2 * sa^2 + sa^2 * sb^2)
        res$sobel[[length(res$sobel) + 1]] <- data.frame(path = paste(xname, mm, y, sep = "->"), effect = unname(a * bb),
          se = unname(se), z = unname(a * bb / se), p = unname(2 * pnorm(-abs(a * bb / se))))
      }
    }
  }
  lapply(res, function(v) if (is.data.frame(v) || !length(v) || !is.data.frame(v[[1]])) v else do.call(rbind, v))
}

cases_pmi <- list(
  list(model = 4, x = "cond", m = list("pmi"), y = "reaction"),
  list(model = 4, x = "cond", m = list("import", "pmi"), y = "reaction", covariates = list("gender", "age"), hc = "HC3"),
  list(model = 4, x = "cond", m = list("import", "pmi"), y = "reaction", covariates = list("age"), covariates_in = "m"),
  list(model = 6, x = "cond", m = list("import", "pmi"), y = "reaction", covariates = list("age"), covariates_in = "y"),
  list(model = 4, x = "pmi", m = list("import"), y = "reaction", hc = "HC0"),
  list(model = 4, x = "cond", m = list("pmi"), y = "reaction", standardized = TRUE),
  list(model = 6, x = "cond", m = list("import", "pmi"), y = "reaction", covariates = list("age"), standardized = TRUE)
)
cases_protest <- list(
  list(model = 1, x = "prot2", w = "sexism", y = "liking"),
  list(model = 1, x = "prot2", w = "sexism", y = "liking", hc = "HC1", conditioning = "mean_sd"),
  list(model = 1, x = "protest", w = "sexism", y = "liking", categorical = list(protest = 0)),
  list(model = 1, x = "sexism", w = "protest", y = "liking", categorical = list(protest = 2), hc = "HC2"),
  list(model = 4, x = "protest", m = list("respappr"), y = "liking", categorical = list(protest = 0)),
  list(model = 2, x = "prot2", w = "sexism", z = "anger", y = "liking"),
  list(model = 3, x = "prot2", w = "sexism", z = "anger", y = "liking", center = "continuous"),
  list(model = 5, x = "prot2", m = list("respappr"), w = "sexism", y = "liking", hc = "HC4"),
  list(model = 7, x = "prot2", m = list("respappr"), w = "sexism", y = "liking"),
  list(model = 8, x = "prot2", m = list("respappr"), w = "sexism", y = "liking"),
  list(model = 14, x = "sexism", m = list("respappr"), w = "prot2", y = "liking"),
  list(model = 15, x = "prot2", m = list("respappr", "anger"), w = "sexism", y = "liking", center = "all"),
  list(model = 58, x = "prot2", m = list("respappr"), w = "sexism", y = "liking"),
  list(model = 59, x = "prot2", m = list("respappr"), w = "sexism", y = "liking", hc = "HC3"),
  list(model = 1, x = "protest", w = "sexism", y = "liking", categorical = list(protest = 1), hc = "HC3",
       covariates = list("anger")),
  list(model = 1, x = "protest", w = "sexism", y = "liking", categorical = list(protest = 0), conditioning = "mean_sd"),
  list(model = 1, x = "protest", w = "anger", y = "liking", categorical = list(protest = 0), hc = "HC0"),
  list(model = 4, x = "protest", m = list("respappr"), y = "liking", categorical = list(protest = 0), hc = "HC1",
       covariates = list("sexism")),
  list(model = 4, x = "protest", m = list("respappr", "anger"), y = "liking", categorical = list(protest = 2)),
  list(model = 3, x = "sexism", w = "anger", z = "prot2", y = "liking", hc = "HC3"),
  list(model = 1, x = "prot2", w = "sexism", y = "liking", standardized = TRUE, covariates = list("anger"))
)
cases_rp <- list(
  list(model = 4, x = "RP", m = list("PS"), y = "WW"),
  list(model = 5, x = "RP", m = list("PS"), w = "EMC", y = "WW", covariates = list("gender", "age")),
  list(model = 7, x = "RP", m = list("PS"), w = "EMC", y = "WW"),
  list(model = 14, x = "RP", m = list("PS"), w = "EMC", y = "WW", hc = "HC3"),
  list(model = 58, x = "RP", m = list("PS"), w = "EMC", y = "WW", conditioning = "mean_sd"),
  list(model = 59, x = "RP", m = list("PS"), w = "EMC", y = "WW", covariates = list("age")),
  list(model = 3, x = "RP", w = "EMC", z = "PS", y = "WW"),
  list(model = 3, x = "RP", w = "EMC", z = "PS", y = "WW", hc = "HC3", center = "all", conditioning = "mean_sd"),
  list(model = 4, x = "RP", m = list("PS"), y = "WW", standardized = TRUE),
  list(model = 4, x = "RP", m = list("PS", "EMC"), y = "WW", covariates = list("gender", "age"), standardized = TRUE,
       hc = "HC3"),
  list(model = 7, x = "RP", m = list("PS"), w = "EMC", y = "WW", standardized = TRUE, center = "continuous")
)

write_ref <- function(name, dataset, cases, data, source) {
  expected <- lapply(cases, function(o) list(options = o, result = run_case(data, o)))
  ref <- list(source = source, generator = "tests/reference/r/process.R", dataset = dataset, options = list(),
              expected = expected, tol = list(default = 1e-6))
  write_json(ref, file.path(out_dir, name), digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
}
src <- sprintf("%s; lm, sandwich %s vcovHC, lmtest %s waldtest, car %s linearHypothesis, psych %s data",
               R.version.string, packageVersion("sandwich"), packageVersion("lmtest"), packageVersion("car"),
               packageVersion("psych"))
write_ref("process_pmi.json", "tests/data/process_pmi.csv (psych::Tal_Or)", cases_pmi, pmi, src)
write_ref("process_protest.json", "tests/data/process_protest.csv (psych::Garcia)", cases_protest, protest, src)
write_ref("process_role_pressure.json", "sample_data/role_pressure.csv (scored as above)", cases_rp, rp, src)

# ---- bootstrap reference (Monte-Carlo comparison) ----------------------------------
B <- 20000
set.seed(20261123)
d4 <- pmi[complete.cases(pmi[, c("cond", "pmi", "reaction")]), ]
st4 <- function(dd, i) {
  s <- dd[i, ]
  a <- .lm.fit(cbind(1, s$cond), s$pmi)$coefficients[2]
  bb <- .lm.fit(cbind(1, s$cond, s$pmi), s$reaction)$coefficients[3]
  a * bb
}
b4 <- boot(d4, st4, R = B)
d7 <- rp[complete.cases(rp[, c("RP", "PS", "EMC", "WW")]), c("RP", "PS", "EMC", "WW")]
wv <- unname(quantile(d7$EMC, c(.16, .5, .84), type = 6))
st7 <- function(dd, i) {
  s <- dd[i, ]
  a <- .lm.fit(cbind(1, s$RP, s$EMC, s$RP * s$EMC), s$PS)$coefficients
  bb <- .lm.fit(cbind(1, s$RP, s$PS), s$WW)$coefficients[3]
  c((a[2] + a[4] * wv) * bb, a[4] * bb)
}
b7 <- boot(d7, st7, R = B)
# multicategorical X (3 groups, reference 0), one mediator: relative indirect effects a_j·b per indicator
dm <- protest[, c("protest", "respappr", "liking")]
stm <- function(dd, i) {
  s <- dd[i, ]
  D <- cbind(1, s$protest == 1, s$protest == 2)
  a <- .lm.fit(D, s$respappr)$coefficients
  bb <- .lm.fit(cbind(D, s$respappr), s$liking)$coefficients[4]
  c(a[2] * bb, a[3] * bb)
}
bm <- boot(dm, stm, R = B)
summ <- function(bt, k) {
  v <- bt$t[, k]
  list(effect = unname(bt$t0[k]), boot_se = sd(v), ci_low = unname(quantile(v, .025, type = 6)),
       ci_high = unname(quantile(v, .975, type = 6)))
}
ref <- list(
  source = sprintf("%s; boot %s: boot(R = %d) nonparametric resampling, percentile limits quantile(type = 6)",
                   R.version.string, packageVersion("boot"), B),
  generator = "tests/reference/r/process.R",
  dataset = "tests/data/process_pmi.csv; sample_data/role_pressure.csv; tests/data/process_protest.csv",
  options = list(n_boot = B),
  expected = list(
    pmi_model4 = list(options = list(model = 4, x = "cond", m = list("pmi"), y = "reaction"), indirect = summ(b4, 1)),
    rp_model7 = list(options = list(model = 7, x = "RP", m = list("PS"), w = "EMC", y = "WW"), w_values = wv,
                     conditional = lapply(1:3, function(k) summ(b7, k)), index = summ(b7, 4)),
    protest_model4_mcx = list(options = list(model = 4, x = "protest", m = list("respappr"), y = "liking",
                                             categorical = list(protest = 0)),
                              paths = c("protest[1]->respappr->liking", "protest[2]->respappr->liking"),
                              relative = lapply(1:2, function(k) summ(bm, k)))),
  tol = list(note = "Monte-Carlo: compared within 0.25 bootstrap SD (limits) and 5% (SE); see tests/test_process.py"))
write_json(ref, file.path(out_dir, "process_boot.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
cat("done\n")
