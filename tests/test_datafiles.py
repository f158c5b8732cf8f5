"""Every file under data/ that is not read is reported, with the file it was probably meant
to be; system and Office litter and hidden files are ignored."""

from gongshi.files.datafiles import KNOWN_DATA_FILES, recipient_files
from gongshi.files.stray import stray_files
from gongshi.load.loader import load_site

DATA = "data/2018-mofan"


def put(project, relative, text="x"):
    path = project / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def strays(project):
    return {f.location.file: f for f in stray_files(project, ["2018-mofan", "2019-shili"])}


def test_the_bundled_project_has_no_stray_files(project):
    assert strays(project) == {}


def test_litter_and_hidden_files_are_ignored(project):
    for name in ("Thumbs.db", "desktop.ini", "Desktop.ini", "~$名单.xlsx", ".DS_Store", "~WRL0001.tmp",
                 ".activist.yaml.swp", "recipients/~$activist.xlsx", "recipients/.hidden/x.yaml"):
        put(project, f"{DATA}/{name}")
    put(project, "data/.git/config")
    assert strays(project) == {}


def test_the_import_mapping_is_a_known_file(project):
    assert "import.yaml" in KNOWN_DATA_FILES["<公告>"]
    put(project, f"{DATA}/import.yaml")
    assert strays(project) == {}


def test_list_saved_with_txt_is_an_error_saying_what_to_rename_it_to(project):
    (project / f"{DATA}/recipients/activist.yaml").rename(project / f"{DATA}/recipients/activist.yaml.txt")
    finding = strays(project)[f"{DATA}/recipients/activist.yaml.txt"]
    assert finding.code == "L017" and finding.is_error
    assert "“.txt”" in finding.message and "0 人" in finding.message
    assert "改名为“activist.yaml”" in finding.hint


def test_a_copy_beside_the_real_file_is_called_a_copy(project):
    put(project, f"{DATA}/recipients/activist.yaml.bak")
    assert "已有“activist.yaml”" in strays(project)[f"{DATA}/recipients/activist.yaml.bak"].hint


def test_upper_case_extension_is_not_read_and_is_an_error(project):
    (project / f"{DATA}/recipients/activist.yaml").rename(project / f"{DATA}/recipients/ACTIVIST.YAML")
    assert [p.name for p in recipient_files(project / f"{DATA}/recipients")].count("ACTIVIST.YAML") == 0
    finding = strays(project)[f"{DATA}/recipients/ACTIVIST.YAML"]
    assert finding.code == "L017" and "小写" in finding.message
    assert "“activist.yaml”" in finding.hint


def test_yml_lists_are_read(project):
    (project / f"{DATA}/recipients/activist.yaml").rename(project / f"{DATA}/recipients/activist.yml")
    assert project / f"{DATA}/recipients/activist.yml" in recipient_files(project / f"{DATA}/recipients")
    assert strays(project) == {}


def test_files_in_a_backup_folder_of_recipients_are_errors(project):
    put(project, f"{DATA}/recipients/backup/home.yaml")
    put(project, f"{DATA}/recipients/backup/old/说明.txt")
    found = strays(project)
    assert {f.code for f in found.values()} == {"L017"}
    assert set(found) == {f"{DATA}/recipients/backup/home.yaml", f"{DATA}/recipients/backup/old/说明.txt"}
    assert "recipients/ 文件夹中" in found[f"{DATA}/recipients/backup/home.yaml"].hint


def test_misspelt_settings_file_says_did_you_mean(project):
    (project / f"{DATA}/rules.yaml").rename(project / f"{DATA}/rule.yaml")
    put(project, "data/history.yml")
    found = strays(project)
    assert found[f"{DATA}/rule.yaml"].code == "L017"
    assert "您是否想写“rules.yaml”" in found[f"{DATA}/rule.yaml"].hint
    assert "“history.yaml”" in found["data/history.yml"].message


def test_other_files_are_warnings(project):
    put(project, f"{DATA}/notes.docx")
    put(project, "data/README.txt")
    put(project, f"{DATA}/units.xlsx")
    found = strays(project)
    assert {name: f.code for name, f in found.items()} == {
        f"{DATA}/notes.docx": "L018", "data/README.txt": "L018", f"{DATA}/units.xlsx": "L018"}
    assert not any(f.is_error for f in found.values())
    assert "units.yaml" in found[f"{DATA}/units.xlsx"].hint


def test_non_yaml_file_in_recipients_is_an_error(project):
    put(project, f"{DATA}/recipients/名单.xlsx")
    assert strays(project)[f"{DATA}/recipients/名单.xlsx"].code == "L017"


def test_unlisted_announcement_folder_is_one_warning(project):
    put(project, "data/2019-mofan/announcement.yaml")
    put(project, "data/2019-mofan/recipients/home.yaml")
    found = strays(project)
    assert list(found) == ["data/2019-mofan/"]
    assert found["data/2019-mofan/"].code == "L019" and not found["data/2019-mofan/"].is_error


def test_loader_reports_them_and_the_category_is_not_silently_empty(project):
    (project / f"{DATA}/recipients/activist.yaml").rename(project / f"{DATA}/recipients/activist.yaml.txt")
    result = load_site(project)
    assert result.findings.errors  # refused: the build writes nothing
    assert [f.code for f in result.findings.errors] == ["L017"]


def test_the_decision_list_and_changes_are_known_files(project):
    assert "changes.yaml" in KNOWN_DATA_FILES["<公告>"]
    assert KNOWN_DATA_FILES["<公告>/decision"] == KNOWN_DATA_FILES["<公告>/recipients"]
    put(project, f"{DATA}/changes.yaml", "changes: []\n")
    put(project, f"{DATA}/decision/worker.yaml", "category: worker\n")
    assert strays(project) == {}
    put(project, f"{DATA}/decision/旧/worker.yaml")
    put(project, f"{DATA}/change.yaml")
    found = strays(project)
    assert found[f"{DATA}/decision/旧/worker.yaml"].code == "L017"
    assert found[f"{DATA}/change.yaml"].code == "L017" and "changes.yaml" in found[f"{DATA}/change.yaml"].hint
