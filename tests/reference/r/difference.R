# Reference values for core/analyses/difference.py (recipe types "difference", "crosstab").
# Run from the repository root:  Rscript tests/reference/r/difference.R
# R 4.2.2; car 3.1-1; effectsize 0.8.3; rstatix 0.7.2; jsonlite 1.8.4.
# Writes tests/data/difference_{plantgrowth,toothgrowth,mtcars}.csv and tests/reference/difference_*.json.
# Every table is written in the shape of the Python result tables so tests can merge on keys.
suppressMessages({
  library(car); library(effectsize); library(rstatix); library(jsonlite)
})
options(warn = 1)
gen <- "tests/reference/r/difference.R"
dir.create("tests/data", showWarnings = FALSE)

write.csv(PlantGrowth, "tests/data/difference_plantgrowth.csv", row.names = FALSE)
tg <- ToothGrowth
write.csv(tg, "tests/data/difference_toothgrowth.csv", row.names = FALSE)
mt <- cbind(car = rownames(mtcars), mtcars)
write.csv(mt, "tests/data/difference_mtcars.csv", row.names = FALSE)

lv <- function(f) as.character(f)

one_cell <- function(y, g, gname, oname) {
  ok <- !is.na(y) & !is.na(g)
  y <- y[ok]; g <- droplevels(factor(g[ok]))
  d <- data.frame(y = y, g = g)
  k <- nlevels(g); N <- length(y); levs <- levels(g)
  n <- as.vector(tapply(y, g, length)); m <- as.vector(tapply(y, g, mean)); s <- as.vector(tapply(y, g, sd))
  se <- s / sqrt(n); tq <- qt(0.975, n - 1)
  gs <- data.frame(group = gname, outcome = oname, level = levs, n = n, mean = m, sd = s, se = se,
                   ci_low = m - tq * se, ci_high = m + tq * se)
  tests <- list()
  add <- function(test, stat, df1, df2, p) tests[[length(tests) + 1]] <<-
    data.frame(group = gname, outcome = oname, test = test, statistic = unname(stat),
               df1 = unname(df1), df2 = unname(df2), p = unname(p))
  lm_ <- leveneTest(y ~ g, d, center = mean)
  add("levene_mean", lm_[1, "F value"], lm_[1, "Df"], lm_[2, "Df"], lm_[1, "Pr(>F)"])
  lmd <- leveneTest(y ~ g, d, center = median)
  add("levene_median", lmd[1, "F value"], lmd[1, "Df"], lmd[2, "Df"], lmd[1, "Pr(>F)"])
  if (k == 2) {
    st <- t.test(y ~ g, d, var.equal = TRUE)
    add("student_t", st$statistic, st$parameter, NA, st$p.value)
    wt <- t.test(y ~ g, d, var.equal = FALSE)
    add("welch_t", wt$statistic, wt$parameter, NA, wt$p.value)
  }
  a1 <- oneway.test(y ~ g, d, var.equal = TRUE)
  add("anova", a1$statistic, a1$parameter[1], a1$parameter[2], a1$p.value)
  a2 <- oneway.test(y ~ g, d, var.equal = FALSE)
  add("welch_anova", a2$statistic, a2$parameter[1], a2$parameter[2], a2$p.value)
  # Brown-Forsythe F* for means (SPSS ONEWAY /STATISTICS BROWNFORSYTHE): by its formula,
  # df1 = k - 1, df2 by Satterthwaite
  cc <- (1 - n / N) * s^2
  Fbf <- sum(n * (m - mean(y))^2) / sum(cc)
  df2bf <- 1 / sum((cc / sum(cc))^2 / (n - 1))
  add("brown_forsythe", Fbf, k - 1, df2bf, pf(Fbf, k - 1, df2bf, lower.tail = FALSE))
  if (k == 2) {
    w <- wilcox.test(y ~ g, d, correct = TRUE, exact = FALSE)
    add("mann_whitney", w$statistic, NA, NA, w$p.value)
  }
  kw <- kruskal.test(y ~ g, d)
  add("kruskal", kw$statistic, kw$parameter, NA, kw$p.value)

  fit <- aov(y ~ g, d)
  eff <- list()
  adde <- function(measure, value) eff[[length(eff) + 1]] <<-
    data.frame(group = gname, outcome = oname, measure = measure, value = unname(value))
  if (k == 2) {
    adde("cohen_d", effectsize::cohens_d(y ~ g, data = d)$Cohens_d)
    adde("hedges_g", effectsize::hedges_g(y ~ g, data = d)$Hedges_g)
  }
  adde("eta2", effectsize::eta_squared(fit, partial = FALSE, verbose = FALSE)$Eta2)
  adde("omega2", effectsize::omega_squared(fit, partial = FALSE, verbose = FALSE)$Omega2)

  ph <- list()
  if (k >= 2) {
    tk <- TukeyHSD(fit, "g")$g
    mse <- sum(residuals(fit)^2) / (N - k)
    # TukeyHSD rows are "b-a" for a listed before b (a = 1..k-1, b = a+1..k): diff = mean(b) - mean(a)
    pr <- do.call(rbind, lapply(1:(k - 1), function(j) cbind((j + 1):k, j)))
    ia <- pr[, 1]; ib <- pr[, 2]
    stopifnot(identical(rownames(tk), paste0(levs[ia], "-", levs[ib])))
    nm <- cbind(levs[ia], levs[ib])
    ph[[1]] <- data.frame(group = gname, outcome = oname, method = "tukey", level_a = nm[, 1], level_b = nm[, 2],
                          diff = tk[, "diff"], se = sqrt(mse * (1 / n[ia] + 1 / n[ib])),
                          ci_low = tk[, "lwr"], ci_high = tk[, "upr"], p = tk[, "p adj"])
    gh <- games_howell_test(d, y ~ g, detailed = TRUE)
    # rstatix rounds p.adj to 3 digits: the exact p is recomputed from its own formula
    ghp <- ptukey(gh$statistic * sqrt(2), k, gh$df, lower.tail = FALSE)
    ph[[2]] <- data.frame(group = gname, outcome = oname, method = "games_howell", level_a = gh$group2,
                          level_b = gh$group1, diff = gh$estimate, se = gh$se / sqrt(0.5),
                          ci_low = gh$conf.low, ci_high = gh$conf.high, p = ghp)
    pw <- pairwise.t.test(y, g, p.adjust.method = "bonferroni", pool.sd = TRUE)$p.value
    m_pairs <- k * (k - 1) / 2
    rows <- list()
    for (j in 1:(k - 1)) for (i in (j + 1):k) {
      dif <- m[i] - m[j]; sev <- sqrt(mse * (1 / n[i] + 1 / n[j]))
      crit <- qt(1 - 0.05 / (2 * m_pairs), N - k)
      rows[[length(rows) + 1]] <- data.frame(group = gname, outcome = oname, method = "bonferroni",
        level_a = levs[i], level_b = levs[j], diff = dif, se = sev, ci_low = dif - crit * sev,
        ci_high = dif + crit * sev, p = pw[levs[i], levs[j]])
    }
    ph[[3]] <- do.call(rbind, rows)
  }
  list(group_stats = gs, all_tests = do.call(rbind, tests), effects = do.call(rbind, eff),
       posthoc = do.call(rbind, ph))
}

