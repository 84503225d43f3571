#!/usr/bin/env python3
"""Generates the fictional demo county 示范县 (samples/*.csv and households.xlsx).

Everything here is invented: the area code 99xxxx is not a real Chinese division (province codes stop at 82),
so the ID numbers cannot belong to anyone, yet they carry a valid GB 11643 check character.
Deterministic: running it again rewrites the same files byte for byte.

    python3 samples/generate.py
"""
import csv
import io
import os
import random
import zipfile
from datetime import date, timedelta
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261123)

COUNTY = ("990101", "示范县")
TOWNSHIPS = [
    ("990101001", "东岭镇", ["桃园村", "石桥村", "柳溪村", "杏花村"]),
    ("990101002", "南川乡", ["南川村", "白水村", "青石村"]),
    ("990101003", "西坪镇", ["西坪村", "松林村", "槐树村"]),
]
# 方城 “5+2” annex 1 (close monitoring, seven units) and annex 2 (related units, a selection).
DEPARTMENTS = [
    ("JT", "县教体局", "close", "因学"),
    ("MZ", "县民政局", "密切监测", "其他;因意外事故"),
    ("ZJ", "县住建局", "close", "住房安全"),
    ("SL", "县水利局", "close", "饮水安全"),
    ("WJ", "县卫健委", "close", "因病"),
    ("YB", "县医保局", "密切监测", "因病"),
    ("CL", "县残联", "close", "因残"),
    ("RS", "县人社局", "related", "务工就业不稳"),
    ("NY", "县农业农村局", "related", "产业失败"),
    ("YJ", "县应急管理局", "相关", "因灾、因意外事故"),
    ("GA", "县公安局", "related", "因意外事故"),
    ("CZ", "县财政局", "related", ""),
    ("ZR", "县自然资源局", "related", ""),
    ("FG", "县发改委", "related", ""),
]
SURNAMES = [("李", "li"), ("王", "wang"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"), ("赵", "zhao"),
            ("黄", "huang"), ("周", "zhou"), ("吴", "wu"), ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu")]
GIVEN = [("树", "shu"), ("禾", "he"), ("苗", "miao"), ("田", "tian"), ("溪", "xi"), ("岭", "ling"),
         ("泉", "quan"), ("林", "lin"), ("峰", "feng"), ("川", "chuan"), ("石", "shi"), ("松", "song")]
STEMS = "甲乙丙丁戊己庚辛壬癸"
BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(area, birth, seq):
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def staff_names():
    """李树 (lishu), 王禾 (wanghe), … — two-character names, unique, with their pinyin for the userid."""
    for i in range(len(SURNAMES) * len(GIVEN)):
        s, sp = SURNAMES[i % len(SURNAMES)]
        g, gp = GIVEN[(i // len(SURNAMES) + i) % len(GIVEN)]
        yield s + g, sp + gp


def write_csv(name, header, rows):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)


def column(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def write_xlsx(name, header, rows, numeric):
    """A minimal Office Open XML workbook: inline strings, numbers only where `numeric` says so (IDs stay text)."""
    def cell(ref, value, num):
        if value == "":
            return ""
        if num:
            return f'<c r="{ref}"><v>{value}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'

    lines = []
    for r, row in enumerate([header] + rows, start=1):
        cells = "".join(cell(f"{column(c)}{r}", v, r > 1 and header[c] in numeric) for c, v in enumerate(row))
        lines.append(f'<row r="{r}">{cells}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(lines) + '</sheetData></worksheet>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '</Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="households" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '</Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for path, text in parts.items():
            info = zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(buf.getvalue())


def main():
    regions = [(COUNTY[0], COUNTY[1], "", "county")]
    villages = []  # (code, name, township code)
    for tcode, tname, vnames in TOWNSHIPS:
        regions.append((tcode, tname, COUNTY[0], "乡镇"))
        for i, vname in enumerate(vnames, start=1):
            code = f"{tcode}{i:03d}"
            villages.append((code, vname, tcode))
    # Villages first, townships after them: a parent may come later in the same file.
    regions = regions[:1] + [(c, n, t, "村" if i % 2 else "village") for i, (c, n, t) in enumerate(villages)] + regions[1:]
    write_csv("regions.csv", ["code", "name", "parent_code", "level"], regions)
    write_csv("departments.csv", ["code", "name", "kind", "risk_types"], DEPARTMENTS)

    names = staff_names()
    phone = iter(range(1, 1000))
    staff = []
    village_staff = {}
    for code, vname, _ in villages:
        gm, gmp = next(names)
        vc, vcp = next(names)
        staff.append((f"gm_{gmp}", gm, f"1390000{next(phone):04d}", "grid_monitor", code, ""))
        staff.append((f"vc_{vcp}", vc, f"1390000{next(phone):04d}", "村两委", code, ""))
        village_staff[code] = [f"vc_{vcp}", f"gm_{gmp}"]
    for tcode, _, _ in TOWNSHIPS:
        o, op = next(names)
        l, lp = next(names)
        staff.append((f"to_{op}", o, f"1390000{next(phone):04d}", "township_officer", tcode, ""))
        staff.append((f"tl_{lp}", l, f"1390000{next(phone):04d}", "乡镇领导", tcode, ""))
    o, op = next(names)
    staff.append((f"co_{op}", o, "0399-5550100", "county_office", COUNTY[0], ""))
    l, lp = next(names)
    staff.append((f"cl_{lp}", l, f"1390000{next(phone):04d}", "county_leader", COUNTY[0], ""))
    for dcode, _, _, _ in DEPARTMENTS:
        d, dp = next(names)
        staff.append((f"dp_{dp}", d, f"1390000{next(phone):04d}", "department_officer", COUNTY[0], dcode))
    write_csv("staff.csv", ["wecom_userid", "name", "phone", "role", "region_code", "department_code"], staff)

    categories = ["一般农户"] * 12 + ["脱贫户"] * 5 + ["脱贫不稳定户", "边缘易致贫户", "突发严重困难户"]
    households = []
    n = 0
    for code, _, _ in villages:
        load = {u: 0 for u in village_staff[code]}
        for seq in range(1, 21):
            n += 1
            surname = SURNAMES[n % len(SURNAMES)][0]
            head = surname + STEMS[n % 10] + BRANCHES[(n // 10) % 12]
            birth = date(1945, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
            category = rng.choice(categories)
            monitored = category in ("脱贫不稳定户", "边缘易致贫户", "突发严重困难户")
            members = rng.randint(1, 6)
            income = rng.randint(4500, 8500) if monitored else rng.randint(8000, 16000) if category == "脱贫户" else rng.randint(10000, 26000)
            # 丰都: a contact person looks after at most two households.
            contact = next((u for u in village_staff[code] if load[u] < 2), "") if monitored else ""
            if contact:
                load[contact] += 1
            card = {"突发严重困难户": "红", "脱贫不稳定户": "黄", "边缘易致贫户": "黄", "脱贫户": "绿" if income >= 9000 else "黄"}.get(category, "")
            tel = "" if n % 10 == 0 else f"1380000{n:04d}"
            # 丰都 第五步: a few small monitored households live on 低保 or 特困 support (no labour capacity).
            # Derived, not drawn, so the other columns stay as they were.
            no_labour = ("特困" if members == 1 else "低保") if monitored and members <= 3 and income < 6000 else ""
            households.append((f"{code}-{seq:02d}", head, id_number("990101", birth, n), tel, code, category, members, income, contact, card, no_labour))
    header = ["household_no", "head_name", "id_number", "phone", "village_code", "category", "members", "income_per_capita", "contact_userid", "card",
              "no_labour_capacity"]
    write_csv("households.csv", header, households)
    write_xlsx("households.xlsx", header, [list(h) for h in households], {"members", "income_per_capita"})

    groups = [(t, "township_work", "", f"demo-township-{i}") for i, (t, _, _) in enumerate(TOWNSHIPS, start=1)]
    groups.append((COUNTY[0], "县领导群", "", "demo-county-leaders"))
    groups.append((COUNTY[0], "bulletin", "demo-bulletin-chat", ""))
    write_csv("groups.csv", ["region_code", "purpose", "chat_id", "webhook_key"], groups)
    print(f"{len(regions)} regions, {len(DEPARTMENTS)} departments, {len(staff)} staff, {len(households)} households, {len(groups)} groups")


if __name__ == "__main__":
    main()
