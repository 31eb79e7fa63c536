"""Confirmatory factor analysis and structural equation models as AMOS users
report them, estimated by maximum likelihood with lavaan's conventions
(``core.engines.sem``).

* "cfa": the measurement model from the defined scales (each scale a factor
  measured by its items; total scales made of sub-scales are left out) or from
  a ``factors`` map or lavaan-style ``model`` text.  Fit indices, loadings,
  convergent and discriminant validity (AVE, CR, Fornell–Larcker, HTMT),
  optional measurement invariance across a grouping variable, and the
  comparison with a one-factor model (a common-method-bias check).
* "sem": latent paths among factors (e.g. ``PS ~ RP`` / ``WW ~ PS + RP``) with
  unstandardized and standardized coefficients, R² and fit.  A name of a
  defined scale used in a regression without its own ``=~`` line becomes a
  latent factor measured by the scale's items (a total scale whose items are
  exactly those of other scales becomes a second-order factor over them).

Items enter as scored: scale missing codes blanked and reverse keys applied
for items of a defined scale.  Rows with a missing value on any model
variable are left out (listwise, lavaan's default ``missing = "listwise"``).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from core.engines import sem as sm
from core.analyses.measurement.efa import item_matrix, leaf_scales
from core.data.model import Dataset, json_code
from core.errors import UserError
from core.analyses.measurement.spec import CFA
from core.types import Note, Result

FIT_COLS = CFA.table("fit").column_names
EST_COLS = CFA.table("estimates").column_names
CMP_COLS = CFA.table("model_comparison").column_names
INV_COLS = CFA.table("invariance").column_names
MF_COLS = CFA.table("method_factor").column_names


# ---- model from options -----------------------------------------------------------------
def default_factors(ds: Dataset) -> dict[str, list[str]]:
    return {n: list(ds.scales[n]["items"]) for n in leaf_scales(ds)}


def default_model_text(ds: Dataset) -> str:
    """The measurement model of the defined scales as lavaan text ("" without scales)."""
    factors = default_factors(ds)
    return sm.model_text(factors) if factors else ""


def _factor_stmts(factors) -> list[sm.Stmt]:
    """A factors map as model statements, built directly: scale and item names
    with spaces or symbols ("Work pressure", "Q 1") need not be valid model
    syntax."""
    if not isinstance(factors, dict) or not factors:
        raise UserError("cfa.error.no_factors")
    stmts = []
    for f, items in factors.items():
        if not isinstance(f, str) or not f.strip() or not isinstance(items, list) or not items \
                or not all(isinstance(i, str) and i for i in items):
            raise UserError("cfa.error.bad_factors", factor=str(f))
        stmts += [sm.Stmt(f, "=~", i) for i in items]
    return stmts


def expand_scales(stmts: list[sm.Stmt], ds: Dataset) -> list[sm.Stmt]:
    """Scale names used without their own ``=~`` become factors of their items."""
    defined = {s.lhs for s in stmts if s.op == "=~"}
    names = []
    for s in stmts:
        for n in (s.lhs, s.rhs):
            if n not in names:
                names.append(n)
    item_sets = {n: set(sc["items"]) for n, sc in ds.scales.items()}
    extra: list[sm.Stmt] = []
    done = set(defined)

    def add_scale(name):
        if name in done:
            return
        done.add(name)
        items = ds.scales[name]["items"]
        subs = [m for m in leaf_scales(ds) if m != name and item_sets[m] < item_sets[name]]
        covered = set().union(*(item_sets[m] for m in subs)) if subs else set()
        if len(subs) >= 2 and covered == item_sets[name]:
            for m in subs:
                extra.append(sm.Stmt(name, "=~", m))
            for m in subs:
                add_scale(m)
        else:
            extra.extend(sm.Stmt(name, "=~", it) for it in items)

    for n in names:
        if n in ds.scales and n not in defined:
            add_scale(n)
    return extra + stmts


def _prepare(ds: Dataset, stmts: list[sm.Stmt], group: str | None):
    spec0 = sm.build(stmts, list(ds.frame.columns))
    obs = spec0.observed
    for v in obs:
        ds.require(v)
    frame = item_matrix(ds, obs)
    if group:
        ds.require(group)
        codes, levels = ds.group_codes(group)
        frame = frame.assign(__g=codes)
        frame.loc[frame["__g"] < 0, "__g"] = np.nan
    x = frame.to_numpy(dtype="float64", na_value=np.nan)
    ok = ~np.isnan(x).any(axis=1)
    dropped = int((~ok).sum())
    x = x[ok]
    sd = x[:, : len(obs)].std(axis=0) if len(x) else np.zeros(len(obs))
    const = [v for v, s in zip(obs, sd) if not s > 0]
    if len(x) and const:
        raise UserError("cfa.error.constant", items=", ".join(const))
    return obs, x, dropped, (levels if group else None)


def _check_size(spec: sm.Spec, sizes: list[int]):
    npar = sm.n_counted(spec)
    df = sm.moments(spec) - npar
    if df < 0:
        raise UserError("cfa.error.not_identified", npar=npar, moments=sm.moments(spec))
    if sum(sizes) <= npar or min(sizes) <= len(spec.observed):
        raise UserError("cfa.error.too_few_rows", n=min(sizes) if len(sizes) > 1 else sizes[0], npar=npar)


def fit_single(stmts, obs, x, n_groups=1, group_idx=None, meanstructure=False, group_equal=()):
    spec = sm.build(stmts, obs, n_groups, meanstructure, group_equal)
    cols = [obs.index(v) for v in spec.observed]
    parts = [x[:, cols]] if n_groups == 1 else [x[group_idx == g][:, cols] for g in range(n_groups)]
    _check_size(spec, [len(q) for q in parts])
    groups = [sm.group_data(q) for q in parts]
    fit = sm.fit_model(spec, groups)
    return fit


def _heywood(rows: list[dict], spec: sm.Spec) -> list[str]:
    bad = []
    for r in rows:
        if r["op"] == "~~" and r["lhs"] == r["rhs"] and r["estimate"] < 0:
            bad.append(r["lhs"])
        elif r["op"] == "=~" and abs(r["std_estimate"]) > 1:
            bad.append(r["rhs"])
        elif r["op"] == "~~" and r["lhs"] != r["rhs"] and r["lhs"] in spec.latent and abs(r["std_estimate"]) > 1:
            bad.append(f"{r['lhs']} ~~ {r['rhs']}")
    return list(dict.fromkeys(bad))


def _fit_row(fm: dict) -> dict:
    return {k: fm.get(k) for k in FIT_COLS}


def _est_df(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=EST_COLS + ["free"])[EST_COLS]


def _validity(fit: sm.Fit, rows: list[dict], x_obs: np.ndarray, obs: list[str]):
    """AVE / CR (thesis formulas from std.all loadings, and semTools model-based),
    Fornell–Larcker, factor correlations, HTMT."""
    spec = fit.spec
    load = [r for r in rows if r["op"] == "=~" and r["group"] == 0 and r["rhs"] in spec.observed]
    factors = [f for f in spec.latent if sum(1 for r in load if r["lhs"] == f) >= 2]
    # items loading on more than one factor are excluded from AVE/CR of every factor (semTools)
    count = {}
    for r in load:
        count[r["rhs"]] = count.get(r["rhs"], 0) + 1
    cov = fit.groups[0].cov
    oi = {v: i for i, v in enumerate(spec.observed)}
    A, S, C = sm.implied_total_var(fit, 0)
    vi = fit.idx
    val_rows = []
    ave_of = {}
    for f in factors:
        fl = [r for r in load if r["lhs"] == f]
        std = np.array([r["std_estimate"] for r in fl])
        ave = float(np.mean(std ** 2))
        cr = float(std.sum() ** 2 / (std.sum() ** 2 + np.sum(1 - std ** 2)))
        clean = [r for r in fl if count[r["rhs"]] == 1]
        phi = C[vi[f], vi[f]]
        if len(clean) == len(fl):
            lam = np.array([r["estimate"] for r in fl])
            idx = [oi[r["rhs"]] for r in fl]
            sub = cov[np.ix_(idx, idx)]
            cr_m = float(lam.sum() ** 2 * phi / sub.sum())
            ave_m = float(np.sum(lam ** 2) * phi / np.trace(sub))
        else:
            cr_m = ave_m = float("nan")
        ave_of[f] = ave
        val_rows.append({"factor": f, "k": len(fl), "ave": ave, "cr": cr, "sqrt_ave": math.sqrt(ave),
                         "ave_model": ave_m, "cr_model": cr_m})
    validity = pd.DataFrame(val_rows, columns=["factor", "k", "ave", "cr", "sqrt_ave", "ave_model", "cr_model"])
    # factor correlations (std.all of latent covariances; implied for non-adjacent factors)
    corr = {}
    crows = []
    for i, a in enumerate(spec.latent):
        for b in spec.latent[i + 1:]:
            r = C[vi[a], vi[b]] / math.sqrt(C[vi[a], vi[a]] * C[vi[b], vi[b]]) \
                if C[vi[a], vi[a]] > 0 and C[vi[b], vi[b]] > 0 else float("nan")
            corr[(a, b)] = corr[(b, a)] = r
            par = next((q for q in rows if q["op"] == "~~" and q["group"] == 0 and {q["lhs"], q["rhs"]} == {a, b}),
                       None)
            crows.append({"factor_a": a, "factor_b": b, "r": r,
                          "estimate": par["estimate"] if par else float("nan"),
                          "se": par["se"] if par else float("nan"), "p": par["p"] if par else float("nan")})
    fcorr = pd.DataFrame(crows, columns=["factor_a", "factor_b", "r", "estimate", "se", "p"])
    flrows = []
    for a in factors:
        for b in factors:
            if a == b:
                flrows.append({"factor_a": a, "factor_b": b, "value": math.sqrt(ave_of[a]), "kind": "sqrt_ave",
                               "violates": False})
            else:
                r = corr[(a, b)]
                flrows.append({"factor_a": a, "factor_b": b, "value": r, "kind": "correlation",
                               "violates": bool(abs(r) >= min(math.sqrt(ave_of[a]), math.sqrt(ave_of[b])))})
    fl = pd.DataFrame(flrows, columns=["factor_a", "factor_b", "value", "kind", "violates"])
    # HTMT on the sample correlations of the items (first group / whole sample)
    hrows = []
    sd = np.sqrt(np.diag(cov))
    R = np.abs(cov / np.outer(sd, sd))
    items_of = {f: [oi[r["rhs"]] for r in load if r["lhs"] == f] for f in factors}
    with np.errstate(divide="ignore"):
        logR = np.log(R)

    def within(f, arr, geo):
        ii = items_of[f]
        sub = arr[np.ix_(ii, ii)][~np.eye(len(ii), dtype=bool)]
        return float(np.exp(sub.mean())) if geo else float(sub.mean())

    for i, a in enumerate(factors):
        for b in factors[i + 1:]:
            het = R[np.ix_(items_of[a], items_of[b])]
            h1 = float(het.mean() / math.sqrt(within(a, R, False) * within(b, R, False)))
            h2 = float(np.exp(np.log(het).mean()) / math.sqrt(within(a, logR, True) * within(b, logR, True)))
            hrows.append({"factor_a": a, "factor_b": b, "htmt": h1, "htmt2": h2})
    htmt = pd.DataFrame(hrows, columns=["factor_a", "factor_b", "htmt", "htmt2"])
    return validity, fl, fcorr, htmt


def _compare_row(name, fm, prev=None, factors=None) -> dict:
    row = {"model": name, "factors": factors, **{k: fm[k] for k in ("chi2", "df", "p", "chi2_df", "cfi", "tli", "rmsea", "srmr",
                                                 "aic", "bic")}}
    if prev is not None:
        d = fm["chi2"] - prev["chi2"]
        ddf = fm["df"] - prev["df"]
        row.update(d_chi2=d, d_df=ddf, d_p=float(stats.chi2.sf(d, ddf)) if ddf > 0 else float("nan"))
    return row


def _fit_one_group(ds: Dataset, stmts):
    """Fit a single-group model: (observed names, data, rows dropped, fit, fit measures, estimate rows,
    estimates table, notes — a Heywood case is noted)."""
    notes: list[Note] = []
    obs, x, dropped, _ = _prepare(ds, stmts, None)
    fit = fit_single(stmts, obs, x)
    if not fit.converged:
        raise UserError("cfa.error.not_converged")
    rows = sm.estimates(fit)
    bad = _heywood(rows, fit.spec)
    if bad:
        notes.append(Note("cfa.note.heywood", {"names": ", ".join(bad)}))
    return obs, x, dropped, fit, sm.fit_measures(fit), rows, _est_df(rows), notes


def run_cfa(ds: Dataset, opts: dict) -> Result:
    text = (opts.get("model") or "").strip()
    if text:
        stmts = sm.parse(text)
    else:
        factors = opts.get("factors") or default_factors(ds)
        if not factors:
            raise UserError("cfa.error.no_factors")
        stmts = _factor_stmts(factors)
    stmts = expand_scales(stmts, ds)
    obs, x, dropped, fit, fm, rows, est, notes = _fit_one_group(ds, stmts)
    loadings = est[est["op"] == "=~"].rename(columns={"lhs": "factor", "rhs": "item"})[
        ["factor", "item", "estimate", "se", "z", "p", "std_estimate"]].reset_index(drop=True)
    validity, fl, fcorr, htmt = _validity(fit, rows, x, obs)
    tables = {"fit": pd.DataFrame([_fit_row(fm)], columns=FIT_COLS), "loadings": loadings, "validity": validity,
              "fornell_larcker": fl, "factor_correlations": fcorr, "htmt": htmt, "estimates": est}

    # one-factor comparison (all items of first-order factors on one factor)
    cmp_rows = [_compare_row("hypothesised", fm, factors=len(fit.spec.latent))]
    first_items = [s.rhs for s in stmts if s.op == "=~" and s.rhs not in fit.spec.latent]
    simple = _first_order(stmts, fit.spec.latent)
    competing = bool(opts.get("competing")) and len(fit.spec.latent) > 1
    if competing and simple is None:
        notes.append(Note("cfa.note.competing_simple_only"))
    elif competing:
        cmp_rows += _competing(simple, fit, fm, obs, x, notes)
    if opts.get("compare_one_factor", True) and len(fit.spec.latent) > 1 and len(set(first_items)) >= 3 \
            and not (competing and simple is not None):
        one_stmts = [sm.Stmt("one_factor", "=~", it) for it in dict.fromkeys(first_items)]
        try:
            f1 = fit_single(one_stmts, obs, x)
            if f1.converged:
                cmp_rows.append(_compare_row("one_factor", sm.fit_measures(f1), fm, factors=1))
            else:
                notes.append(Note("cfa.note.one_factor_failed"))
        except UserError:
            notes.append(Note("cfa.note.one_factor_failed"))
    tables["model_comparison"] = pd.DataFrame(cmp_rows, columns=CMP_COLS)
    if opts.get("method_factor"):
        tables["method_factor"] = _method_factor(stmts, fit, fm, obs, x, notes)

    group = opts.get("group")
    inv = pd.DataFrame(columns=INV_COLS)
    if group:
        try:
            inv, inv_notes = invariance(ds, stmts, group)
            notes += inv_notes
        except UserError as err:   # the CFA itself stands; say why invariance is missing
            notes.append(Note(err.key, err.kwargs))
    tables["invariance"] = inv
    notes.append(Note("cfa.note.convention"))
    return Result("cfa", int(x.shape[0]), tables, notes,
                  meta={"latent": fit.spec.latent, "observed": fit.spec.observed})


def _first_order(stmts, latent) -> dict | None:
    """The model as {factor: items} when it is a plain first-order CFA (only
    ``=~`` lines on observed items, no modifiers), else None."""
    factors: dict[str, list[str]] = {}
    for st in stmts:
        if st.op != "=~" or st.rhs in latent or st.fixed is not None or st.free or st.label:
            return None
        factors.setdefault(st.lhs, []).append(st.rhs)
    return factors


def _latent_r(fit: sm.Fit, rows: list[dict]) -> dict:
    """Standardized covariances of the latent factors, {(a, b): r}."""
    lat = set(fit.spec.latent)
    return {(r["lhs"], r["rhs"]): r["std_estimate"] for r in rows
            if r["op"] == "~~" and r["lhs"] != r["rhs"] and r["lhs"] in lat and r["rhs"] in lat}


def _competing(factors: dict, hyp: sm.Fit, fm_hyp: dict, obs, x, notes) -> list[dict]:
    """Nested models: merge the two most highly correlated factors of the
    current model, refit, repeat down to one factor; each row is named by the
    factor its step made ("a+b", a before b in the model) and tested against
    the hypothesised model (Δχ², as lavaan's anova for ML)."""
    out, cur, fit = [], dict(factors), hyp
    while len(cur) > 1:
        r = _latent_r(fit, sm.estimates(fit))
        names = list(cur)
        pairs = [(r.get((a, b), r.get((b, a), float("nan"))), i, j) for i, a in enumerate(names)
                 for j, b in enumerate(names) if i < j]
        pairs = [q for q in pairs if q[0] == q[0]]
        if not pairs:
            notes.append(Note("cfa.note.competing_failed", {"model": " / ".join(names)}))
            break
        _, i, j = max(pairs, key=lambda q: q[0])
        a, b = names[i], names[j]
        merged = f"{a}+{b}"
        cur = {(merged if n == a else n): (cur[a] + cur[b] if n == a else cur[n]) for n in names if n != b}
        try:
            fit = fit_single(_factor_stmts(cur), obs, x)
        except UserError:
            fit = None
        if fit is None or not fit.converged:
            notes.append(Note("cfa.note.competing_failed", {"model": merged}))
            break
        out.append(_compare_row(merged, sm.fit_measures(fit), fm_hyp, factors=len(cur)))
    return out


def _fit_from(hyp: sm.Fit, stmts, obs, x, mf: str) -> sm.Fit:
    """Fit the trait + method model again, starting from the trait model's
    estimates and method loadings of 0.3 item SD, when it did not converge
    from the default start (where the method factor, started as the first
    principal component of all items, can swallow a trait factor)."""
    spec = sm.build(stmts, obs)
    cols = [obs.index(v) for v in spec.observed]
    _check_size(spec, [len(x)])
    groups = [sm.group_data(x[:, cols])]
    start = sm.start_values(spec, groups)
    known = {(p.lhs, p.op, p.rhs): hyp.theta[p.free] for p in hyp.spec.pars if p.free >= 0}
    cov = groups[0].cov
    for p in spec.pars:
        if p.free < 0:
            continue
        if (p.lhs, p.op, p.rhs) in known:
            start[p.free] = known[(p.lhs, p.op, p.rhs)]
        elif p.lhs == mf and p.op == "=~":
            i = spec.observed.index(p.rhs)
            start[p.free] = 0.3 * math.sqrt(cov[i, i])
    fitter = sm.Fit(spec, groups)
    fitter.fit(start)
    return fitter


def method_name(latent) -> str:
    name = "method"
    while name in latent:
        name += "_"
    return name


def _method_factor(stmts, hyp: sm.Fit, fm_hyp: dict, obs, x, notes) -> pd.DataFrame:
    """The hypothesised model plus one method factor on every item (loadings
    free, variance 1, uncorrelated with the trait factors): the unmeasured
    latent method factor of Podsakoff et al. (2003)."""
    latent = hyp.spec.latent
    items = list(dict.fromkeys(st.rhs for st in stmts if st.op == "=~" and st.rhs not in latent))
    mf = method_name(latent)
    extra = [sm.Stmt(mf, "=~", it, free=True) for it in items] + [sm.Stmt(mf, "~~", mf, fixed=1.0)] \
        + [sm.Stmt(mf, "~~", f, fixed=0.0) for f in latent]
    rows = [{"model": "trait", **{k: fm_hyp[k] for k in ("chi2", "df", "cfi", "tli", "rmsea", "srmr")}}]
    try:
        fit = fit_single(list(stmts) + extra, obs, x)
        if not fit.converged:
            fit = _fit_from(hyp, list(stmts) + extra, obs, x, mf)
    except UserError:
        fit = None
    if fit is None or not fit.converged:
        notes.append(Note("cfa.note.method_failed"))
        return pd.DataFrame(rows, columns=MF_COLS)
    fm = sm.fit_measures(fit)
    est = sm.estimates(fit)
    lam = np.array([r["std_estimate"] for r in est if r["op"] == "=~" and r["lhs"] == mf], dtype=float)
    row = {"model": "trait_method", **{k: fm[k] for k in ("chi2", "df", "cfi", "tli", "rmsea", "srmr")}}
    row.update({f"d_{k}": fm[k] - fm_hyp[k] for k in ("cfi", "tli", "rmsea", "srmr")},
               method_variance=float(np.mean(lam ** 2)))
    bad = _heywood(est, fit.spec)
    if bad:
        notes.append(Note("cfa.note.method_heywood", {"names": ", ".join(bad)}))
    rows.append(row)
    # Harman's single-factor test beside it: the first unrotated component's share of the item variance
    r = np.corrcoef(x[:, [obs.index(i) for i in items]], rowvar=False)
    share = float(np.linalg.eigvalsh(r)[-1] / len(items))
    notes.append(Note("cfa.note.harman", {"pct": round(100 * share, 1)}))
    notes.append(Note("cfa.note.method_rule"))
    return pd.DataFrame(rows, columns=MF_COLS)


def invariance(ds: Dataset, stmts, group: str):
    notes = []
    obs, x, dropped, levels = _prepare(ds, stmts, group)
    if dropped:
        notes.append(Note("cfa.note.invariance_listwise", {"n": dropped}))
    gidx = x[:, -1].astype(int)
    x = x[:, :-1]
    present = [g for g in range(len(levels)) if (gidx == g).sum() > 0]
    if len(present) < 2:
        raise UserError("cfa.error.one_group", group=group)
    remap = {g: k for k, g in enumerate(present)}
    gidx = np.array([remap[g] for g in gidx])
    sizes = {g: int((gidx == remap[g]).sum()) for g in present}
    rows, prev = [], None
    for name, eq in (("configural", ()), ("metric", ("loadings",)), ("scalar", ("loadings", "intercepts"))):
        try:
            f = fit_single(stmts, obs, x, len(present), gidx, True, eq)
        except UserError as err:
            if err.key in ("cfa.error.too_few_rows", "cfa.error.singular"):
                raise UserError("cfa.error.group_too_small", group=group, sizes=", ".join(
                    f"{ds.level_label(group, levels[g])}: {v}" for g, v in sizes.items())) from None
            raise
        if not f.converged:
            notes.append(Note("cfa.note.invariance_failed", {"model": name}))
            break
        fm = sm.fit_measures(f)
        row = {"model": name, **{k: fm[k] for k in ("chi2", "df", "p", "cfi", "tli", "rmsea", "srmr", "aic", "bic")}}
        if prev is not None:
            d, ddf = fm["chi2"] - prev["chi2"], fm["df"] - prev["df"]
            row.update(d_chi2=d, d_df=ddf, d_p=float(stats.chi2.sf(d, ddf)) if ddf > 0 else float("nan"),
                       d_cfi=fm["cfi"] - prev["cfi"], d_rmsea=fm["rmsea"] - prev["rmsea"])
        rows.append(row)
        prev = fm
    notes.append(Note("cfa.note.invariance", {"group": group, "groups": [json_code(levels[g]) for g in sizes],
                                              "ns": ", ".join(str(v) for v in sizes.values())}, {"groups": group}))
    return pd.DataFrame(rows, columns=INV_COLS), notes


def run_sem(ds: Dataset, opts: dict) -> Result:
    text = (opts.get("model") or "").strip()
    if not text:
        raise UserError("sem.error.no_model")
    stmts = expand_scales(sm.parse(text), ds)
    if not any(s.op == "~" for s in stmts):
        raise UserError("sem.error.no_paths")
    obs, x, dropped, fit, fm, rows, est, notes = _fit_one_group(ds, stmts)
    paths = est[est["op"] == "~"][["lhs", "op", "rhs", "label", "estimate", "se", "z", "p", "std_estimate"]] \
        .reset_index(drop=True)
    loadings = est[est["op"] == "=~"].rename(columns={"lhs": "factor", "rhs": "item"})[
        ["factor", "item", "estimate", "se", "z", "p", "std_estimate"]].reset_index(drop=True)
    A, S, C = sm.implied_total_var(fit)
    endo = list(dict.fromkeys(s.lhs for s in stmts if s.op == "~"))
    r2 = pd.DataFrame([{"variable": v, "r2": float(1 - S[fit.idx[v], fit.idx[v]] / C[fit.idx[v], fit.idx[v]])}
                       for v in endo], columns=["variable", "r2"])
    notes.append(Note("cfa.note.convention"))
    return Result("sem", int(x.shape[0]), {"fit": pd.DataFrame([_fit_row(fm)], columns=FIT_COLS), "paths": paths,
                                           "r2": r2, "loadings": loadings, "estimates": est}, notes,
                  meta={"latent": fit.spec.latent, "observed": fit.spec.observed})
