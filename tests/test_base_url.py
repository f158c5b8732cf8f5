"""base_url is a path from the host's root or a full http(s) address; anything else breaks
every link, so data/site.yaml (S014, corpus case base_url_without_scheme) and --base-url
(a usage error) refuse it."""

import pytest
from conftest import FIXED_DAY, run_cli

from gongshi.files.values import base_url_problem


@pytest.mark.parametrize("value", ["/", "/gongshi/", "/gongshi", "/门户/公示/", "https://门户域名/gongshi/",
                                   "http://127.0.0.1:8080/gongshi/", "HTTPS://www.example.gov.cn"])
def test_paths_from_the_root_and_full_addresses_are_accepted(value):
    assert base_url_problem(value) is None


@pytest.mark.parametrize("value, guess", [
    ("www.example.gov.cn/gongshi/", "您是否想写“https://www.example.gov.cn/gongshi/”"),
    ("gongshi/", "您是否想写“/gongshi/”"),
    ("//www.example.gov.cn/gongshi/", "您是否想写“https://www.example.gov.cn/gongshi/”"),
    ("ftp://www.example.gov.cn/gongshi/", ""),
    ("https:///gongshi/", ""),
    ("https://www.example.gov.cn/gongshi/?a=1", ""),
    ("/gong shi/", ""),
    ("", ""),
])
def test_other_forms_are_refused_with_a_fix(value, guess):
    problem = base_url_problem(value)
    assert problem is not None and "请写成以 / 开头的路径" in problem
    assert problem.startswith(guess)


def test_base_url_option_without_a_scheme_is_a_usage_error(project):
    result = run_cli("build", "--today", FIXED_DAY, "--base-url", "www.example.gov.cn/gongshi/",
                     project=project)
    assert result.code == 2
    assert "参数 --base-url：“www.example.gov.cn/gongshi/”不是网站发布地址" in result.stderr
    assert "您是否想写“https://www.example.gov.cn/gongshi/”" in result.stderr
    assert not (project / "output").exists()
