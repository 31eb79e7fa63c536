"""Realistic survey-platform exports with known truth (issue 13).

    python tests/platforms.py OUTDIR     # write every export to OUTDIR (to look at them)

One seeded survey of 120 civil servants — demographics, a multi-choice
question with a free-text "other", four Likert matrices, a free-text
question, and the platform's paradata — is written the way each platform
downloads it:

- 问卷星 "按选项文本下载" (answers as text) and "按选项序号下载" (answers as
  option numbers), each as .xlsx, legacy .xls (BIFF, via xlwt) and GBK .csv;
- 腾讯问卷: UTF-8-with-BOM CSV and UTF-16 tab-separated CSV;
- Qualtrics: CSV with its three header rows (names, question text, ImportId).

:func:`truth` gives the true codes (Likert 1 = most negative answer), the
true item sets of the scales, the demographic questions and the paradata
columns, by *question* (platform-neutral keys); each export says which of its
columns carries which question (``Export.columns``).
"""
from __future__ import annotations

import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

N = 120
SEED = 20240305

# ---- the questionnaire -------------------------------------------------------------------------
DEMOGRAPHICS = {  # key: (问卷星 title, options zh (natural order), options en)
    "gender": ("您的性别", ["男", "女"], ["Male", "Female"]),
    "age": ("您的年龄", ["25岁及以下", "26-35岁", "36-45岁", "46岁及以上"],
            ["25 or younger", "26-35", "36-45", "46 or older"]),
    "education": ("您的学历", ["高中/中专及以下", "大专", "本科", "硕士", "博士"],
                  ["High school or less", "Associate degree", "Bachelor's degree", "Master's degree", "Doctorate"]),
    "tenure": ("您在本单位的工作年限", ["1年以下", "1-3年", "3-5年", "5年以上"],
               ["Less than 1 year", "1-3 years", "3-5 years", "More than 5 years"]),
}
DEMO_P = {"gender": [.55, .45], "age": [.2, .35, .3, .15], "education": [.1, .25, .45, .17, .03],
          "tenure": [.12, .28, .3, .3]}

AGREE = (["非常不同意", "不同意", "一般", "同意", "非常同意"],
         ["Strongly disagree", "Somewhat disagree", "Neither agree nor disagree", "Somewhat agree", "Strongly agree"])
CONFORM = (["完全不符合", "比较不符合", "不确定", "比较符合", "完全符合"],
           ["Not at all true", "Slightly true", "Moderately true", "Very true", "Completely true"])
FREQ = (["从不", "很少", "有时", "经常", "总是"], ["Never", "Rarely", "Sometimes", "Often", "Always"])
SATIS7 = (["非常不满意", "不满意", "比较不满意", "一般", "比较满意", "满意", "非常满意"],
          ["Extremely dissatisfied", "Moderately dissatisfied", "Slightly dissatisfied",
           "Neither satisfied nor dissatisfied", "Slightly satisfied", "Moderately satisfied", "Extremely satisfied"])

# scale key: (dimension title, answer set, items zh, items en, loading on the latent pressure)
SCALES = {
    "pressure": ("工作压力", AGREE, [
        "我经常需要加班才能完成工作任务", "工作任务多，时间紧", "我感到工作责任重大", "领导对我的要求过高",
        "下班后我仍在想工作上的事"],
        ["I often work overtime to finish my tasks", "Many tasks, little time", "My responsibilities feel heavy",
         "My superiors ask too much of me", "I keep thinking about work after hours"], 1.0),
    "climate": ("组织氛围", CONFORM, [
        "单位内部沟通顺畅，信息公开透明", "同事之间相互支持", "领导愿意听取下属意见", "单位奖惩公平"],
        ["Communication is open, information transparent", "Colleagues support each other",
         "Leaders listen to their staff", "Rewards and sanctions are fair"], -0.6),
    "burnout": ("职业倦怠", FREQ, [
        "工作让我感到身心俱疲", "我对工作越来越没有热情", "早上起床想到要上班就觉得累", "我怀疑自己工作的意义"],
        ["Work leaves me exhausted", "I am less and less enthusiastic about work",
         "I feel tired when I think of work in the morning", "I doubt the meaning of my work"], 0.8),
    "satisfaction": ("工作满意度", SATIS7, [
        "对薪酬福利", "对晋升机会", "对工作环境"],
        ["Pay and benefits", "Chances of promotion", "Working conditions"], -0.7),
}
COPING = ["运动", "听音乐", "与朋友聊天", "其他"]
COPING_EN = ["Exercise", "Music", "Talking with friends", "Other"]
COPING_OTHER = ["打游戏", "钓鱼", "看书，写字"]


