"""Conditional process analysis as Hayes' PROCESS v4 does it (recipe type "process").

The model is compiled from a template (core/engines/process/templates.py) into
OLS equations; every table below is derived from those fits and from one
vectorised bootstrap of all equations together.  Conventions (PROCESS v4
defaults unless the option says otherwise) are listed in ``DOC`` and in the
notes attached to every result.
"""
from __future__ import annotations

from itertools import combinations, product

import numpy as np
import pandas as pd
from scipy import stats

from core.engines import ols
from core.data.model import Dataset
from core.errors import UserError
from core.stats import distinct_upto
from core.engines.process import design as dsn
from core.engines.process import effects as fx
from core.engines.process.boot import Bootstrap, bc_ci, percentile_ci
from core.engines.process.templates import MODEL_NUMBERS
from core.analyses.process.spec import TABLES
from core.types import Note, Result

JN_POINTS = 21          # PROCESS prints the JN table at 21 evenly spaced values (plus the boundaries)
PLOT_POINTS = 25        # points along the focal predictor for the interaction plot
SPEC_TABLES = {tb.name: tb.column_names for tb in TABLES}


def run(ds: Dataset, opts: dict, progress=None) -> Result:
    with ols.blas_single_thread():     # tall, skinny products (see the OLS engine)
        return _run(ds, opts, progress)


