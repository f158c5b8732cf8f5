"""Write the fictitious sample lists under data/<slug>/recipients/ (示例数据).

Deterministic: the same seed writes the same files. Every organisation and every post
carries 示例 in its name so no one can take the lists for real, and each file is flagged
`sample: true`, which puts a 示例数据 banner on every page and makes `--release` refuse.

    python scripts/make_sample_data.py [--slug 2018-mofan] [--seed 2018]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from gongshi.load.loader import load_site

ROOT = Path(__file__).resolve().parent.parent

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉萍红娟建文辉力宁鹏斌波宇浩凯健俊帆帅旭晨阳欣怡佳琳雪梅兰凤洁琴云莲真环颖露瑶璐婷晶妍茜秋珊莎锦黛青倩婉娴瑾颖"
ETHNIC = ["阿依古丽·买买提", "买买提·艾力", "扎西·多吉"]
INDUSTRIES = ["机械", "纺织", "化工", "食品", "电力", "建材", "物流", "药业", "铝业", "汽车配件",
              "造纸", "电子", "农机", "钢构", "印务"]
WORKSHOPS = ["一车间", "二车间", "装配车间", "质检科", "维修班组", "销售部", "财务科", "动力车间"]
POSTS = ["工会主席", "工会副主席", "工会委员", "工会干事", "车间工会主席", "女职工委员会主任",
         "经费审查委员会主任", "班组长"]
BRANDS = "恒兴华泰信达鑫盛安瑞丰隆宏新源利通康德昌明远嘉和正祥"
FRIEND_POSTS = ["党委书记", "总经理", "董事长"]
TOWN_POSTS = ["镇党委书记", "镇人民政府镇长", "街道党工委书记", "街道办事处主任"]


def org_prefix(unit_name: str, kind: str) -> str:
    return {"县市区": unit_name, "产业系统": "焦作市", "市直": "焦作市", "其它": "焦作市"}[kind]


class Names:
    """Fictitious, unique person names drawn from a seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        self.ethnic = list(ETHNIC)
        self.companies: set[str] = set()

    def company(self, prefix: str) -> str:
        while True:
            brand = "".join(self.rng.sample(BRANDS, 2))
            name = f"{prefix}示例{brand}{self.rng.choice(INDUSTRIES)}有限公司"
            if name not in self.companies:
                self.companies.add(name)
                return name

    def person(self) -> str:
        if self.ethnic and self.rng.random() < 0.01:
            return self.ethnic.pop(0)
        while True:
            length = 1 if self.rng.random() < 0.25 else 2
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(length))
            if name not in self.used:
                self.used.add(name)
                return name


def main() -> int:
    parser = argparse.ArgumentParser(description="生成示例名单（虚构数据）")
    parser.add_argument("--slug", default="2018-mofan")
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folder = ROOT / "data" / args.slug / "recipients"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    result = load_site(ROOT)
    if result.site is None or result.findings.errors:
        for f in result.findings:
            print(f.location, f.message, file=sys.stderr)
        return 1
    ann = next(a for a in result.site.announcements if a.slug == args.slug)
    names = Names(rng)
    for category in ann.categories:
        records = []
        for block in (b for b in ann.blocks if b.category_id == category.id):
            if block.shared:
                # One nominee per unit at most; fill every shared place.
                members = rng.sample(list(block.units), k=min(block.quota, len(block.units)))
                members.sort(key=lambda u: u.order)
            else:
                unit = block.units[0]
                take = block.quota - (1 if block.quota >= 3 and unit.order % 3 == 1 else 0)
                members = [unit] * take
            for unit in members:
                records.append(make_record(category, unit, rng, names))
        write_file(folder / f"{category.id}.yaml", category, records)
    print(f"已写入示例名单：{folder.relative_to(ROOT)}/")
    return 0


