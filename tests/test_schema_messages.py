"""Validation messages of schema.validate that no bundled data file can reach today."""

from pydantic import BaseModel, ConfigDict, Field

from gongshi.files.schema import validate
from gongshi.files.yamlfile import parse_yaml
from gongshi.findings import Findings


class Copies(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    title: str = Field(description="标题")
    copies: int = Field(multiple_of=5, description="份数")


def test_a_problem_without_its_own_code_is_s099_naming_field_value_and_line():
    findings = Findings()
    data = parse_yaml("title: 名单\ncopies: 7\n", "data/x.yaml")
    assert validate(Copies, data, "data/x.yaml", findings) is None
    (finding,) = findings.items
    assert (finding.code, finding.is_error) == ("S099", True)
    assert finding.message == "“copies”（份数）的值“7”不符合要求。"
    assert (finding.location.file, finding.location.line) == ("data/x.yaml", 2)
    assert finding.hint == "请参照同类文件中的写法改正。"
