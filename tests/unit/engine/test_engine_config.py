"""Configuration: discovery of the file, precedence, validation and rule selection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aiwarden.core.severity import Severity
from aiwarden.engine.config import (
    ConfigSuppression,
    Settings,
    find_config,
    load_settings,
    rule_matches,
)
from aiwarden.errors import ConfigError


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _load(target: Path, **kwargs: object) -> Settings:
    env = kwargs.pop("env", {})
    assert isinstance(env, dict)
    return load_settings([target], env=env, **kwargs)  # type: ignore[arg-type]


# --- finding the file --------------------------------------------------------------


def test_find_config_walks_up_from_target(tmp_path: Path) -> None:
    config = _write(tmp_path / "aiwarden.toml", "")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)

    assert find_config(deep) == config.resolve()
    assert find_config(_write(deep / "m.py", "")) == config.resolve()


def test_find_config_prefers_dot_file_then_plain_then_pyproject(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.aiwarden]\n")
    assert find_config(tmp_path) == (tmp_path / "pyproject.toml").resolve()
    _write(tmp_path / "aiwarden.toml", "")
    assert find_config(tmp_path) == (tmp_path / "aiwarden.toml").resolve()
    _write(tmp_path / ".aiwarden.toml", "")
    assert find_config(tmp_path) == (tmp_path / ".aiwarden.toml").resolve()


def test_nearest_directory_wins(tmp_path: Path) -> None:
    _write(tmp_path / ".aiwarden.toml", "")
    inner = _write(tmp_path / "sub" / "pyproject.toml", "[tool.aiwarden]\njobs = 2\n")

    assert find_config(tmp_path / "sub") == inner.resolve()


def test_pyproject_without_tool_aiwarden_is_ignored(tmp_path: Path) -> None:
    outer = _write(tmp_path / "aiwarden.toml", "fail-on = 'low'\n")
    _write(tmp_path / "proj" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")

    assert find_config(tmp_path / "proj") == outer.resolve()
    settings = _load(tmp_path / "proj")
    assert settings.source == outer.resolve()
    assert settings.fail_on is Severity.LOW


@pytest.mark.parametrize(
    "text",
    [
        "[tool.ruff\nline-length = = 100\n",
        '[project]\ndependencies = ["aiwarden>=0.1"\n[project.scripts]\naiwarden = "a:b"\n',
    ],
    ids=["never names aiwarden", "names aiwarden, not as a tool table"],
)
def test_pyproject_that_cannot_hold_the_table_is_not_parsed(tmp_path: Path, text: str) -> None:
    # Not valid TOML, but it cannot declare [tool.aiwarden], so it is skipped unparsed.
    _write(tmp_path / "proj" / "pyproject.toml", text)
    assert find_config(tmp_path / "proj") is None


@pytest.mark.parametrize(
    "table",
    [
        '[tool."aiw\\u0061rden"]\njobs = 3\n',
        "[tool.'aiwarden']\njobs = 3\n",
        "[tool]\naiwarden = { jobs = 3 }\n",
        '[ "tool" ]\naiwarden.jobs = 3\n',
        "tool . aiwarden . jobs = 3\n",
        "'tool'.\"aiwarden\".jobs = 3\n",
        "tool = { aiwarden = { jobs = 3 } }\n",
        '"t\\u006fol" = { aiwarden = { jobs = 3 } }\n',
        "[tool.aiwarden]\njobs = 3\n",
    ],
)
def test_every_spelling_of_the_tool_table_is_found(tmp_path: Path, table: str) -> None:
    config = _write(tmp_path / "pyproject.toml", table + "\n[project]\nname = 'x'\n")
    assert find_config(tmp_path) == config.resolve()
    assert _load(tmp_path).jobs == 3


def test_broken_pyproject_that_names_aiwarden_is_still_an_error(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.aiwarden\njobs = 3\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        _load(tmp_path)


def test_empty_config_gives_defaults(tmp_path: Path) -> None:
    config = _write(tmp_path / "aiwarden.toml", "")
    settings = _load(tmp_path)
    assert settings == Settings(source=config.resolve(), project_root=tmp_path.resolve())
    assert settings.select == ("AIW",) and settings.fail_on is Severity.HIGH
    assert settings.jobs is None and settings.timeout_s == 60.0 and settings.respect_gitignore


def test_config_path_that_is_a_directory_is_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a regular file"):
        _load(tmp_path, config_path=tmp_path)


def test_pyproject_reads_tool_table_and_ignores_other_tools(tmp_path: Path) -> None:
    _write(
        tmp_path / "pyproject.toml",
        "[project]\nname = 'x'\n[tool.ruff]\nselect = ['E']\n"
        "[tool.aiwarden]\nselect = ['AIW-MOD']\nfail-on = 'critical'\n",
    )
    settings = _load(tmp_path)
    assert settings.select == ("AIW-MOD",)
    assert settings.fail_on is Severity.CRITICAL
    assert settings.project_root == tmp_path.resolve()


def test_all_file_keys_are_read(tmp_path: Path) -> None:
    _write(
        tmp_path / ".aiwarden.toml",
        """