battery <- function(data, groups, outcomes) {
  out <- list()
  for (g in groups) for (o in outcomes) {
    r <- one_cell(data[[o]], data[[g]], g, o)
    for (nm in names(r)) out[[nm]] <- rbind(out[[nm]], r[[nm]])
  }
  out
}

factorial3 <- function(data, a, b, o) {
  d <- data.frame(y = data[[o]], A = factor(data[[a]]), B = factor(data[[b]]))
  d <- d[complete.cases(d), ]
  fit <- lm(y ~ A * B, d, contrasts = list(A = "contr.sum", B = "contr.sum"))
  an <- Anova(fit, type = 3)
  res_ss <- an["Residuals", "Sum Sq"]
  src <- c("(Intercept)", a, b, paste0(a, ":", b), "Residuals")
  ss <- an[, "Sum Sq"]; df <- an[, "Df"]
  tab <- data.frame(group = a, by = b, outcome = o, source = src, ss = ss, df = df, ms = ss / df,
                    f = an[, "F value"], p = an[, "Pr(>F)"], partial_eta2 = c(ss[1:4] / (ss[1:4] + res_ss), NA))
  ct <- sum((d$y - mean(d$y))^2)
  extra <- data.frame(group = a, by = b, outcome = o, source = c("Corrected Model", "Total", "Corrected Total"),
                      ss = c(ct - res_ss, sum(d$y^2), ct), df = c(nlevels(d$A) * nlevels(d$B) - 1, nrow(d), nrow(d) - 1),
                      ms = NA, f = NA, p = NA, partial_eta2 = NA)
  cm_df <- extra$df[1]
  extra$ms[1] <- extra$ss[1] / cm_df
  extra$f[1] <- extra$ms[1] / (res_ss / an["Residuals", "Df"])
  extra$p[1] <- pf(extra$f[1], cm_df, an["Residuals", "Df"], lower.tail = FALSE)
  extra$partial_eta2[1] <- extra$ss[1] / (extra$ss[1] + res_ss)
  pe <- effectsize::eta_squared(an, partial = TRUE, verbose = FALSE)
  stopifnot(isTRUE(all.equal(pe$Eta2_partial, tab$partial_eta2[2:4], tolerance = 1e-10)))
  rbind(tab, extra)
}

