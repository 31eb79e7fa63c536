"""Exploratory factor analysis with KMO, Bartlett's test, parallel analysis
and Harman's single-factor test (SPSS FACTOR / psych::fa, psych::principal).

Items are taken as scored (scale missing codes blanked, reverse keys applied
when the item belongs to a defined scale) and rows with a missing item are left
out (listwise, SPSS FACTOR's default).  All extraction and rotation is done
here in NumPy (see ``core.engines.factor`` for the exact conventions), not
with factor_analyzer, whose oblique communalities, "principal" method and
randomized SVD do not follow SPSS/psych.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.engines import factor as fx
from core.engines.sem import threadpool_limits
from core.data.model import Dataset
from core.errors import UserError
from core.types import Note, Result



def leaf_scales(ds: Dataset) -> list[str]:
    """Defined scales that do not contain another scale's items (a total
    scale made of sub-dimensions is left out)."""
    sets = {n: set(s["items"]) for n, s in ds.scales.items()}
    return [n for n, s in sets.items() if not any(m != n and o < s for m, o in sets.items())]


def item_matrix(ds: Dataset, items: list[str]) -> pd.DataFrame:
    """Items as analysed: the scale's own missing codes blanked and reverse keys
    applied (min + max − x) for items of a defined scale (the first scale that
    lists the item), exactly as ``core.data.prepare.scored_items``."""
    owner = {}
    for sc in ds.scales.values():
        for it in sc["items"]:
            owner.setdefault(it, sc)
    for it in items:
        ds.require(it)
        if not ds.is_numeric(it):
            raise UserError("error.not_numeric", name=it)
    x = ds.frame[items].to_numpy(dtype="float64", na_value=np.nan, copy=True)
    for j, it in enumerate(items):
        sc = owner.get(it)
        if sc is None:
            continue
        if sc.get("missing"):
            x[np.isin(x[:, j], np.asarray(sc["missing"], dtype=float)), j] = np.nan
        if it in (sc.get("reverse") or []):
            x[:, j] = float(sc["min"]) + float(sc["max"]) - x[:, j]
    return pd.DataFrame(x, index=ds.frame.index, columns=items)


def default_items(ds: Dataset) -> list[str]:
    out = []
    for name in leaf_scales(ds):
        out += [i for i in ds.scales[name]["items"] if i not in out]
    return out


def parse_n_factors(value) -> int | str:
    if value is None:
        return "eigen"
    if isinstance(value, str):
        v = value.strip().lower()
        if v in ("eigen", "parallel"):
            return v
        if v.isdigit():
            value = int(v)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise UserError("efa.error.n_factors", value=str(value)[:40])


def run(ds: Dataset, opts: dict) -> Result:
    with threadpool_limits(1):   # BLAS threads only slow these small matrices down
        return _run(ds, opts)


def _run(ds: Dataset, opts: dict) -> Result:
    items = list(dict.fromkeys(opts.get("items") or [])) or default_items(ds)
    if len(items) < 3:
        raise UserError("efa.error.few_items", k=len(items))
    method, rotation = opts.get("method") or "pc", opts.get("rotation") or "none"
    nf_opt = parse_n_factors(opts.get("n_factors"))
    notes: list[Note] = []
    x = item_matrix(ds, items).to_numpy(dtype="float64", na_value=np.nan)
    ok = ~np.isnan(x).any(axis=1)
    x = x[ok]
    n, p = x.shape
    if n < p + 2:
        raise UserError("efa.error.too_few_rows", n=n, k=p)
    c, _, _ = fx.cov_listwise(x)
    sd = np.sqrt(np.diag(c))
    const = [it for it, s in zip(items, sd) if not s > 0]
    if const:
        raise UserError("efa.error.constant", items=", ".join(const))
    r = fx.cov_to_cor(c)
    fx.check_pd(r, items)

    overall, per = fx.kmo(r)
    chi2, df, pval = fx.bartlett(r, n)
    eig = np.sort(np.linalg.eigvalsh(r))[::-1]
    seed = int(opts.get("seed") if opts.get("seed") is not None else 20240607)
    n_iter = int(opts.get("n_iter") or 100)
    par = fx.parallel_eigen(n, p, n_iter, seed) if nf_opt == "parallel" else None
    if nf_opt == "eigen":
        nf = max(1, int((eig > 1).sum()))
        notes.append(Note("efa.note.eigen_rule", {"k": nf}))
    elif nf_opt == "parallel":
        above = eig > par
        nf = int(np.argmin(above)) if not above.all() else p
        nf = max(1, nf)
        notes.append(Note("efa.note.parallel_rule", {"k": nf, "iter": n_iter, "seed": seed}))
    else:
        nf = nf_opt
    if nf >= p:
        raise UserError("efa.error.too_many_factors", k=nf, p=p)
    if method != "pc" and ((p - nf) ** 2 - (p + nf)) < 0:
        raise UserError("efa.error.too_many_factors", k=nf, p=p)

    ext = fx.extract(r, nf, method)
    if not ext["converged"]:
        notes.append(Note("efa.note.not_converged", {"method": method}))
    unrot = ext["loadings"]
    lam, phi, rot_ok = fx.rotate(unrot, rotation, method, bool(opts.get("kaiser_oblimin")))
    if not rot_ok:
        notes.append(Note("efa.note.rotation_not_converged"))
    lam, phi = fx.order_and_sign(lam, phi)
    h2 = ext["communality"]
    if method != "pc" and np.any(h2 >= 1.0):
        notes.append(Note("efa.note.heywood", {"items": ", ".join(it for it, h in zip(items, h2) if h >= 1.0)}))
    names = [f"F{j + 1}" for j in range(nf)]
    struct = lam @ phi if phi is not None else lam

    rows = []
    for i, it in enumerate(items):
        for j, f in enumerate(names):
            rows.append({"item": it, "factor": f, "loading": float(lam[i, j]), "structure": float(struct[i, j]),
                         "communality": float(h2[i])})
    loadings = pd.DataFrame(rows, columns=["item", "factor", "loading", "structure", "communality"])

    ss = fx.ss_loadings(lam, phi)
    prop = ss / p
    var_rows = [{"factor": f, "initial_eigenvalue": float(eig[j]), "extraction_ss": float((unrot[:, j] ** 2).sum()),
                 "ss_loadings": float(ss[j]), "proportion": float(prop[j]),
                 "cumulative": float(prop[: j + 1].sum()) if phi is None else np.nan}
                for j, f in enumerate(names)]
    variance = pd.DataFrame(var_rows, columns=["factor", "initial_eigenvalue", "extraction_ss", "ss_loadings",
                                               "proportion", "cumulative"])
    if phi is not None:
        notes.append(Note("efa.note.oblique_variance"))
    eig_df = pd.DataFrame({"component": np.arange(1, p + 1), "eigenvalue": eig, "proportion": eig / p,
                           "cumulative": np.cumsum(eig) / p,
                           "parallel": par if par is not None else np.full(p, np.nan)})
    kmo_df = pd.DataFrame({"item": ["overall"] + items, "msa": np.concatenate([[overall], per])})
    bart = pd.DataFrame([{"chi2": chi2, "df": df, "p": pval, "n": n}])
    harman = pd.DataFrame([{"first_factor_proportion": float(eig[0] / p), "first_eigenvalue": float(eig[0]),
                            "n_items": p}])
    corr_rows = []
    if phi is not None:
        for a in range(nf):
            for b in range(a + 1, nf):
                corr_rows.append({"factor_a": names[a], "factor_b": names[b], "r": float(phi[a, b])})
    fcorr = pd.DataFrame(corr_rows, columns=["factor_a", "factor_b", "r"])
    notes.append(Note(f"efa.note.method_{method}"))
    if rotation == "oblimin" and opts.get("kaiser_oblimin"):
        notes.append(Note("efa.note.rotation_oblimin_kaiser"))
    elif rotation != "none":
        notes.append(Note(f"efa.note.rotation_{rotation}"))
    notes.append(Note("efa.note.harman"))
    return Result("efa", n, {"kmo": kmo_df, "bartlett": bart, "loadings": loadings, "variance": variance,
                             "harman": harman, "eigenvalues": eig_df, "factor_correlations": fcorr}, notes,
                  meta={"n_factors": nf, "method": method, "rotation": rotation, "seed": seed})


def loading_matrix(loadings: pd.DataFrame, cutoff: float = 0.0, sort: bool = True) -> pd.DataFrame:
    """Wide display of the loadings (item × factor, plus communality): sorted
    by each item's strongest factor and loading when ``sort``, loadings with
    |loading| < ``cutoff`` blanked (NaN).  Pure; for pages and exports."""
    if loadings.empty:
        return pd.DataFrame()
    wide = loadings.pivot(index="item", columns="factor", values="loading")
    factors = list(dict.fromkeys(loadings["factor"]))
    items = list(dict.fromkeys(loadings["item"]))
    wide = wide.loc[items, factors]
    comm = loadings.drop_duplicates("item").set_index("item")["communality"]
    if sort:
        absw = wide.abs()
        primary = absw.values.argmax(axis=1)
        best = absw.values.max(axis=1)
        order = sorted(range(len(items)), key=lambda i: (primary[i], -best[i]))
        wide = wide.iloc[order]
    shown = wide.where(wide.abs() >= cutoff) if cutoff > 0 else wide
    out = shown.reset_index().rename(columns={"index": "item"})
    out.columns.name = None
    out["communality"] = comm.loc[out["item"]].to_numpy()
    return out