def _run(ds: Dataset, opts: dict, progress=None) -> Result:
    if int(opts["model"]) not in MODEL_NUMBERS:
        raise UserError("process.error.model", model=opts["model"], known=", ".join(map(str, MODEL_NUMBERS)))
    conf = float(opts.get("conf") or 95.0)
    hc = opts.get("hc") or None
    n_boot = int(opts.get("n_boot") if opts.get("n_boot") is not None else 5000)
    seed = opts.get("seed")
    notes: list[Note] = []
    if seed is None:
        seed = int(np.random.default_rng().integers(1, 2**31 - 1))
    seed = int(seed)
    model, dnotes = dsn.build(ds, opts)
    notes += [Note(k, kw) for k, kw in dnotes]
    fits = {}
    for e in model.equations:
        cols, y = model.fit_columns(e)
        fits[e.outcome_role] = ols.fit(model.cross, cols, y=y, hc=hc, level=conf / 100.0)

    tables: dict[str, pd.DataFrame] = {}
    xrole = model.roles["X"]
    has_m = bool(model.mediators)
    # standardized coefficients (PROCESS stand=1): not for models with a multicategorical variable
    want_std = bool(opts.get("standardized"))
    std_ok = want_std and not any(ro.kind == "categorical" for ro in model.roles.values())
    if want_std and not std_ok:
        notes.append(Note("process.note.std_categorical"))
    # ---- per equation --------------------------------------------------------
    mrows, crows, irows, orows = [], [], [], []
    for e in model.equations:
        f = fits[e.outcome_role]
        mrows.append({"equation": e.label, "n": model.n, "r": float(np.sqrt(max(f.r2, 0.0))), "r2": f.r2,
                      "mse": f.sigma2, "f": f.f, "df1": f.df1, "df2": f.df_resid, "p": f.p_f})
        std_b = _std_coefficients(model, e, f.coef) if std_ok else np.full(len(e.cols), np.nan)
        for pos, ci in enumerate(e.cols):
            crows.append({"equation": e.label, "term": model.columns[ci].name, "b": f.coef[pos], "se": f.se[pos],
                          "t": f.t[pos], "p": f.p[pos], "ci_low": f.ci_low[pos], "ci_high": f.ci_high[pos],
                          "std_b": std_b[pos]})
        for name, pos in e.tests:
            test = ols.drop_test(f, pos)
            irows.append({"equation": e.label, "term": name, **test})
            if test["p"] >= 0.10:
                notes.append(Note("process.note.probe_ns", {"equation": e.label, "term": name,
                                                            "p": f"{test['p']:.3f}"}))
        # omnibus tests of a multicategorical X's total and direct effect (PROCESS: mediation models)
        if xrole.kind == "categorical" and has_m and e.outcome_role in ("Y", "Ytotal"):
            xpos = [pos for pos, ci in enumerate(e.cols)
                    if len(model.columns[ci].comp) == 1 and model.columns[ci].comp[0][0] == "X"]
            test = ols.drop_test(f, xpos)
            orows.append({"equation": e.label, "kind": "total" if e.outcome_role == "Ytotal" else "direct",
                          "focal": xrole.var, "moderator": "", "moderator_value": np.nan, **test})
    tables["models"] = pd.DataFrame(mrows, columns=SPEC_TABLES["models"])
    tables["coefficients"] = pd.DataFrame(crows, columns=SPEC_TABLES["coefficients"])
    tables["interaction_tests"] = pd.DataFrame(irows, columns=SPEC_TABLES["interaction_tests"])

    # ---- moderator values ------------------------------------------------------
    modvals: dict[str, tuple] = {}
    for r in model.tpl.moderators:
        vecs, shown, mnotes = dsn.moderator_values(model.roles[r], opts.get("conditioning") or "percentiles")
        modvals[r] = (vecs, shown)
        notes += [Note(k, kw) for k, kw in mnotes]

    def points(mods: list[str]):
        """Grid of moderator points: (point dict, [(role, shown value), ...])."""
        if not mods:
            return [({}, [])]
        grids = [list(zip(modvals[r][0], modvals[r][1])) for r in mods]
        out = []
        for combo in product(*grids):
            out.append(({r: v for r, (v, _) in zip(mods, combo)}, [(r, s) for r, (_, s) in zip(mods, combo)]))
        return out

    xcols = list(range(len(xrole.colnames)))

    def focal_name(role: str, j: int) -> str:
        return model.roles[role].colnames[j]

    # ---- conditional effects, JN, plot data ---------------------------------------
    cerows, jnb, jnt, prows, cirows = [], [], [], [], []

    def jn_rows(e, f, focal_label: str, mr, L0, L1):
        """Johnson–Neyman boundaries of the effect L0·b + w·L1·b along the
        continuous moderator role ``mr`` and its table (21 values + boundaries)."""
        w = mr.values[:, 0]
        lo, hi = float(w.min()), float(w.max())
        bounds = fx.johnson_neyman(L0, L1, f.coef, f.cov, f.df_resid, conf, lo, hi)
        for bd in bounds:
            jnb.append({"equation": e.label, "focal": focal_label, "moderator": mr.var, "boundary": bd,
                        "pct_below": 100.0 * np.mean(w < bd), "pct_above": 100.0 * np.mean(w > bd)})
        for wv in np.unique(np.concatenate([np.linspace(lo, hi, JN_POINTS), bounds])):
            row = {"equation": e.label, "focal": focal_label, "moderator": mr.var, "moderator_value": float(wv)}
            row.update(fx.linear_effect(L0 + wv * L1, f.coef, f.cov, f.df_resid, conf))
            jnt.append(row)
        if not bounds:
            notes.append(Note("process.note.jn_none", {"equation": e.label, "focal": focal_label,
                                                       "moderator": mr.var}))
    for e in model.equations:
        if e.outcome_role == "Ytotal":
            continue
        f = fits[e.outcome_role]
        focals = ["X"] + ([m for m in model.mediators] if e.outcome_role == "Y" else [])
        for foc in focals:
            mods = fx.link_moderators(model, e, foc)
            if not mods:
                continue
            for j in range(len(model.roles[foc].colnames)):
                for pt, shown in points(mods):
                    L = fx.link_form(model, e, foc, j, pt)
                    row = {"equation": e.label, "focal": focal_name(foc, j),
                           "moderator": model.var(shown[0][0]), "moderator_value": shown[0][1],
                           "moderator2": model.var(shown[1][0]) if len(shown) > 1 else "",
                           "moderator2_value": shown[1][1] if len(shown) > 1 else np.nan}
                    row.update(fx.linear_effect(L, f.coef, f.cov, f.df_resid, conf))
                    cerows.append(row)
                # Johnson–Neyman: one continuous moderator, continuous-or-binary focal column
                if len(mods) == 1 and model.roles[mods[0]].kind == "continuous" and opts.get("jn", True):
                    L0 = fx.link_form(model, e, foc, j, {mods[0]: np.array([0.0])})
                    L1 = fx.link_form(model, e, foc, j, {mods[0]: np.array([1.0])}) - L0
                    jn_rows(e, f, focal_name(foc, j), model.roles[mods[0]], L0, L1)
                # predicted values for the simple-slopes plot
                if model.roles[foc].kind != "categorical":
                    prows += _predicted(model, e, f, foc, points(mods), conf)
            if model.roles[foc].kind == "categorical":
                # test of equality of conditional means: the indicators' conditional effects as a set
                k = len(model.roles[foc].colnames)
                for pt, shown in points(mods):
                    L = np.vstack([fx.link_form(model, e, foc, j, pt) for j in range(k)])
                    orows.append({"equation": e.label, "kind": "conditional_means", "focal": model.roles[foc].var,
                                  "moderator": model.var(shown[0][0]), "moderator_value": shown[0][1],
                                  **ols.linear_test(f, L)})
            if model.roles[foc].kind == "categorical" and len(mods) == 1 and \
                    model.roles[mods[0]].kind != "categorical":
                # multicategorical X: the moderator on the x-axis, one line per group of X
                vecs, labels, _ = dsn.moderator_values(model.roles[foc], "percentiles")
                prows += _predicted(model, e, f, mods[0], [({foc: v}, [(foc, lab)]) for v, lab in zip(vecs, labels)],
                                    conf)
        # model 3: the X*W interaction conditional on Z (PROCESS's "Test of conditional X*W interaction at
        # value(s) of the moderator(s)") and its Johnson–Neyman region along Z
        for pos3, ci3 in enumerate(e.cols):
            comp3 = model.columns[ci3].comp
            if len(comp3) != 3 or [r for r, _ in comp3] != ["X", "W", "Z"]:
                continue
            pos2 = next(pos for pos, ci in enumerate(e.cols) if model.columns[ci].comp == comp3[:2])
            term = f"{model.var('X')}*{model.var('W')}"
            L0, L1 = np.zeros(len(e.cols)), np.zeros(len(e.cols))
            L0[pos2], L1[pos3] = 1.0, 1.0
            for pt, shown in points(["Z"]):
                le = fx.linear_effect(L0 + float(pt["Z"][0]) * L1, f.coef, f.cov, f.df_resid, conf)
                cirows.append({"equation": e.label, "term": term, "moderator": model.var("Z"),
                               "moderator_value": shown[0][1], "effect": le["effect"], "se": le["se"],
                               "f": le["t"] ** 2, "df1": 1, "df2": f.df_resid, "p": le["p"]})
            if model.roles["Z"].kind == "continuous" and opts.get("jn", True):
                jn_rows(e, f, term, model.roles["Z"], L0, L1)
    tables["omnibus"] = pd.DataFrame(orows, columns=SPEC_TABLES["omnibus"])
    tables["conditional_interactions"] = pd.DataFrame(cirows, columns=SPEC_TABLES["conditional_interactions"])
    tables["conditional_effects"] = pd.DataFrame(cerows, columns=SPEC_TABLES["conditional_effects"])
    tables["johnson_neyman"] = pd.DataFrame(jnb, columns=SPEC_TABLES["johnson_neyman"])
    tables["jn_table"] = pd.DataFrame(jnt, columns=SPEC_TABLES["jn_table"])
    tables["predicted"] = pd.DataFrame(prows, columns=SPEC_TABLES["predicted"])

    # ---- effects ------------------------------------------------------------------
    erows: list[dict] = []
    boot_stats: list[fx.Stat] = []
    boot_rows: list[tuple[str, int]] = []   # (table, row index) per bootstrap statistic

    def add_boot(table: str, row: dict, stat: fx.Stat, rows: list):
        rows.append(row)
        boot_stats.append(stat)
        boot_rows.append((table, len(rows) - 1))

    yv = model.var("Y")
    alpha = 1.0 - conf / 100.0
    fY = fits["Y"]
    eY = model.eq("Y")
    direct_info: dict = {}   # (j, shown value or None) -> p of the direct effect
    total_row: dict = {}     # j -> erows index of the total effect
    direct_row: dict = {}    # j -> erows index of the unconditional direct effect
    if has_m:
        if "Ytotal" in fits:
            ft, et = fits["Ytotal"], model.eq("Ytotal")
            for j in xcols:
                L = fx.link_form(model, et, "X", j, {})
                le = fx.linear_effect(L, ft.coef, ft.cov, ft.df_resid, conf)
                erows.append({"kind": "total", "path": f"{focal_name('X', j)}->{yv}", "moderator": "",
                              "moderator_value": np.nan, "effect": le["effect"], "se": le["se"],
                              "ci_low": le["ci_low"], "ci_high": le["ci_high"], "p": le["p"]})
                total_row[j] = len(erows) - 1
        dmods = fx.link_moderators(model, eY, "X")
        for j in xcols:
            for pt, shown in points(dmods):
                L = fx.link_form(model, eY, "X", j, pt)
                le = fx.linear_effect(L, fY.coef, fY.cov, fY.df_resid, conf)
                erows.append({"kind": "direct", "path": f"{focal_name('X', j)}->{yv}",
                              "moderator": model.var(shown[0][0]) if shown else "",
                              "moderator_value": shown[0][1] if shown else np.nan, "effect": le["effect"],
                              "se": le["se"], "ci_low": le["ci_low"], "ci_high": le["ci_high"], "p": le["p"]})
                direct_info[(j, shown[0][1] if shown else None)] = le["p"]
                if not shown:
                    direct_row[j] = len(erows) - 1

    ind_paths = fx.paths(model) if has_m else []

    def path_name(path: list[str], j: int) -> str:
        return "->".join(focal_name("X", j) if r == "X" else model.var(r) for r in path)

    ind_index: list[tuple] = []   # (erows index, path, j, shown)
    for j in xcols:
        for path in ind_paths:
            mods = sorted({m for a, b in zip(path[:-1], path[1:])
                           for m in fx.link_moderators(model, model.eq(b), a)})
            for pt, shown in points(mods):
                row = {"kind": "indirect", "path": path_name(path, j),
                       "moderator": model.var(shown[0][0]) if shown else "",
                       "moderator_value": shown[0][1] if shown else np.nan, "effect": np.nan, "se": np.nan,
                       "ci_low": np.nan, "ci_high": np.nan, "p": np.nan}
                add_boot("effects", row, fx.product_stat(model, path, j, pt), erows)
                ind_index.append((len(erows) - 1, tuple(path), j, shown[0][1] if shown else None))
        unmoderated = not model.tpl.moderated
        if unmoderated and len(ind_paths) > 1:
            tot = fx.Stat([t for p in ind_paths for t in fx.product_stat(model, p, j, {}).terms])
            row = {"kind": "indirect", "path": "TOTAL" if len(xcols) == 1 else f"{focal_name('X', j)}: TOTAL",
                   "moderator": "", "moderator_value": np.nan, "effect": np.nan, "se": np.nan,
                   "ci_low": np.nan, "ci_high": np.nan, "p": np.nan}
            add_boot("effects", row, tot, erows)
            ind_index.append((len(erows) - 1, ("TOTAL",), j, None))

    # index of moderated mediation
    imm_rows: list[dict] = []
    nonlinear = []
    for j in xcols:
        for path in ind_paths:
            links = [(a, b, fx.link_moderators(model, model.eq(b), a)) for a, b in zip(path[:-1], path[1:])]
            mlinks = [x for x in links if x[2]]
            if not mlinks:
                continue
            if len(mlinks) > 1:
                nonlinear.append(path_name(path, j))
                continue
            mrole = mlinks[0][2][0]
            if model.roles[mrole].kind == "categorical":
                continue
            pt = {mrole: np.array([0.0])}
            row = {"path": path_name(path, j), "moderator": model.var(mrole), "index": np.nan, "boot_se": np.nan,
                   "ci_low": np.nan, "ci_high": np.nan}
            add_boot("index_moderated_mediation", row, fx.product_stat(model, path, j, pt, slope_in=mrole),
                     imm_rows)
    if nonlinear:
        notes.append(Note("process.note.no_index", {"paths": ", ".join(nonlinear)}))

    # contrasts
    con_rows: list[dict] = []
    for j in xcols:
        if not model.tpl.moderated and len(ind_paths) > 1:
            for p1, p2 in combinations(ind_paths, 2):
                s = fx.product_stat(model, p1, j, {}) - fx.product_stat(model, p2, j, {})
                row = {"kind": "specific", "contrast": f"({path_name(p1, j)}) − ({path_name(p2, j)})",
                       "moderator": "", "effect": np.nan, "boot_se": np.nan, "ci_low": np.nan, "ci_high": np.nan}
                add_boot("contrasts", row, s, con_rows)
        for path in ind_paths:
            mods = sorted({m for a, b in zip(path[:-1], path[1:])
                           for m in fx.link_moderators(model, model.eq(b), a)})
            if len(mods) != 1:
                continue
            pts = points(mods)
            for (pa, sa), (pb, sb) in combinations(pts, 2):
                s = fx.product_stat(model, path, j, pb) - fx.product_stat(model, path, j, pa)
                row = {"kind": "conditional",
                       "contrast": f"{path_name(path, j)}: {model.var(mods[0])} = {_show(sb[0][1])} − "
                                   f"{_show(sa[0][1])}",
                       "moderator": model.var(mods[0]), "effect": np.nan, "boot_se": np.nan, "ci_low": np.nan,
                       "ci_high": np.nan}
                add_boot("contrasts", row, s, con_rows)

    # standardized effects (unmoderated mediation models)
    std_rows: list[dict] = []
    if opts.get("standardized") and has_m and not model.tpl.moderated:
        scales = ["partial"] + (["complete"] if xrole.kind == "continuous" else [])
        for sc in scales:
            for j in xcols:
                et = model.eq("Ytotal")
                items = [("total", f"{focal_name('X', j)}->{yv}",
                          fx.Stat([(1.0, [("Ytotal", fx.link_form(model, et, "X", j, {}))])])),
                         ("direct", f"{focal_name('X', j)}->{yv}",
                          fx.Stat([(1.0, [("Y", fx.link_form(model, eY, "X", j, {}))])]))]
                items += [("indirect", path_name(p, j), fx.product_stat(model, p, j, {})) for p in ind_paths]
                if len(ind_paths) > 1:
                    items.append(("indirect", "TOTAL",
                                  fx.Stat([t for p in ind_paths for t in fx.product_stat(model, p, j, {}).terms])))
                for kind, pname, st in items:
                    st.scale = sc
                    row = {"kind": kind, "path": pname, "scale": sc, "effect": np.nan, "boot_se": np.nan,
                           "ci_low": np.nan, "ci_high": np.nan}
                    add_boot("standardized", row, st, std_rows)
        if xrole.kind != "continuous":
            notes.append(Note("process.note.partial_only", {"name": xrole.var}))

    # ---- the bootstrap ------------------------------------------------------------
    replaced = 0
    if boot_stats:
        used = {role for st in boot_stats for _, factors in st.terms for role, _ in factors}
        eq_list = [(e.outcome_role, e.cols, e.y) for e in model.equations if e.outcome_role in used]
        scaled = any(st.scale for st in boot_stats)
        sd_cols = {"X": model.col_index(xrole.colnames[0]), "Y": model.eq("Y").y} if scaled else {}
        bs = Bootstrap(model.matrix(), eq_list, sd_cols)
        # point estimates from the exact OLS fits, SDs from the sample
        coefs0 = {e.outcome_role: fits[e.outcome_role].coef[None, :] for e in model.equations}
        sds0 = {"X": np.array([model.sd["X"]]), "Y": np.array([model.sd["Y"]])}
        est = fx.evaluate(boot_stats, coefs0, sds0)[0]

        def stat_fn(coefs, sds):
            return fx.evaluate(boot_stats, coefs, sds)

        if n_boot > 0:
            samples, replaced = bs.run(stat_fn, n_boot, seed, progress)
            keep = np.isfinite(samples).all(axis=1)
            if not keep.all():     # resamples still singular after repeated replacement (tiny samples)
                samples = samples[keep]
                notes.append(Note("process.note.boot_dropped", {"n": int((~keep).sum())}))
        if n_boot > 0 and len(samples) >= 2:
            bse = samples.std(axis=0, ddof=1)
            if (opts.get("ci_type") or "percentile") == "bc":
                lo, hi = bc_ci(samples, est, conf)
            else:
                lo, hi = percentile_ci(samples, conf)
        else:   # no bootstrap asked, or (tiny samples) too few usable resamples for an interval
            bse = lo = hi = np.full(len(boot_stats), np.nan)
        rowsets = {"effects": erows, "index_moderated_mediation": imm_rows, "contrasts": con_rows,
                   "standardized": std_rows}
        for k, (table, i) in enumerate(boot_rows):
            row = rowsets[table][i]
            key_est = "index" if table == "index_moderated_mediation" else "effect"
            key_se = "se" if table == "effects" else "boot_se"
            row[key_est], row[key_se], row["ci_low"], row["ci_high"] = est[k], bse[k], lo[k], hi[k]
        if replaced:
            notes.append(Note("process.note.replaced", {"n": replaced}))
    # effect shares (效应占比): each unconditional indirect effect over the total effect of its X
    opposite = []
    for i, _path, j, shown in ind_index:
        if shown is None and j in total_row:
            tot = erows[total_row[j]]["effect"]
            erows[i]["proportion"] = erows[i]["effect"] / tot if tot else np.nan
            if j in direct_row and erows[direct_row[j]]["effect"] * erows[i]["effect"] < 0:
                opposite.append(erows[i]["path"])
    if opposite:
        notes.append(Note("process.note.opposite_signs", {"paths": ", ".join(opposite)}))
    # standardized total/direct: point estimates are not bootstrapped in PROCESS; keep ours (boot CIs)
    tables["effects"] = pd.DataFrame(erows, columns=SPEC_TABLES["effects"])
    tables["index_moderated_mediation"] = pd.DataFrame(imm_rows, columns=SPEC_TABLES["index_moderated_mediation"])
    tables["contrasts"] = pd.DataFrame(con_rows, columns=SPEC_TABLES["contrasts"])
    tables["standardized"] = pd.DataFrame(std_rows, columns=SPEC_TABLES["standardized"])

    # ---- Sobel (model 4) -----------------------------------------------------------
    srows = []
    if model.number == 4:
        for j in xcols:
            for path in ind_paths:
                m = path[1]
                fa, ea = fits[m], model.eq(m)
                La = fx.link_form(model, ea, "X", j, {})
                Lb = fx.link_form(model, eY, m, 0, {})
                a, sa = float(La @ fa.coef), float(np.sqrt(La @ fa.cov @ La))
                b, sb = float(Lb @ fY.coef), float(np.sqrt(Lb @ fY.cov @ Lb))
                se = float(np.sqrt(a * a * sb * sb + b * b * sa * sa + sa * sa * sb * sb))
                z = a * b / se
                srows.append({"path": path_name(path, j), "effect": a * b, "se": se, "z": z,
                              "p": float(2 * stats.norm.sf(abs(z)))})
    tables["sobel"] = pd.DataFrame(srows, columns=SPEC_TABLES["sobel"])

    # ---- verdicts --------------------------------------------------------------------
    vrows = []
    wmod = model.var("W") if "W" in model.roles else ""
    for i, path, j, shown in ind_index:
        r = erows[i]
        if not np.isfinite(r["ci_low"]):
            continue
        excl = r["ci_low"] > 0 or r["ci_high"] < 0
        if (j, shown) in direct_info:
            cases = [(r["moderator"], shown, direct_info[(j, shown)])]
        elif (j, None) in direct_info:
            cases = [(r["moderator"], shown, direct_info[(j, None)])]
        else:   # an unconditional indirect effect with a moderated direct effect (models 5, 15): one verdict per W value
            cases = [(wmod, w, p_) for (jj, w), p_ in direct_info.items() if jj == j]
        for mod, wv, dp in cases:
            verdict = "none" if not excl else "partial" if dp < alpha else "full"
            vrows.append({"path": r["path"], "moderator": mod, "moderator_value": np.nan if wv is None else wv,
                          "verdict": verdict, "indirect": r["effect"], "ci_low": r["ci_low"],
                          "ci_high": r["ci_high"], "direct_p": dp})
    tables["verdicts"] = pd.DataFrame(vrows, columns=SPEC_TABLES["verdicts"])

    # ---- notes -----------------------------------------------------------------------
    notes.append(Note(f"process.note.conventions_{opts.get('ci_type') or 'percentile'}", {
        "model": model.number, "n_boot": n_boot, "seed": seed, "conf": _show(conf)}))
    if model.tpl.moderators:
        key = {"mean_sd": "process.note.conditioning_mean_sd"}.get(opts.get("conditioning"),
                                                                  "process.note.conditioning_percentiles")
        notes.append(Note(key))
    if model.centred:
        notes.append(Note("process.note.centred", {"names": ", ".join(model.centred)}))
    if hc:
        notes.append(Note("process.note.hc", {"hc": hc}))
    if vrows:
        notes.append(Note("process.note.verdict_rule", {"conf": _show(conf)}))
    if model.covariates:
        key = {"m": "process.note.covariates_m", "y": "process.note.covariates_y"}.get(
            opts.get("covariates_in"), "process.note.covariates_all")
        notes.append(Note(key, {"names": ", ".join(model.covariates)}))
    meta = {"seed": seed, "model": model.number, "n_boot": n_boot, "conf": conf, "replaced": replaced,
            "roles": {r: ro.var for r, ro in model.roles.items()}, "covariates": model.covariates,
            "kinds": {r: ro.kind for r, ro in model.roles.items()}, "sd": dict(model.sd)}
    return Result("process", model.n, tables, notes, meta)


