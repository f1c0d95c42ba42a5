"""Documentation stays in step with the code: set-up commands, core purity, thin pages (the data dictionary is
checked against the live schema in tests/test_live_data.py)."""

import ast
import re
import shutil

import pytest

from tests.conftest import GOOD, REPO, folder_digest

# The core is everything but the Streamlit edge (app.py and web/).
CORE = [
    p
    for p in (REPO / "dashboard").rglob("*.py")
    if p.name != "app.py" and "web" not in p.relative_to(REPO / "dashboard").parts
]


def test_readme_gives_the_two_commands_and_ci_runs_the_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    top = readme[:2500]
    assert "scripts/run-app" in top and "scripts/run-tests" in top
    ci = (REPO / ".ci" / "run").read_text()
    assert "exec scripts/run-tests" in ci and "apt-get install -y -qq chromium" in ci
    assert "SHELLCOUNT_REQUIRE_BROWSER=1" in ci


@pytest.mark.parametrize("module", CORE, ids=lambda p: p.name)
def test_core_modules_never_import_streamlit(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    imported = {n.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for n in node.names}
    imported |= {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "streamlit" not in imported


@pytest.mark.parametrize("page", sorted((REPO / "dashboard" / "web" / "views").glob("*.py")), ids=lambda p: p.name)
def test_pages_are_thin(page):
    lines = [line for line in page.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) <= 120
    source = page.read_text(encoding="utf-8")
    assert "read_csv" not in source and "go.Figure(" not in source and "unsafe_allow_html" not in source


def test_no_unsafe_html_anywhere():
    for file in (REPO / "dashboard").rglob("*.py"):
        assert "unsafe_allow_html=True" not in file.read_text(encoding="utf-8"), file


def test_pinned_requirements():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (REPO / name).read_text().splitlines():
            if line and not line.startswith(("#", "-r")):
                assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", line), line


def test_protected_folders_digest_sees_every_kind_of_change(tmp_path):
    """The end-of-run guard on datasets/ and seeds/ is only as good as its digest: on a copy, every kind of
    change a stray test could make must change it, and undoing the change must restore it."""
    folder = tmp_path / "dataset"
    shutil.copytree(GOOD, folder)
    claims = folder / "claims.csv"
    original = claims.read_bytes()
    before = folder_digest((folder,))
    assert folder_digest((folder,)) == before  # deterministic

    claims.write_bytes(original.replace(b"2025-07-05", b"2025-07-06", 1))  # one byte edited
    assert folder_digest((folder,)) != before
    claims.write_bytes(original)
    assert folder_digest((folder,)) == before

    claims.rename(folder / "claims2.csv")  # same bytes, another name
    assert folder_digest((folder,)) != before
    (folder / "claims2.csv").rename(claims)

    (folder / "seeds" / "excerpts" / "new.txt").write_bytes(b"")  # an empty file added deep inside
    assert folder_digest((folder,)) != before
    (folder / "seeds" / "excerpts" / "new.txt").unlink()
    assert folder_digest((folder,)) == before


@pytest.mark.parametrize("page", sorted((REPO / "dashboard" / "web" / "views").glob("*.py")), ids=lambda p: p.name)
def test_pages_import_only_the_web_edge_and_the_present_layer(page):
    tree = ast.parse(page.read_text(encoding="utf-8"))
    imported = {
        node.module + "." + n.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for n in node.names
    }
    ours = {name for name in imported if name.startswith("dashboard")}
    allowed = ("dashboard.web.", "dashboard.present.registry.", "dashboard.present.view_models", "dashboard.present.export",
               "dashboard.analysis.filters.DEFAULT")  # fmt: skip
    assert all(name.startswith(allowed) for name in ours), ours


def test_the_layers_import_only_downwards():
    order = {"data": 1, "analysis": 2, "present": 3, "maintain": 4, "publish": 4, "web": 5}
    for file in (REPO / "dashboard").rglob("*.py"):
        parts = file.relative_to(REPO / "dashboard").parts
        if len(parts) < 2 or parts[0] not in order:
            continue
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dashboard."):
                layer = node.module.split(".")[1]
                if layer in order and layer != parts[0]:
                    assert order[layer] < order[parts[0]], f"{file.name} imports {node.module}"


def test_the_csv_columns_are_documented():
    from dashboard.data.schema import reference_package
    from dashboard.present import captions

    readme = (REPO / "datasets" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## CSV downloads", 1)[1].split("\n## ", 1)[0]
    package = reference_package()
    for column in captions.data_columns(package):
        if column not in package.claims.field_names:
            assert f"`{column}`" in section, f"CSV column {column} is not described under 'CSV downloads'"


def test_readme_lists_every_setting():
    from dashboard import settings

    assert settings.markdown_table() in (REPO / "README.md").read_text(encoding="utf-8")


ENVIRONMENT_READ = re.compile(r"os\.environ\b|os\.getenv\b|getenv\(")


@pytest.mark.parametrize("module", sorted((REPO / "dashboard").rglob("*.py")), ids=lambda p: str(p.relative_to(REPO)))
def test_only_the_settings_module_reads_the_environment(module):
    if module.name == "settings.py" and module.parent.name == "dashboard":
        return
    assert not ENVIRONMENT_READ.search(module.read_text(encoding="utf-8")), "read it through dashboard/settings.py"
