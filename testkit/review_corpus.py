"""Deterministic synthetic corpus for document review (tests and bench/review.py): templated complaint letters with
realistic variation and OCR-style noise, authorisation letters from consulting companies, law firms and relatives,
waves of hardship certificates, and genuinely individual letters that must never be linked. Seeded: the same seed
gives the same corpus. Images are rendered on the fly with the Noto CJK font (fonts-noto-cjk)."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path

from assist.core.pii import id_check_digit
from assist.review.types import DocKind
from testkit import review_corpus_text as T

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆汪范"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国红梅玉志海燕婷雪峰晓东丹宇浩然涵欣思远佳怡俊文博"
LENDERS = ("恒信消费金融有限公司", "瑞丰小额贷款有限公司", "安和消费金融有限公司", "众诚网络小额贷款有限公司",
           "嘉禾银行信用卡中心", "长盛消费金融股份有限公司")
CITIES = ("北京市", "上海市", "广州市", "成都市", "杭州市", "武汉市", "西安市", "长沙市", "郑州市", "南昌市")
FIRM_WORDS = ("正衡", "明德", "方圆", "致远", "同济", "海川")
REGIONS = ("110101", "310104", "440106", "510107", "420102", "430103")
CONFUSIONS = {"己": "已", "已": "己", "未": "末", "末": "未", "日": "曰", "人": "入", "土": "士", "贷": "货", "账": "帐",
              "天": "夭", "于": "千", "0": "O", "1": "l", "问": "间", "赔": "陪"}


@dataclass(frozen=True)
class SynthDoc:
    """One generated document and what it really is."""

    name: str
    text: str
    kind: DocKind
    family: str          # complaint-template | complaint-individual | auth-fake | auth-firm | auth-family | cert-wave | cert-individual
    group: str | None    # documents sharing a group come from one template, wave or standard form; None = individual
    noisy: bool = False  # OCR-style noise was applied


class _Faker:
    """Names, numbers and dates drawn from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def name(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2))))

    def id_card(self) -> str:
        r = self.rng
        born = dt.date(1965, 1, 1) + dt.timedelta(days=r.randrange(0, 35 * 365))
        body = r.choice(REGIONS) + born.strftime("%Y%m%d") + f"{r.randrange(1000):03d}"
        return body + id_check_digit(body)

    def phone(self) -> str:
        return "1" + self.rng.choice("3578") + "".join(self.rng.choice("0123456789") for _ in range(9))

    def landline(self) -> str:
        return f"0{self.rng.choice(('10', '21', '20', '28', '571', '27'))}-{self.rng.randrange(10**7, 10**8)}"

    def date(self, base: dt.date, spread: int = 20) -> dt.date:
        return base + dt.timedelta(days=self.rng.randrange(-spread, spread + 1))

    @staticmethod
    def fmt(d: dt.date) -> str:
        return f"{d.year}年{d.month}月{d.day}日"

    def licence(self) -> str:
        r = self.rng
        return ("1" + r.choice(("11", "31", "44", "51", "42")) + f"{r.randrange(1, 20):02d}" + str(r.randrange(1995, 2022))
                + "1" + r.choice("01") + f"{r.randrange(10**6):06d}")

    def fields(self, base: dt.date) -> dict[str, str]:
        r = self.rng
        signed = self.date(base)
        return {"name": self.name(), "id": self.id_card(), "id2": self.id_card(), "phone": self.phone(),
                "lender": r.choice(LENDERS), "amount": str(r.choice((5000, 8000, 12000, 20000, 30000, 46000, 80000))),
                "loan_date": self.fmt(signed - dt.timedelta(days=r.randrange(200, 700))), "date": self.fmt(signed),
                "hardship": r.choice(T.HARDSHIPS), "n": str(r.choice((36, 48, 60, 72))),
                "comp": str(r.choice((10000, 20000, 50000))), "days": str(r.randrange(30, 400)),
                "contract": f"HT{r.randrange(10**9, 10**10)}", "city": r.choice(CITIES), "landline": self.landline(),
                "sex": r.choice("男女"), "age": str(r.randrange(22, 60)), "illness": r.choice(T.ILLNESSES),
                "doctor": self.name(), "agent": self.name(), "household": str(r.randrange(3, 7))}


def _fill(template: str, fields: dict[str, str]) -> str:
    return template.format_map(fields)


def from_parts(parts: list[T.Part], fields: dict[str, str], rng: random.Random, extra: float = 0.3) -> str:
    """One copy of a template: a wording per part, optional parts dropped, grouped parts shuffled, maybe an added
    sentence of the sender's own."""
    chosen: list[tuple[str | None, str]] = []
    for p in parts:
        if rng.random() < p.drop:
            continue
        wording = p.options[0] if len(p.options) == 1 or rng.random() < 0.85 else rng.choice(p.options[1:])
        chosen.append((p.group, _synonyms(wording, rng)))
    out: list[str] = []
    i = 0
    while i < len(chosen):
        group = chosen[i][0]
        j = i + 1
        while group is not None and j < len(chosen) and chosen[j][0] == group:
            j += 1
        run = [text for _, text in chosen[i:j]]
        if group is not None:
            rng.shuffle(run)
        out += run
        i = j
    if rng.random() < extra and len(out) > 4:
        out.insert(rng.randrange(2, len(out) - 1), rng.choice(T.EXTRA_SENTENCES))
    return "\n".join(_fill(s, fields) for s in out) + "\n"