def _std_coefficients(model, e, b: np.ndarray) -> np.ndarray:
    """Standardized coefficients (PROCESS stand=1): b·SD(column)/SD(outcome) —
    the coefficients of the regression on z-scored columns — for every
    regressor column (products included, as the column they are); a column
    with two distinct values (a dichotomous X, W or covariate) is not
    standardized itself: b/SD(outcome) (partially, Y-standardized); the
    constant has none."""
    cols, y = model.fit_columns(e)
    sd = model.cross.x_sd
    out = np.full(len(e.cols), np.nan)
    for j, c in enumerate(cols, start=1):
        scale = 1.0 if distinct_upto(model.columns[e.cols[j]].values, 3) == 2 else float(sd[c])
        out[j] = b[j] * scale / sd[y]
    return out


def _show(v) -> str:
    if isinstance(v, str):
        return v
    return f"{float(v):.4g}"


def _predicted(model, e, f, foc, pts, conf) -> list[dict]:
    """Predicted outcome along the x-axis predictor ``foc`` at each point of
    the line variable(s) (other predictors and covariates at their means)."""
    cols, _ = model.fit_columns(e)
    means = np.concatenate([[1.0], model.cross.xbar[cols]])
    x = model.roles[foc].values[:, 0]
    grid = np.linspace(x.min(), x.max(), PLOT_POINTS)
    tc = fx.t_crit(f.df_resid, conf)
    other_means = {r: model.roles[r].values.mean(axis=0) for r in model.roles if r not in ("Y",)}
    out = []
    for pt, shown in pts:
        for xv in grid:
            row = np.empty(len(e.cols))
            for pos, ci in enumerate(e.cols):
                comp = model.columns[ci].comp
                if not comp:
                    row[pos] = 1.0
                elif comp[0][0] == "cov":
                    row[pos] = means[pos]
                else:
                    v = 1.0
                    for r, jj in comp:
                        v *= xv if r == foc else float(pt[r][jj]) if r in pt else float(other_means[r][jj])
                    row[pos] = v
            yhat = float(row @ f.coef)
            se = float(np.sqrt(max(row @ f.cov @ row, 0.0)))
            out.append({"equation": e.label, "focal": model.roles[foc].var,
                        "moderator": model.var(shown[0][0]), "moderator_value": shown[0][1],
                        "moderator2": model.var(shown[1][0]) if len(shown) > 1 else "",
                        "moderator2_value": shown[1][1] if len(shown) > 1 else np.nan,
                        "x": float(xv), "yhat": yhat, "se": se, "ci_low": yhat - tc * se, "ci_high": yhat + tc * se})
    return out