select = ["AIW"]
ignore = ["AIW-PY002"]
exclude = ["vendor/"]
fail-on = "medium"
jobs = 4
timeout = 12.5
respect-gitignore = false

[per-path-ignores]
"tests/**" = ["AIW-SEC"]

[[suppress]]
path = "configs/*.json"
rule = "AIW-AGT001"
reason = "reviewed"
""",
    )
    settings = _load(tmp_path)
    assert settings.ignore == ("AIW-PY002",)
    assert settings.exclude == ("vendor/",)
    assert settings.fail_on is Severity.MEDIUM
    assert settings.jobs == 4
    assert settings.timeout_s == 12.5
    assert settings.respect_gitignore is False
    assert settings.per_path_ignores == (("tests/**", ("AIW-SEC",)),)
    assert settings.suppressions == (ConfigSuppression("configs/*.json", "AIW-AGT001", "reviewed"),)


def test_explicit_config_path_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        _load(tmp_path, config_path=tmp_path / "missing.toml")


def test_explicit_config_path_is_used(tmp_path: Path) -> None:
    _write(tmp_path / ".aiwarden.toml", "jobs = 1\n")
    other = _write(tmp_path / "ci" / "strict.toml", "jobs = 7\n")
    assert _load(tmp_path, config_path=other).jobs == 7


# --- precedence ---------------------------------------------------------------------


def test_precedence_cli_over_env_over_file_over_defaults(tmp_path: Path) -> None:
    _write(tmp_path / ".aiwarden.toml", "jobs = 2\ntimeout = 5\nfail-on = 'low'\n")
    env = {"AIWARDEN_JOBS": "3", "AIWARDEN_TIMEOUT": "7"}

    settings = _load(tmp_path, env=env, overrides={"jobs": 4, "select": None})

    assert settings.jobs == 4  # CLI
    assert settings.timeout_s == 7.0  # environment
    assert settings.fail_on is Severity.LOW  # file
    assert settings.select == ("AIW",)  # default (a None override is ignored)


def test_env_lists_and_booleans(tmp_path: Path) -> None:
    env = {
        "AIWARDEN_SELECT": "AIW-MOD, AIW-PY",
        "AIWARDEN_IGNORE": "AIW-PY002",
        "AIWARDEN_EXCLUDE": "a/,b/",
        "AIWARDEN_FAIL_ON": "Critical",
        "AIWARDEN_RESPECT_GITIGNORE": "0",
        "AIWARDEN_JOBS": "",  # empty means unset
    }
    settings = _load(tmp_path, env=env, config_path=_write(tmp_path / "c.toml", ""))
    assert settings.select == ("AIW-MOD", "AIW-PY")
    assert settings.ignore == ("AIW-PY002",)
    assert settings.exclude == ("a/", "b/")
    assert settings.fail_on is Severity.CRITICAL
    assert settings.respect_gitignore is False
    assert settings.jobs is None


def test_overrides_accept_severity_and_sequences(tmp_path: Path) -> None:
    config = _write(tmp_path / "c.toml", "")
    settings = _load(
        tmp_path,
        config_path=config,
        overrides={"fail_on": Severity.INFO, "exclude": ("x/",), "timeout_s": 3},
    )
    assert settings.fail_on is Severity.INFO
    assert settings.exclude == ("x/",)
    assert settings.timeout_s == 3.0


# --- errors -------------------------------------------------------------------------


def test_malformed_toml_names_file_and_position(tmp_path: Path) -> None:
    config = _write(tmp_path / ".aiwarden.toml", 'jobs = 2\nselect = ["AIW"\nfail-on = 1\n')
    with pytest.raises(ConfigError) as info:
        _load(tmp_path)
    message = str(info.value)
    assert str(config.resolve()) in message
    assert "invalid TOML" in message and "line 3" in message
    assert "\n" not in message


def test_unknown_key_suggests_closest(tmp_path: Path) -> None:
    _write(tmp_path / ".aiwarden.toml", "fail_on = 'high'\n")
    with pytest.raises(ConfigError, match=r"key 'fail_on': unknown key; did you mean 'fail-on'\?"):
        _load(tmp_path)


def test_unknown_key_in_pyproject_names_the_table(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.aiwarden]\nselcet = ['AIW']\n")
    with pytest.raises(ConfigError, match=r"key 'tool\.aiwarden\.selcet'.*'select'"):
        _load(tmp_path)


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ("jobs = 'many'", "jobs", "expected an integer"),
        ("jobs = -1", "jobs", "at least 1"),
        ("jobs = true", "jobs", "expected an integer"),
        ("timeout = -5", "timeout", "positive"),
        ("fail-on = 'severe'", "fail-on", "unknown severity"),
        ("select = 'AIW'", "select", "array of strings"),
        ("select = ['aiw-mod']", "select", "invalid rule selector"),
        ("ignore = ['AIW-MOD0001']", "ignore", "invalid rule selector"),
        ("respect-gitignore = 'yes'", "respect-gitignore", "true or false"),
        ("exclude = ['!']", "exclude", "invalid path pattern"),
        ("[per-path-ignores]\n'x/*' = ['PY001']", 'per-path-ignores."x/*"', "selector"),
        ("[[suppress]]\npath = 'a.json'\nrule = 'AIW-AGT'", "suppress[0].reason", "required"),
        ("[[suppress]]\npath = 'a'\nrule = 'AIW'\nreason = ' '", "suppress[0].reason", "required"),
        ("[[suppress]]\npath='a'\nrule='X'\nreason='r'", "suppress[0].rule", "selector"),
    ],
)
def test_invalid_values_name_file_and_key(
    tmp_path: Path, text: str, key: str, fragment: str
) -> None:
    config = _write(tmp_path / ".aiwarden.toml", text + "\n")
    with pytest.raises(ConfigError) as info:
        _load(tmp_path)
    assert info.value.key == key
    assert info.value.source == str(config.resolve())
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AIWARDEN_JOBS", "four"),
        ("AIWARDEN_JOBS", "0"),
        ("AIWARDEN_TIMEOUT", "-1"),
        ("AIWARDEN_TIMEOUT", "nan"),
        ("AIWARDEN_FAIL_ON", "bad"),
        ("AIWARDEN_SELECT", "MOD001"),
        ("AIWARDEN_RESPECT_GITIGNORE", "maybe"),
    ],
)
def test_env_errors_name_the_variable(tmp_path: Path, variable: str, value: str) -> None:
    config = _write(tmp_path / "c.toml", "")
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, config_path=config, env={variable: value})
    assert info.value.source == variable
    assert str(info.value).startswith(f"{variable}: ")


def test_bad_override_is_config_error(tmp_path: Path) -> None:
    config = _write(tmp_path / "c.toml", "")
    with pytest.raises(ConfigError, match="jobs"):
        _load(tmp_path, config_path=config, overrides={"jobs": -2})
    with pytest.raises(ConfigError, match="unknown setting"):
        _load(tmp_path, config_path=config, overrides={"color": True})


# --- rule selection -----------------------------------------------------------------


def test_rule_matches_families_whole_and_digits_as_prefix() -> None:
    assert rule_matches("AIW", "AIW-MOD001")
    assert rule_matches("AIW-MOD", "AIW-MOD001")
    assert rule_matches("AIW-MOD00", "AIW-MOD001")
    assert rule_matches("AIW-MOD001", "AIW-MOD001")
    assert not rule_matches("AIW-MO", "AIW-MOD001")
    assert not rule_matches("AIW-MOD002", "AIW-MOD001")
    assert not rule_matches("AIW-PY", "AIW-PYX001")


def test_rule_enabled_longest_prefix_wins() -> None:
    settings = Settings(select=("AIW", "AIW-MOD001"), ignore=("AIW-MOD",))
    assert settings.rule_enabled("AIW-PY001", "a.py")
    assert not settings.rule_enabled("AIW-MOD002", "a.pkl")  # AIW-MOD beats AIW
    assert settings.rule_enabled("AIW-MOD001", "a.pkl")  # AIW-MOD001 beats AIW-MOD


def test_rule_enabled_ignore_wins_tie_and_unselected_is_off() -> None:
    assert not Settings(select=("AIW-PY",), ignore=("AIW-PY",)).rule_enabled("AIW-PY001", "a")
    assert not Settings(select=("AIW-PY",)).rule_enabled("AIW-MOD001", "a")


def test_per_path_ignores() -> None:
    settings = Settings(per_path_ignores=(("tests/**", ("AIW-SEC",)), ("*.ipynb", ("AIW-NB001",))))
    assert not settings.rule_enabled("AIW-SEC001", "tests/unit/test_x.py")
    assert settings.rule_enabled("AIW-SEC001", "src/x.py")
    assert settings.rule_enabled("AIW-PY001", "tests/unit/test_x.py")
    assert not settings.rule_enabled("AIW-NB001", "deep/dir/a.ipynb")
    assert settings.rule_enabled("AIW-NB002", "deep/dir/a.ipynb")


def test_engine_rules_are_always_enabled() -> None:
    settings = Settings(
        select=("AIW-MOD",), ignore=("AIW-ENG", "AIW"), per_path_ignores=(("*", ("AIW",)),)
    )
    assert settings.rule_enabled("AIW-ENG001", "any/file")
    assert not settings.rule_enabled("AIW-MOD001", "any/file")


def test_suppression_expiry_and_require_reason_are_read(tmp_path: Path) -> None:
    _write(
        tmp_path / ".aiwarden.toml",
        """require-reason = true

[[suppress]]
path = "a.json"
rule = "AIW-AGT"
reason = "vetted"
until = 2027-03-31

[[suppress]]
path = "b.json"
rule = "AIW-AGT"
reason = "vetted"
until = "2027-04-30"
""",
    )
    settings = _load(tmp_path)
    assert settings.require_reason is True
    assert [s.until for s in settings.suppressions] == [dt.date(2027, 3, 31), dt.date(2027, 4, 30)]


def test_a_suppression_until_that_is_not_a_date_is_a_config_error(tmp_path: Path) -> None:
    _write(
        tmp_path / ".aiwarden.toml",
        '[[suppress]]\npath = "a"\nrule = "AIW"\nreason = "r"\nuntil = "next year"\n',
    )
    with pytest.raises(ConfigError, match=r"suppress\[0\]\.until.*must be a date"):
        _load(tmp_path)


def test_require_reason_from_the_environment(tmp_path: Path) -> None:
    assert _load(tmp_path, env={"AIWARDEN_REQUIRE_REASON": "yes"}).require_reason is True