def _synonyms(sentence: str, rng: random.Random, rate: float = 0.25) -> str:
    for word, alternatives in T.SYNONYMS.items():
        pieces = sentence.split(word)
        if len(pieces) > 1:
            sentence = pieces[0] + "".join((rng.choice(alternatives) if rng.random() < rate else word) + piece
                                           for piece in pieces[1:])
    return sentence


def ocr_noise(text: str, rng: random.Random, rate: float = 0.02) -> str:
    """What a poor scan does to a letter: look-alike characters swapped, punctuation lost, stray spaces."""
    out = []
    for ch in text:
        r = rng.random()
        if ch in CONFUSIONS and r < 0.2:
            out.append(CONFUSIONS[ch])
        elif ch in "，。、；：" and r < 0.3:
            continue
        elif r < rate:
            out.append(ch + " ")
        else:
            out.append(ch)
    return "".join(out)


def generate(seed: int = 20240601, *, per_template: int = 8, per_wave: int = 6, individual: int = 36,
             auth_fake: int = 6, auth_firm: int = 4, noisy_share: float = 0.35) -> list[SynthDoc]:
    """The corpus: 4 complaint templates x ``per_template``, 2 certificate waves x ``per_wave``, ``individual``
    individual letters (at most len(INDIVIDUAL_LETTERS)), authorisation letters and a few individual certificates."""
    rng = random.Random(seed)
    fake = _Faker(rng)
    docs: list[SynthDoc] = []
    for t_no, (tid, parts) in enumerate(T.COMPLAINT_TEMPLATES.items()):
        base = dt.date(2024, 3 + 2 * t_no, 15)
        for i in range(per_template):
            text = from_parts(parts, fake.fields(base), rng)
            noisy = rng.random() < noisy_share
            docs.append(SynthDoc(f"complaint-{tid}-{i:02d}.txt", ocr_noise(text, rng) if noisy else text, "complaint",
                                 "complaint-template", tid, noisy))
    for wid, parts in T.CERT_WAVES.items():
        base = dt.date(2024, 9 if wid == "W1" else 11, 10)
        f = fake.fields(base)
        shared = {k: f[k] for k in ("landline", "city")}
        shared["hospital"] = f"{f['city']}仁和医院"
        shared["village"] = f"{f['city']}某县河口镇东湾"
        for i in range(per_wave):
            fields = {**fake.fields(base), **shared}  # one wave, one "issuer": same hospital/village and phone
            text = from_parts(parts, fields, rng, extra=0.0)
            noisy = rng.random() < noisy_share
            docs.append(SynthDoc(f"cert-{wid}-{i:02d}.txt", ocr_noise(text, rng) if noisy else text, "certificate",
                                 "cert-wave", wid, noisy))
    letters = list(T.INDIVIDUAL_LETTERS)
    for i, template in enumerate(letters[:individual]):
        text = _fill(template, fake.fields(dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 500))))
        docs.append(SynthDoc(f"letter-{i:02d}.txt", text + "\n", "complaint", "complaint-individual", None))
    for i, template in enumerate(T.INDIVIDUAL_CERTS):
        docs.append(SynthDoc(f"cert-single-{i:02d}.txt", _fill(template, fake.fields(dt.date(2024, 6, 1))) + "\n",
                             "certificate", "cert-individual", None))
    for i in range(auth_fake):
        f = fake.fields(dt.date(2024, 8, 1))
        title = T.AUTH_FAKE_AGENTS[i % len(T.AUTH_FAKE_AGENTS)]
        company = f["city"] + rng.choice(FIRM_WORDS) + T.AUTH_COMPANY_WORDS[i % len(T.AUTH_COMPANY_WORDS)]
        bad = "".join(rng.choice("0123456789") for _ in range(rng.choice((8, 12, 15))))
        line = f"{title}执业证号：{bad}\n" if title == "律师" and i % 2 else ""
        f.update(title=title, company=company, licence_line=line)
        docs.append(SynthDoc(f"auth-fake-{i:02d}.txt", _fill(T.AUTH_FAKE[i % len(T.AUTH_FAKE)], f) + "\n",
                             "authorisation", "auth-fake", f"A{i % len(T.AUTH_FAKE)}"))
    for i in range(auth_firm):
        f = fake.fields(dt.date(2024, 8, 1))
        f.update(firm=rng.choice(FIRM_WORDS), licence=fake.licence())
        docs.append(SynthDoc(f"auth-firm-{i:02d}.txt", _fill(T.AUTH_FIRM[i % len(T.AUTH_FIRM)], f) + "\n",
                             "authorisation", "auth-firm", f"L{i % len(T.AUTH_FIRM)}"))
    f = fake.fields(dt.date(2024, 8, 1))
    docs.append(SynthDoc("auth-family-00.txt", _fill(T.AUTH_FAMILY[0], f) + "\n", "authorisation", "auth-family", None))
    return docs