@dataclass
class Truth:
    codes: pd.DataFrame            # one column per question key (demographics: 1-based option number)
    scales: dict[str, list[str]]   # scale key -> item keys (pressure_1, …)
    k: dict[str, int]              # scale key -> number of answer points
    duration: np.ndarray           # seconds
    demographics: list[str] = field(default_factory=lambda: list(DEMOGRAPHICS))


def truth(seed: int = SEED) -> Truth:
    rng = np.random.default_rng(seed)
    codes = {}
    for key, p in DEMO_P.items():
        codes[key] = rng.choice(np.arange(1, len(p) + 1), size=N, p=p)
    latent = rng.normal(size=N) + 0.35 * (codes["gender"] == 2) - 0.1 * codes["education"]
    scales, k = {}, {}
    for key, (_, answers, items, _, load) in SCALES.items():
        kk = len(answers[0])
        k[key] = kk
        names = []
        for j in range(len(items)):
            x = load * latent + rng.normal(scale=0.9, size=N)
            cuts = np.quantile(x, np.linspace(0, 1, kk + 1)[1:-1] + rng.uniform(-.05, .05, kk - 1))
            codes[f"{key}_{j + 1}"] = 1 + np.searchsorted(cuts, x)
            names.append(f"{key}_{j + 1}")
        scales[key] = names
    frame = pd.DataFrame(codes)
    frame.index = pd.RangeIndex(1, N + 1)
    duration = rng.integers(40, 900, size=N)
    duration[:6] = [12, 15, 18, 20, 25, 30]   # speeders
    return Truth(codes=frame, scales=scales, k=k, duration=duration)


@dataclass
class Export:
    name: str                      # file name
    content: bytes
    platform: str                  # wjx / tencent / qualtrics
    kind: str                      # text / numeric
    columns: dict[str, str]        # question key -> column name in the file
    paradata: list[str]            # paradata / id column names in the file
    multi: list[str]               # multi-choice (and its free-text) columns
    free_text: list[str]


def _wjx_frame(tr: Truth, numeric: bool, rng) -> tuple[pd.DataFrame, Export]:
    c = tr.codes
    cols, columns = {}, {}
    start = pd.Timestamp("2024-03-05 08:00:00") + pd.to_timedelta(np.sort(rng.integers(0, 86400 * 6, N)), unit="s")
    cities = ["山西-晋城", "北京-北京", "广东-深圳", "四川-成都", "江苏-南京"]
    paradata = {"序号": np.arange(1, N + 1),
                "提交答卷时间": [f"{t:%Y/%m/%d %H:%M:%S}" for t in start],
                "所用时间": [f"{d}秒" for d in tr.duration],
                "来源": rng.choice(["微信", "手机提交", "链接"], size=N),
                "来源详情": rng.choice(["直接访问", "N/A"], size=N),
                "来自IP": [f"112.{rng.integers(1, 255)}.{rng.integers(1, 255)}.{rng.integers(1, 255)}"
                         f"({cities[rng.integers(0, len(cities))]})" for _ in range(N)]}
    cols.update(paradata)
    q = 0
    for key, (title, opts, _) in DEMOGRAPHICS.items():
        q += 1
        name = f"{q}、{title}："
        cols[name] = c[key].to_numpy() if numeric else [opts[v - 1] for v in c[key]]
        columns[key] = name
    q += 1
    chosen = rng.random((N, len(COPING))) < [.5, .4, .3, .1]
    chosen[~chosen.any(axis=1), 0] = True
    other = [COPING_OTHER[rng.integers(0, len(COPING_OTHER))] for _ in range(N)]
    multi = []
    if numeric:
        for j, opt in enumerate(COPING):
            name = f"{q}({opt})"
            cols[name] = chosen[:, j].astype(int)
            multi.append(name)
    else:
        name = f"{q}、您平时主要的减压方式：[多选题]"
        cols[name] = ["┋".join(o if o != "其他" else f"其他〖{other[i]}〗" for o, ch in zip(COPING, chosen[i]) if ch)
                      for i in range(N)]
        multi.append(name)
    for key, (title, answers, items, _, _) in SCALES.items():
        q += 1
        for j, item in enumerate(items):
            name = f"{q}、({item})"
            v = c[f"{key}_{j + 1}"].to_numpy()
            cols[name] = v if numeric else [answers[0][x - 1] for x in v]
            columns[f"{key}_{j + 1}"] = name
    q += 1
    free = f"{q}、您对减轻工作压力有什么建议？"
    cols[free] = _free_text(rng, "(跳过)")
    score = sum(c[f"{key}_{j + 1}"] for key in SCALES for j in range(len(SCALES[key][2])))
    cols["总分"] = score.to_numpy()
    frame = pd.DataFrame(cols)
    return frame, Export("", b"", "wjx", "numeric" if numeric else "text", columns,
                         list(paradata) + ["总分"], multi, [free])