crosstab <- function(data, a, b) {
  tb <- table(data[[a]], data[[b]])
  ch <- suppressWarnings(chisq.test(tb, correct = FALSE))
  n <- sum(tb)
  v <- sqrt(unname(ch$statistic) / (n * (min(dim(tb)) - 1)))
  v2 <- effectsize::cramers_v(tb, adjust = FALSE)$Cramers_v
  stopifnot(abs(v - v2) < 1e-12)
  chi <- data.frame(row_var = a, col_var = b, chi2 = unname(ch$statistic), df = unname(ch$parameter),
                    p = ch$p.value, cramers_v = v, n = n)
  cells <- as.data.frame(tb, stringsAsFactors = FALSE)
  names(cells) <- c("row_level", "col_level", "n")
  e <- as.data.frame(as.table(ch$expected), stringsAsFactors = FALSE)
  cells$expected <- e$Freq
  cells <- cbind(row_var = a, col_var = b, cells)
  list(chi2 = chi, cells = cells)
}

levels_tab <- function(data, outcomes, lo, hi) {
  do.call(rbind, lapply(outcomes, function(o) {
    x <- data[[o]]; x <- x[!is.na(x)]
    tt <- t.test(x, mu = (lo + hi) / 2)
    data.frame(outcome = o, n = length(x), mean = mean(x), sd = sd(x), midpoint = (lo + hi) / 2,
               t = unname(tt$statistic), df = unname(tt$parameter), p = tt$p.value)
  }))
}