def font_available(path: Path = FONT) -> bool:
    return path.is_file()


def render_png(text: str, *, font_path: Path = FONT, width: int = 1100, size: int = 26, scan: bool = False,
               seed: int = 0) -> bytes:
    """The text drawn as a page (black on white, wrapped to ``width``) as PNG bytes; ``scan`` makes it look like a
    phone photo (grey paper, speckles, tilt, blur, 60 % resolution, JPEG artefacts)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    font = ImageFont.truetype(str(font_path), size)
    margin, step = 40, int(size * 1.6)
    rows: list[str] = []
    for para in text.splitlines():
        row = ""
        for ch in para:
            if font.getlength(row + ch) > width - 2 * margin:
                rows.append(row)
                row = ""
            row += ch
        rows.append(row)
    img = Image.new("L", (width, 2 * margin + step * max(1, len(rows))), 255)
    draw = ImageDraw.Draw(img)
    for n, row in enumerate(rows):
        draw.text((margin, margin + n * step), row, font=font, fill=0)
    if scan:  # a phone photo of a letter: lower resolution, tilt, speckles, blur, JPEG artefacts
        rng = random.Random(seed)
        px = img.load()
        assert px is not None
        for _ in range(img.width * img.height // 300):
            x, y = rng.randrange(img.width), rng.randrange(img.height)
            px[x, y] = rng.randrange(60, 200)
        img = img.point(lambda v: int(v * 0.85) + 20).rotate(rng.uniform(-1.2, 1.2), fillcolor=230, expand=False)
        img = img.filter(ImageFilter.GaussianBlur(0.7)).resize((int(img.width * 0.6), int(img.height * 0.6)))
        jpeg = io.BytesIO()
        img.save(jpeg, format="JPEG", quality=40)
        img = Image.open(io.BytesIO(jpeg.getvalue()))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def phone_photo(png: bytes, *, seed: int = 0) -> bytes:
    """A rendered page as a phone photographs it: lying on a desk (dark margin), seen at an angle (perspective: the
    far edge narrower), turned a few degrees, a soft shadow across part of the page, uneven light, slight blur and
    JPEG compression. Returned as PNG bytes."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    page = Image.open(io.BytesIO(png)).convert("L")
    w, h = page.size
    pad = int(0.06 * max(w, h))
    desk = Image.new("L", (w + 2 * pad, h + 2 * pad), rng.randrange(70, 120))
    desk.paste(page, (pad, pad))
    W, H = desk.size
    # perspective: the top (or bottom) edge pulled in, as when the phone is tilted towards the reader
    k = rng.uniform(0.04, 0.09) * W
    tilt_top = rng.random() < 0.5
    dst = [(k, 0), (W - k, 0), (W, H), (0, H)] if tilt_top else [(0, 0), (W, 0), (W - k, H), (k, H)]
    src = [(0, 0), (W, 0), (W, H), (0, H)]
    rows = []
    for (x, y), (u, v) in zip(dst, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    coeffs = np.linalg.solve(np.array(rows, float), np.array([c for p in src for c in p], float))
    img = desk.transform((W, H), Image.Transform.PERSPECTIVE, tuple(coeffs), Image.Resampling.BICUBIC, fillcolor=90)
    img = img.rotate(rng.uniform(-4.0, 4.0), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=90)
    # light: brighter on one side; a shadow band (a hand or the phone) across a corner
    arr = np.asarray(img, float)
    yy, xx = np.mgrid[0:arr.shape[0], 0:arr.shape[1]]
    light = 0.75 + 0.25 * (xx / arr.shape[1] if rng.random() < 0.5 else 1 - xx / arr.shape[1])
    cx, cy = rng.uniform(0, arr.shape[1]), rng.uniform(0, arr.shape[0])
    dist = np.hypot(xx - cx, yy - cy) / max(arr.shape)
    shadow = 1 - 0.35 * np.clip(1 - dist / rng.uniform(0.25, 0.45), 0, 1)
    arr = np.clip(arr * light * shadow + np.random.default_rng(seed).normal(0, 6, arr.shape), 0, 255)
    img = Image.fromarray(arr.astype("uint8")).filter(ImageFilter.GaussianBlur(0.8))
    img = img.resize((int(img.width * 0.75), int(img.height * 0.75)))
    jpeg = io.BytesIO()
    img.save(jpeg, format="JPEG", quality=55)
    out = io.BytesIO()
    Image.open(io.BytesIO(jpeg.getvalue())).save(out, format="PNG")
    return out.getvalue()


def write_corpus(docs: list[SynthDoc], folder: Path) -> list[Path]:
    """Write the documents as UTF-8 text files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for d in docs:
        p = folder / d.name
        p.write_text(d.text, encoding="utf-8")
        out.append(p)
    return out