def _free_text(rng, skipped: str) -> list[str]:
    """Suggestions as people write them: varied, some skipped."""
    a = ["希望", "建议", "请", "最好能"]
    b = ["减少加班", "合理安排任务", "增加人手", "多些培训", "减少会议", "提高待遇"]
    c = ["，谢谢", "。", "，多些关心", "，提高效率", ""]
    return [skipped if rng.random() < .25 else f"{rng.choice(a)}{rng.choice(b)}{rng.choice(c)}" for _ in range(N)]


def _xls(frame: pd.DataFrame) -> bytes:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    for j, name in enumerate(frame.columns):
        ws.write(0, j, name)
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, v in enumerate(row):
            ws.write(i, j, v.item() if hasattr(v, "item") else v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_excel(buf, index=False, sheet_name="Sheet1")
    return buf.getvalue()


def _tencent_frame(tr: Truth, rng) -> tuple[pd.DataFrame, Export]:
    c = tr.codes
    start = pd.Timestamp("2024-03-05 08:00:00") + pd.to_timedelta(np.sort(rng.integers(0, 86400 * 6, N)), unit="s")
    cols = {"编号": np.arange(1001, 1001 + N),
            "开始答题时间": [f"{t:%Y-%m-%d %H:%M:%S}" for t in start],
            "结束答题时间": [f"{t + pd.Timedelta(seconds=int(d)):%Y-%m-%d %H:%M:%S}" for t, d in zip(start, tr.duration)],
            "答题时长": [f"{d}秒" for d in tr.duration],
            "IP地址": [f"10.{rng.integers(1, 255)}.{rng.integers(1, 255)}.{rng.integers(1, 255)}" for _ in range(N)],
            "用户ID": [f"o{rng.integers(10**9, 10**10)}" for _ in range(N)]}
    paradata = list(cols)
    columns = {}
    q = 0
    for key, (title, opts, _) in DEMOGRAPHICS.items():
        q += 1
        name = f"{q}.{title}"
        cols[name] = [f"{chr(64 + v)}.{opts[v - 1]}" for v in c[key]]
        columns[key] = name
    q += 1
    chosen = rng.random((N, len(COPING) - 1)) < [.5, .4, .3]
    chosen[~chosen.any(axis=1), 0] = True
    multi = f"{q}.您平时主要的减压方式"
    cols[multi] = ["┋".join(f"{chr(65 + j)}.{o}" for j, (o, ch) in enumerate(zip(COPING[:-1], chosen[i])) if ch)
                   for i in range(N)]
    for key, (title, answers, items, _, _) in SCALES.items():
        q += 1
        for j, item in enumerate(items):
            name = f"Q{q}:{title}—{item}"
            cols[name] = [answers[0][x - 1] for x in c[f"{key}_{j + 1}"]]
            columns[f"{key}_{j + 1}"] = name
    q += 1
    free = f"{q}.您对减轻工作压力有什么建议"
    cols[free] = _free_text(rng, "")
    return pd.DataFrame(cols), Export("", b"", "tencent", "text", columns, paradata, [multi], [free])


def _qualtrics(tr: Truth, rng) -> Export:
    c = tr.codes
    start = pd.Timestamp("2024-03-05 08:00:00") + pd.to_timedelta(np.sort(rng.integers(0, 86400 * 6, N)), unit="s")
    names = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished",
             "RecordedDate", "ResponseId", "LocationLatitude", "LocationLongitude", "DistributionChannel",
             "UserLanguage"]
    texts = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)",
             "Finished", "Recorded Date", "Response ID", "Location Latitude", "Location Longitude",
             "Distribution Channel", "User Language"]
    ids = ['{"ImportId":"startDate","timeZone":"Asia/Shanghai"}', '{"ImportId":"endDate","timeZone":"Asia/Shanghai"}',
           '{"ImportId":"status"}', '{"ImportId":"ipAddress"}', '{"ImportId":"progress"}', '{"ImportId":"duration"}',
           '{"ImportId":"finished"}', '{"ImportId":"recordedDate","timeZone":"Asia/Shanghai"}',
           '{"ImportId":"_recordId"}', '{"ImportId":"locationLatitude"}', '{"ImportId":"locationLongitude"}',
           '{"ImportId":"distributionChannel"}', '{"ImportId":"userLanguage"}']
    end = [t + pd.Timedelta(seconds=int(d)) for t, d in zip(start, tr.duration)]
    data = [[f"{s:%Y-%m-%d %H:%M:%S}" for s in start], [f"{e:%Y-%m-%d %H:%M:%S}" for e in end], ["0"] * N,
            [f"58.{rng.integers(1, 255)}.{rng.integers(1, 255)}.{rng.integers(1, 255)}" for _ in range(N)],
            ["100"] * N, [str(d) for d in tr.duration], ["1"] * N, [f"{e:%Y-%m-%d %H:%M:%S}" for e in end],
            [f"R_{rng.integers(10**14, 10**15):x}" for _ in range(N)],
            [f"{v:.4f}" for v in rng.uniform(30, 40, N)], [f"{v:.4f}" for v in rng.uniform(110, 120, N)],
            ["anonymous"] * N, ["EN"] * N]
    paradata = list(names)
    columns = {}
    q = 0
    for key, (_, _, opts) in DEMOGRAPHICS.items():
        q += 1
        names.append(f"Q{q}")
        texts.append({"gender": "What is your gender?", "age": "How old are you?",
                      "education": "What is the highest degree you have completed?",
                      "tenure": "How long have you worked in this organisation?"}[key])
        ids.append(f'{{"ImportId":"QID{q}"}}')
        data.append([opts[v - 1] for v in c[key]])
        columns[key] = f"Q{q}"
    q += 1
    for key, (_, answers, _, items, _) in SCALES.items():
        q += 1
        for j, item in enumerate(items):
            names.append(f"Q{q}_{j + 1}")
            texts.append(f"How much do these statements describe your work? - {item}")
            ids.append(f'{{"ImportId":"QID{q}_{j + 1}"}}')
            data.append([answers[1][x - 1] for x in c[f"{key}_{j + 1}"]])
            columns[f"{key}_{j + 1}"] = f"Q{q}_{j + 1}"
    q += 1
    names.append(f"Q{q}")
    texts.append("Any suggestions for reducing work pressure?")
    ids.append(f'{{"ImportId":"QID{q}_TEXT"}}')
    data.append([("" if rng.random() < .3 else f"{rng.choice(['Fewer', 'Shorter', 'No'])} "
                  f"{rng.choice(['meetings', 'reports', 'night shifts', 'weekend duties'])}, "
                  f"{rng.choice(['please', 'and more staff', 'and fair pay', 'thanks'])}") for _ in range(N)])
    frame = pd.DataFrame(dict(zip(range(len(names)), data)))
    header = pd.DataFrame([names, texts, ids])
    buf = io.StringIO()
    pd.concat([header, pd.DataFrame(frame.to_numpy())], ignore_index=True).to_csv(buf, index=False, header=False)
    return Export("qualtrics.csv", buf.getvalue().encode("utf-8"), "qualtrics", "text", columns, paradata, [],
                  [f"Q{q}"])


