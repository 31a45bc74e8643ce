"""The README documents every setting, and the commands it gives match what CI runs."""

from pydantic import BaseModel

from assist.settings import Settings
from testkit.helpers import REPO


def _fields(model, prefix=""):
    for name, f in model.model_fields.items():
        ann = f.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from _fields(ann, prefix + name + ".")
        else:
            yield prefix + name


def test_every_setting_is_in_the_readme_table():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in _fields(Settings):
        env = "ASSIST_" + name.upper().replace(".", "__")
        assert f"| `{name}` | `{env}` |" in readme, name


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    cmd = ".venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest -q -p no:cacheprovider"
    assert cmd in readme
    assert cmd.replace("pip install -e", "pip install -q -e") in ci


def test_every_exit_code_is_in_the_readme_table():
    from assist.errors import EXIT_CODES

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for code in EXIT_CODES.values():
        assert f"\n| {code} | " in readme, code


def test_the_reference_deployment_settings_load_and_name_the_shared_engines(monkeypatch):
    """deploy/assist.toml is what README "Deploy it" tells operators to install: it must load as it is."""
    from assist.settings import load_settings

    for k in [k for k in __import__("os").environ if k.startswith("ASSIST_")]:
        monkeypatch.delenv(k)
    s = load_settings(REPO / "deploy" / "assist.toml")
    assert s.live_state == "database" and s.chroma.url and s.agent.trusted_proxies and s.auth.public_url
    unit = (REPO / "deploy" / "assist@.service").read_text(encoding="utf-8")
    assert "EnvironmentFile=/etc/assist/secrets.env" in unit and "assist serve" in unit