save_ref <- function(name, source, dataset, options, expected) {
  write_json(list(source = source, generator = gen, dataset = dataset, options = options,
                  expected = expected, tol = list(default = 1e-6)),
             file.path("tests/reference", paste0("difference_", name, ".json")),
             digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
}

src <- paste("R 4.2.2 (car 3.1-1, effectsize 0.8.3, rstatix 0.7.2):",
             "t.test (var.equal TRUE/FALSE), oneway.test (var.equal TRUE/FALSE), car::leveneTest (center mean/median),",
             "Brown-Forsythe F* by formula, wilcox.test(correct=TRUE, exact=FALSE), kruskal.test,",
             "effectsize::cohens_d/hedges_g/eta_squared/omega_squared, TukeyHSD,",
             "rstatix::games_howell_test (p from its ptukey formula, unrounded),",
             "pairwise.t.test(p.adjust='bonferroni', pool.sd=TRUE) with CI mean diff +/- qt(1-.05/(2m), N-k) * se")

# ---- PlantGrowth --------------------------------------------------------------
pg <- battery(PlantGrowth, "group", "weight")
save_ref("plantgrowth", src, "tests/data/difference_plantgrowth.csv", list(groups = list("group"), outcomes = list("weight")), pg)

# ---- ToothGrowth --------------------------------------------------------------
tgb <- battery(tg, c("supp", "dose"), "len")
tgb$factorial <- factorial3(tg, "supp", "dose", "len")
save_ref("toothgrowth", paste(src, "; car::Anova(lm(len ~ supp * dose, contrasts = contr.sum), type = 3)"),
         "tests/data/difference_toothgrowth.csv", list(groups = list("supp", "dose"), outcomes = list("len"), by = "dose"), tgb)

# ---- mtcars -------------------------------------------------------------------
mtb <- battery(mt, c("am", "cyl"), c("mpg", "hp", "wt"))
mtb$factorial <- rbind(factorial3(mt, "am", "cyl", "mpg"), factorial3(mt, "am", "cyl", "hp"))
save_ref("mtcars", paste(src, "; car::Anova(lm(y ~ am * cyl, contrasts = contr.sum), type = 3) (unbalanced cells)"),
         "tests/data/difference_mtcars.csv", list(groups = list("am", "cyl"), outcomes = list("mpg", "hp", "wt"), by = "cyl"), mtb)
ct1 <- crosstab(mt, "am", "cyl"); ct2 <- crosstab(mt, "am", "vs"); ct3 <- crosstab(mt, "gear", "carb")
# 2 x 2 with Yates's correction (chisq.test's default correct = TRUE), for option correct = true
yt <- chisq.test(table(mt$am, mt$vs), correct = TRUE)
yates <- data.frame(row_var = "am", col_var = "vs", chi2 = unname(yt$statistic), df = unname(yt$parameter),
                    p = yt$p.value, cramers_v = ct2$chi2$cramers_v,   # V always from the uncorrected chi2 (SPSS, effectsize)
                    n = sum(table(mt$am, mt$vs)))
save_ref("crosstab_mtcars", "R 4.2.2: chisq.test(table(a, b), correct = FALSE); Cramer's V = sqrt(chi2 / (n (min(r, c) - 1))) (= effectsize::cramers_v(adjust = FALSE))",
         "tests/data/difference_mtcars.csv", list(pairs = list(c("am", "cyl"), c("am", "vs"), c("gear", "carb"))),
         list(chi2 = rbind(ct1$chi2, ct2$chi2, ct3$chi2), cells = rbind(ct1$cells, ct2$cells, ct3$cells),
              yates = yates))

# ---- the sample survey (frozen copy in tests/data) -----------------------------
cs <- read.csv("tests/data/difference_civil_servants.csv")
book <- fromJSON("tests/data/difference_civil_servants.codebook.json", simplifyVector = FALSE)
for (v in names(cs)) if (is.numeric(cs[[v]])) cs[[v]][cs[[v]] %in% unlist(book$missing_codes)] <- NA
for (sc in book$scales) {
  items <- unlist(sc$items); x <- as.matrix(cs[, items])
  for (r in unlist(sc$reverse)) x[, r] <- sc$min + sc$max - x[, r]
  cs[[sc$name]] <- rowMeans(x)            # min_items = all items: any missing item -> missing score
}
demo <- c("gender", "age", "education", "position", "marital")
for (v in demo) {
  labs <- book$variables[[v]]$values
  cs[[v]] <- factor(cs[[v]], levels = as.integer(names(labs)), labels = sapply(labs, function(l) l$en))
}
outs <- c("WP", "OC", "CD")
svb <- battery(cs, demo, outs)
svb$factorial <- factorial3(cs, "gender", "age", "WP")
svb$levels <- levels_tab(cs, c("WP", "OC", "PO", "FE", "CD", "RC", "WP_ph", "WP_ps", "WP_bh"), 1, 5)
ctab <- crosstab(cs, "age", "position")
svb$chi2 <- ctab$chi2; svb$cells <- ctab$cells
save_ref("survey", paste(src, "; one-sample t.test(x, mu = (min + max) / 2); car::Anova type 3; chisq.test(correct = FALSE)"),
         "tests/data/difference_civil_servants.csv",
         list(groups = as.list(demo), outcomes = as.list(outs), by = "age", codebook = "tests/data/difference_civil_servants.codebook.json"),
         svb)

# ---- the studentized range distribution ----------------------------------------
set.seed(1)
grid <- expand.grid(q = c(0.05, 0.4, 1, 1.7, 2.5, 3.3, 4.1, 5.5, 7.5, 12), k = c(2, 3, 4, 5, 7, 10),
                    df = c(2, 3.7, 9, 27, 61.4, 100, 250.5, 596, 1200, 4999, 9000, 30000, 1e6))
grid$upper <- ptukey(grid$q, grid$k, grid$df, lower.tail = FALSE)
qg <- expand.grid(p = c(0.9, 0.95, 0.99), k = c(2, 3, 4, 6, 10), df = c(2, 5.5, 27, 120, 596, 6000, 1e5))
qg$q <- qtukey(qg$p, qg$k, qg$df)
save_ref("srange", "R 4.2.2: ptukey(q, k, df, lower.tail = FALSE), qtukey(p, k, df)", "none", list(),
         list(ptukey = grid, qtukey = qg))
cat("done\n")