def exports(seed: int = SEED) -> dict[str, Export]:
    """Every export, keyed by a short id (wjx_text_xlsx, …, qualtrics_csv)."""
    tr = truth(seed)
    rng = np.random.default_rng(seed + 1)
    out = {}
    for numeric in (False, True):
        frame, ex = _wjx_frame(tr, numeric, rng)
        kind = ex.kind
        stem = {"text": "问卷星_按选项文本", "numeric": "问卷星_按选项序号"}[kind]
        csv_text = frame.to_csv(index=False, lineterminator="\r\n")
        csv_text += ",".join([""] * frame.shape[1]) + "\r\n"   # Excel's trailing empty row
        for fmt, name, content in (("xlsx", f"{stem}.xlsx", _xlsx(frame)), ("xls", f"{stem}.xls", _xls(frame)),
                                   ("csv", f"{stem}.csv", csv_text.encode("gbk"))):
            out[f"wjx_{kind}_{fmt}"] = Export(name, content, "wjx", kind, ex.columns, ex.paradata, ex.multi,
                                              ex.free_text)
    frame, ex = _tencent_frame(tr, rng)
    out["tencent_utf8"] = Export("腾讯问卷.csv", frame.to_csv(index=False).encode("utf-8-sig"), "tencent", "text",
                                 ex.columns, ex.paradata, ex.multi, ex.free_text)
    out["tencent_utf16"] = Export("腾讯问卷_utf16.csv", frame.to_csv(index=False, sep="\t").encode("utf-16"),
                                  "tencent", "text", ex.columns, ex.paradata, ex.multi, ex.free_text)
    out["qualtrics_csv"] = _qualtrics(tr, rng)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    target.mkdir(parents=True, exist_ok=True)
    for ex in exports().values():
        (target / ex.name).write_bytes(ex.content)
        print(target / ex.name)
