"""Exploratory factor analysis with KMO, Bartlett's test, parallel analysis
and Harman's single-factor test (SPSS FACTOR / psych::fa, psych::principal).

Items are taken as scored (scale missing codes blanked, reverse keys applied
when the item belongs to a defined scale) and rows with a missing item are left
out (listwise, SPSS FACTOR's default).  All extraction and rotation is done
here in NumPy (see ``core.analyses._factor`` for the exact conventions), not
with factor_analyzer, whose oblique communalities, "principal" method and
randomized SVD do not follow SPSS/psych.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.analyses import _factor as fx
from core.analyses._sem import threadpool_limits
from core.data.model import Dataset
from core.errors import UserError
from core.i18n import t
from core.types import AnalysisSpec, Column, Note, Option, Result, TableSpec, ViewSpec

METHODS = ("pc", "pa", "minres", "ml")
ROTATIONS = ("none", "varimax", "promax", "oblimin")


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


def loading_view(result: Result, ds: Dataset, lang: str, options: dict | None = None) -> tuple[pd.DataFrame, str]:
    """The ``loading_matrix`` view: :func:`loading_matrix` with the analysis'
    display options ``cutoff`` and ``sort``, and a footnote saying what they did."""
    options = options or {}
    cutoff = float(options.get("cutoff") if options.get("cutoff") is not None else 0.3)
    sort = bool(options.get("sort", True))
    notes = []
    if cutoff > 0:
        notes.append(t("efa.view.cutoff", lang, cutoff=f"{cutoff:.2f}"))
    if sort:
        notes.append(t("efa.view.sorted", lang))
    return loading_matrix(result.tables["loadings"], cutoff, sort), ("" if lang == "zh" else " ").join(notes)


def _charts(result, ds, lang):
    from core.charts import measurement as mc

    out = [("scree", mc.scree(result.tables["eigenvalues"], lang))]
    if not result.tables["loadings"].empty and result.tables["loadings"]["factor"].nunique() > 0:
        out.append(("loadings", mc.loadings_heatmap(result.tables["loadings"], lang)))
    return out


def _interpret(result, ds, lang):
    from core.interpret.measurement import efa_text

    return efa_text(result, lang)


SPEC = AnalysisSpec(
    type="efa",
    group="measurement",
    doc=("Exploratory factor analysis: KMO and Bartlett's test, extraction by principal components (SPSS "
         "FACTOR's default), iterated principal axis, minres or maximum likelihood, rotation none / varimax / "
         "promax / oblimin, number of factors by eigenvalue > 1 (SPSS default), parallel analysis or a fixed "
         "number, and Harman's single-factor test. Listwise deletion. Matches psych::fa / psych::principal: "
         "pa iterates as psych (SMC start, stop when the communalities' sum changes < .001, ≤ 50 iterations); "
         "varimax = stats::varimax (Kaiser normalised); promax = psych (power 4; fa() Kaiser-normalises first, "
         "principal() uses stats::promax); oblimin = GPArotation::oblimin without Kaiser normalisation (psych's "
         "choice; SPSS normalises rows first — kaiser_oblimin = true does that, = GPArotation normalize = TRUE; the "
         "two differ by up to ~0.1 in loadings). Factors are named F1…Fk, signed to sum positive and ordered by variance "
         "accounted for. Parallel analysis: mean eigenvalues of n_iter seeded standard-normal data sets of the "
         "same size (principal components, Horn); factors are retained while the observed eigenvalue exceeds "
         "the simulated mean."),
    options=(
        Option("items", "variables", default=[], role="item",
               doc="Items to analyse (default: the items of every defined scale that is not a total of other scales)."),
        Option("n_factors", "json", default="eigen",
               doc="Number of factors: a whole number, \"eigen\" (eigenvalue > 1, SPSS) or \"parallel\"."),
        Option("method", "choice", default="pc", choices=METHODS,
               doc="Extraction: pc (principal components, SPSS default), pa (iterated principal axis), minres, ml."),
        Option("rotation", "choice", default="none", choices=ROTATIONS,
               doc="Rotation: none (SPSS default), varimax, promax, oblimin (direct quartimin, no Kaiser normalisation)."),
        Option("kaiser_oblimin", "bool", default=False,
               doc="Oblimin with Kaiser (row) normalisation, as SPSS; default off, as psych/GPArotation."),
        Option("n_iter", "int", default=100, min=10, max=5000, doc="Parallel analysis: number of simulated data sets."),
        Option("seed", "int", default=20240607, min=0, max=2**32 - 1, doc="Parallel analysis: random seed."),
        Option("cutoff", "float", default=0.3, min=0.0, max=1.0, fit=False,
               doc="Display only: hide loadings whose absolute value is below this."),
        Option("sort", "bool", default=True, fit=False,
               doc="Display only: sort items by their strongest factor and loading."),
    ),
    tables=(
        TableSpec("kmo", (
            Column("item", "text", "Item, or \"overall\" for the whole matrix."),
            Column("msa", "num", "Kaiser–Meyer–Olkin measure of sampling adequacy (psych::KMO)."),
        ), "KMO overall and per item."),
        TableSpec("bartlett", (
            Column("chi2", "num", "Bartlett's χ² = −ln|R| · (n − 1 − (2p + 5)/6)."),
            Column("df", "int", "p(p − 1)/2."),
            Column("p", "p", "p value."),
            Column("n", "int", "Rows used."),
        ), "Bartlett's test of sphericity."),
        TableSpec("loadings", (
            Column("item", "text", "Item."),
            Column("factor", "text", "Factor F1…Fk."),
            Column("loading", "num", "Rotated loading (pattern loading for oblique rotations)."),
            Column("structure", "num", "Structure coefficient (pattern × factor correlations; = loading when orthogonal)."),
            Column("communality", "num", "Communality h² of the item (extraction; unchanged by rotation)."),
        ), "One row per item × factor."),
        TableSpec("variance", (
            Column("factor", "text", "Factor."),
            Column("initial_eigenvalue", "num", "Eigenvalue of the correlation matrix (SPSS 'Initial Eigenvalues')."),
            Column("extraction_ss", "num", "Sum of squared unrotated loadings (SPSS 'Extraction Sums of Squared Loadings')."),
            Column("ss_loadings", "num", "Variance accounted for after rotation (psych 'SS loadings'; oblique: diag(Φ L′L))."),
            Column("proportion", "num", "ss_loadings / number of items."),
            Column("cumulative", "num", "Cumulative proportion (not defined for oblique rotations)."),
        ), "Variance explained per factor."),
        TableSpec("harman", (
            Column("first_factor_proportion", "num", "Share of total variance of the first unrotated principal "
                                                     "component (Harman's single-factor test; > .40–.50 suggests "
                                                     "common-method bias)."),
            Column("first_eigenvalue", "num", "First eigenvalue of the correlation matrix."),
            Column("n_items", "int", "Number of items."),
        ), "Harman's single-factor test."),
        TableSpec("eigenvalues", (
            Column("component", "int", "Component number."),
            Column("eigenvalue", "num", "Eigenvalue of the item correlation matrix."),
            Column("proportion", "num", "Eigenvalue / number of items."),
            Column("cumulative", "num", "Cumulative proportion."),
            Column("parallel", "num", "Mean eigenvalue of simulated random data (parallel analysis only)."),
        ), "All eigenvalues, for the scree plot."),
        TableSpec("factor_correlations", (
            Column("factor_a", "text", "Factor."),
            Column("factor_b", "text", "Factor."),
            Column("r", "num", "Correlation between the rotated factors (oblique rotations only)."),
        ), "Factor correlations Φ after promax or oblimin."),
    ),
    run=run,
    charts=_charts,
    interpret=_interpret,
    findings=lambda res, ds, lang: _mi().efa_findings(res, ds, lang),
    views=(ViewSpec("loading_matrix", loading_view,
                    "Items × factors with communalities, loadings below the cutoff blank, sorted by each item's "
                    "strongest factor (the options cutoff and sort)."),),
)


def _mi():
    from core.interpret import measurement

    return measurement
