#!/usr/bin/env python3
"""Generates department feeds in their native formats, for tests and benchmarks.

Records have valid 统一社会信用代码 and resident ID check characters unless
asked to be broken; every --bad-every'th record is broken on purpose (one of:
wrong USCC check character, impossible date, wrong ID check character).

  feedgen.py court  --records 1000 --per-file 100 --out DIR [--seed N] [--bad-every 10]
  feedgen.py tax    --records 1000 --per-file 100 --out DIR
  feedgen.py market_regulation --records 1000 --per-file 100 --out DIR
  feedgen.py procurement --records 1000 --per-file 100 --out DIR

Prints one JSON line: {"files": n, "records": n, "valid": n, "invalid": n}.
"""
import argparse
import json
import os
import random

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_W = [3, 7, 9, 10, 5, 8, 4, 2]
ID_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
REGIONS = ["510802", "510703", "620702", "320902", "130826"]
NAMES = ["瑞丰", "博远", "华宇", "金山", "恒泰", "众联", "鑫诚", "宏达", "天成", "丰源"]
TRADES = ["商贸", "物流", "医药", "建材", "环保科技", "农业科技", "建设工程", "食品", "劳务", "矿业"]
FORMS = ["有限责任公司", "股份有限公司", "有限公司"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超"]


def org_code(rng):
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    def v(c):
        return int(c) if c.isdigit() else ord(c) - 55
    c = 11 - sum(v(ch) * w for ch, w in zip(body, ORG_W)) % 11
    return body + ("X" if c == 10 else "0" if c == 11 else str(c))


def uscc(rng, region):
    org = org_code(rng)
    if "X" in org[8:]:  # the org check X is not in the USCC set: draw again
        return uscc(rng, region)
    s = "91" + region + org
    t = sum(USCC_CHARS.index(ch) * w for ch, w in zip(s, USCC_W))
    return s + USCC_CHARS[(31 - t % 31) % 31]


def resident_id(rng, region):
    y = rng.randint(1950, 2000)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    s = "%s%04d%02d%02d%03d" % (region, y, m, d, rng.randint(0, 999))
    return s + ID_CHECK[sum(int(c) * w for c, w in zip(s, ID_W)) % 11]


def break_uscc(u):
    last = USCC_CHARS[(USCC_CHARS.index(u[-1]) + 1) % 31]
    return u[:-1] + last


def company(rng, i):
    region = rng.choice(REGIONS)
    return region, "%s市测试%s%s%s%d号" % ("广元", rng.choice(NAMES), rng.choice(TRADES), rng.choice(FORMS), i)


def person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def money(rng):
    return rng.randint(1, 500000000) / 100.0


def gen_court(rng, i, bad):
    region, name = company(rng, i)
    is_person = i % 4 == 0
    zjhm = resident_id(rng, region) if is_person else uscc(rng, region)
    lasj = "%d年%d月%d日" % (2024, rng.randint(1, 12), rng.randint(1, 28))
    if bad == 1 and not is_person:
        zjhm = break_uscc(zjhm)
    if bad == 1 and is_person:
        zjhm = zjhm[:-1] + ("0" if zjhm[-1] != "0" else "1")
    if bad == 2:
        lasj = "2024年2月30日"
    amount = "{:,.2f}".format(money(rng))
    return ("<SXBZXR><BZXRMC>%s</BZXRMC><ZJHM>%s</ZJHM><FDDBR>%s</FDDBR><ZXFY>广元市利州区人民法院</ZXFY><SF>四川</SF>"
            "<ZXYJWH>（2024）川0802民初%d号</ZXYJWH><LASJ>%s</LASJ><AH>（2024）川0802执%d号</AH>"
            "<ZCZXYJDW>广元市利州区人民法院</ZCZXYJDW><YW>被告于判决生效之日起十日内支付原告货款及利息</YW><LXQK>全部未履行</LXQK>"
            "<WLX>%s</WLX><SXQX>有履行能力而拒不履行生效法律文书确定义务</SXQX><FBSJ>2024年10月1日</FBSJ></SXBZXR>"
            % (person(rng) if is_person else name, zjhm, "" if is_person else person(rng), i, lasj, 100000 + i, amount))


def gen_tax(rng, i, bad):
    region, name = company(rng, i)
    u = uscc(rng, region)
    rid = resident_id(rng, region)
    qdrq = "2024%02d%02d" % (rng.randint(1, 12), rng.randint(1, 28))
    if bad == 1:
        u = break_uscc(u)
    if bad == 2:
        qdrq = "20241345"
    return {"ajbh": "广元税稽罚〔2024〕%d号" % (100000 + i), "nsrmc": name, "nsrsbh": u, "zcdz": "工业园区%d号" % i,
            "fddbrxm": person(rng), "fddbrxb": "男", "fddbrzjmc": "居民身份证", "fddbrzjhm": rid, "ajxz": "偷税",
            "zywfss": "经检查，该单位于2023年通过隐匿收入方式少缴增值税等税款。", "flyj": "依照《中华人民共和国税收征收管理法》第六十三条。",
            "swjg": "国家税务总局广元市税务局稽查局", "swjgdm": "", "qdrq": qdrq, "gbrq": qdrq, "sjje": "%.2f" % money(rng)}


def gen_mr(rng, i, bad):
    region, name = company(rng, i)
    u = uscc(rng, region)
    if bad == 1:
        u = break_uscc(u)
    jdrq = "2024/%02d/%02d" % (rng.randint(1, 12), rng.randint(1, 28))
    if bad == 2:
        jdrq = "2024/13/01"
    if i % 5 == 4:
        return ("<JYYC><QYMC>%s</QYMC><TYSHXYDM>%s</TYSHXYDM><LRYY>未按照规定的期限公示年度报告的</LRYY><LRRQ>%s</LRRQ>"
                "<ZCJDJG>广元市利州区市场监督管理局</ZCJDJG><ZCJDJGDM></ZCJDJGDM><YCYY></YCYY><YCRQ></YCRQ><ZCH></ZCH></JYYC>"
                % (name, u, jdrq.replace("/", "-") if bad != 2 else "2024-13-01"))
    return ("<XZCF><CF_XDR_MC>%s</CF_XDR_MC><CF_XDR_LB>法人及非法人组织</CF_XDR_LB><CF_XDR_SHXYM>%s</CF_XDR_SHXYM>"
            "<CF_FRDB>%s</CF_FRDB><CF_FR_ZJLX>身份证</CF_FR_ZJLX><CF_FR_ZJHM>%s</CF_FR_ZJHM><CF_WSH>广元市监罚〔2024〕%d号</CF_WSH>"
            "<CF_WFXW>未按规定公示年度报告</CF_WFXW><CF_SY>当事人未在规定期限内报送年度报告并向社会公示。</CF_SY>"
            "<CF_YJ>《企业信息公示暂行条例》第十八条</CF_YJ><CF_CFLB>警告;罚款</CF_CFLB><CF_NR>罚款人民币%s万元</CF_NR>"
            "<CF_NR_FK>%s</CF_NR_FK><CF_JDRQ>%s</CF_JDRQ><CF_YXQ>2099/12/31</CF_YXQ><CF_GSJZQ>2027/01/17</CF_GSJZQ>"
            "<CF_CFJG>广元市市场监督管理局</CF_CFJG><CF_CFJGDM></CF_CFJGDM><CF_SJLY>广元市市场监督管理局</CF_SJLY>"
            "<CF_SJLYDM></CF_SJLYDM></XZCF>"
            % (name, u, person(rng), resident_id(rng, region), 100000 + i, "2.35", "2.35", jdrq))


def gen_procurement(rng, i, bad):
    region, name = company(rng, i)
    u = uscc(rng, region)
    if bad == 1:
        u = break_uscc(u)
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    cfrq = "2024/%d/%d" % (m, d) if bad != 2 else "2024/2/30"
    return {"qymc": name, "tyshxydm": u, "qydz": "大道%d号" % i, "jtqx": "提供虚假材料谋取中标、成交",
            "cfjg": "列入不良行为记录名单，1年内禁止参加政府采购活动", "cfyj": "《中华人民共和国政府采购法》第七十七条",
            "cfrq": cfrq, "gbrq": cfrq, "gbjzrq": "2025/%d/%d" % (m, d), "zfdw": "广元市财政局"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("department", choices=["court", "tax", "market_regulation", "procurement"])
    ap.add_argument("--records", type=int, default=100)
    ap.add_argument("--per-file", type=int, default=100)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bad-every", type=int, default=10, help="every Nth record is broken (0: none)")
    ap.add_argument("--start", type=int, default=0, help="number of the first record (keys are unique per number)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)
    files = valid = invalid = 0
    n = 0
    while n < a.records:
        count = min(a.per_file, a.records - n)
        items = []
        for k in range(count):
            i = a.start + n + k
            bad = 0
            if a.bad_every and (i + 1) % a.bad_every == 0:
                bad = 1 if (i // a.bad_every) % 2 == 0 else 2
            invalid += 1 if bad else 0
            valid += 0 if bad else 1
            items.append({"court": gen_court, "tax": gen_tax, "market_regulation": gen_mr,
                          "procurement": gen_procurement}[a.department](rng, i, bad))
        base = os.path.join(a.out, "%s-%06d" % (a.department, files + 1))
        if a.department == "court":
            text = '<?xml version="1.0" encoding="GB18030"?>\n<SXBZXR_FEED batch="gen">\n  ' + "\n  ".join(items) + "\n</SXBZXR_FEED>\n"
            with open(base + ".xml", "wb") as f:
                f.write(text.encode("gb18030"))
        elif a.department == "market_regulation":
            text = '<?xml version="1.0" encoding="UTF-8"?>\n<SGS_DATA seq="gen">\n  ' + "\n  ".join(items) + "\n</SGS_DATA>\n"
            with open(base + ".xml", "w", encoding="utf-8") as f:
                f.write(text)
        elif a.department == "tax":
            doc = {"code": "00", "msg": "成功", "data": {"total": a.records, "page": files + 1,
                   "pages": (a.records + a.per_file - 1) // a.per_file, "size": a.per_file, "rows": items}}
            with open(os.path.join(a.out, "page-%d.json" % (files + 1)), "w", encoding="utf-8") as f:
                json.dump(doc, f, ensure_ascii=False)
        else:
            with open(base + ".json", "w", encoding="utf-8") as f:
                json.dump(items, f, ensure_ascii=False)
        files += 1
        n += count
    print(json.dumps({"files": files, "records": n, "valid": valid, "invalid": invalid}))


if __name__ == "__main__":
    main()