def make_record(category, unit, rng: random.Random, names: Names) -> dict:
    prefix = org_prefix(unit.name, unit.kind)
    company = names.company(prefix)
    record: dict = {"unit": unit.name}
    if category.subject == "organisation":
        if "small_home" in category.id:
            record["name"] = f"{company}{rng.choice(WORKSHOPS)}工会分会"
        else:
            record["name"] = f"{company}工会委员会"
        record = {"name": record["name"], "unit": unit.name}
        record["non_public"] = rng.random() < 0.65
        if category.id in ("home", "red_home"):
            record["membership_rate"] = round(rng.uniform(95.5 if category.id == "red_home" else 91, 99.8), 1)
            record["ballot_approval"] = round(rng.uniform(86, 99), 1)
        if category.id == "red_home":
            record["satisfaction"] = round(rng.uniform(95.5, 99.5), 1)
        record["prior_honours"] = [org_honour(category.id, unit.name, prefix, rng)]
        if category.id == "home" and rng.random() < 0.08:
            record["mega_group"] = True
            record["group_secondary_share"] = round(rng.uniform(61, 90), 1)
        return record
    name = names.person()
    record = {"name": name, "unit": unit.name}
    if category.id in ("friend", "friend_star"):
        if rng.random() < 0.5:
            record["title"] = f"{company}{rng.choice(FRIEND_POSTS)}"
        else:
            town = "".join(rng.sample(BRANDS, 2))
            record["title"] = f"{prefix}示例{town}{rng.choice(TOWN_POSTS)}"
    else:
        record["title"] = f"{company}{rng.choice(POSTS)}"
    if rng.random() < 0.45:
        record["gender"] = "女"
    if "·" in name:
        record["ethnicity"] = "维吾尔族" if name.startswith(("阿依", "买买提")) else "藏族"
    elif rng.random() < 0.03:
        record["ethnicity"] = rng.choice(["回族", "满族"])
    if category.id == "worker":
        roll = rng.random()
        record["cadre_level"] = ("工会领导机关县级及以下干部" if roll < 0.06 else
                                 "社会化工会工作者" if roll < 0.15 else "基层工会干部")
    elif category.id == "worker_star":
        record["cadre_level"] = "基层工会干部"
    if category.confers and unit.kind in ("市直", "其它"):  # several 申报单位 share these places
        record["applicant"] = company.replace("有限公司", "有限公司工会委员会")
    if category.confers:
        record["prior_honours"] = [{"title": "焦作市优秀工会工作者", "level": "市级",
                                    "year": rng.choice([2012, 2015])}]
    return record


def org_honour(category_id: str, unit_name: str, prefix: str, rng: random.Random) -> dict:
    """The earlier title the notice requires of an organisation in this category."""
    year = rng.choice([2013, 2015, 2016])
    county = prefix if prefix != "焦作市" else "焦作市" + unit_name.replace("系统", "")
    return {
        "home": {"title": f"{county}模范职工之家", "level": "县级", "year": year},
        "small_home": {"title": f"{county}模范职工小家", "level": "县级", "year": year},
        "red_home": {"title": "焦作市模范职工之家", "level": "市级", "year": year},
        "red_small_home": {"title": "焦作市模范职工小家", "level": "市级", "year": year},
    }[category_id]


def flow(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
    return str(value)


def write_file(path: Path, category, records: list[dict]) -> None:
    lines = [
        f"# {category.name}拟{category.action}名单 —— 示例数据，纯属虚构，请勿发布。",
        "# 换成正式名单后删除“sample: true”一行。",
        "# 公开字段：name（姓名或单位全称）、unit（推荐单位）、title（工作单位及职务）、gender、ethnicity。",
        "# 内部字段（仅用于核查，绝不发布）：non_public、cadre_level、membership_rate、ballot_approval、",
        "#   satisfaction、prior_honours、mega_group、group_secondary_share。",
        f"category: {category.id}",
        "sample: true",
        "recipients:",
    ]
    for record in records:
        first = True
        for key, value in record.items():
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, list):
                text = "[" + ", ".join(flow(v) for v in value) + "]"
            else:
                text = str(value)
            lines.append(("  - " if first else "    ") + f"{key}: {text}")
            first = False
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
