"""The dangerous calls of the taint rules, by qualified name: which argument is dangerous.

Each entry maps a qualified callee name to its :class:`~._taint.SinkKind`, the name
used in messages, and the arguments (position and keyword) whose taint matters. Calls
that need more than a table (``subprocess.run`` with or without ``shell=True``,
``cursor.execute`` on any receiver, ``Path.read_text`` on a tainted path, Streamlit's
``unsafe_allow_html=True``) are handled in :mod:`._taint_sinks`.
"""

from __future__ import annotations

from typing import Final, NamedTuple

from aiwarden.analyzers.code._taint_types import SinkKind

Arg = tuple[int | None, str | None]


class Entry(NamedTuple):
    """A sink callee: what it does, how messages name it, which arguments are dangerous."""

    kind: SinkKind
    label: str
    args: tuple[Arg, ...]


def _entries(kind: SinkKind, names: tuple[str, ...], *args: Arg) -> dict[str, Entry]:
    return {name: Entry(kind, name.removeprefix("builtins."), args) for name in names}


_OS_PATH_FUNCTIONS: Final = tuple(
    f"os.{name}"
    for name in [
        "remove",
        "unlink",
        "rmdir",
        "removedirs",
        "mkdir",
        "makedirs",
        "listdir",
        "scandir",
        "chmod",
        "chown",
        "lchown",
        "truncate",
        "open",
        "walk",
        "chdir",
    ]
)
_TWO_PATHS: Final = (
    "os.rename",
    "os.replace",
    "os.renames",
    "os.link",
    "os.symlink",
    "shutil.copy",
    "shutil.copy2",
    "shutil.copyfile",
    "shutil.copytree",
    "shutil.move",
    "shutil.copymode",
    "shutil.copystat",
)
_EXEC: Final = tuple(
    f"os.exec{suffix}" for suffix in ["l", "le", "lp", "lpe", "v", "ve", "vp", "vpe"]
)
_SPAWN: Final = tuple(
    f"os.spawn{suffix}" for suffix in ["l", "le", "lp", "lpe", "v", "ve", "vp", "vpe"]
)
_VERBS: Final = ("get", "post", "put", "patch", "delete", "head", "options")
_HTTP_CLIENTS: Final = (
    "requests.Session()",
    "requests.session()",
    "requests.sessions.Session()",
    "httpx.Client()",
    "httpx.AsyncClient()",
    "aiohttp.ClientSession()",
)


def _urls() -> dict[str, Entry]:
    table: dict[str, Entry] = {}
    for owner in ("requests", "httpx", *_HTTP_CLIENTS):
        short = owner.replace("()", "").rsplit(".", 1)[-1] if "()" in owner else owner
        for verb in _VERBS:
            table[f"{owner}.{verb}"] = Entry(SinkKind.URL, f"{short}.{verb}", ((0, "url"),))
        for method in ("request", "stream"):
            table[f"{owner}.{method}"] = Entry(SinkKind.URL, f"{short}.{method}", ((1, "url"),))
    table.update(
        _entries(
            SinkKind.URL,
            (
                "urllib.request.urlopen",
                "urllib.request.Request",
                "urllib.request.urlretrieve",
                "urllib2.urlopen",
            ),
            (0, "url"),
        )
    )
    table.update(
        _entries(SinkKind.URL, ("urllib3.PoolManager().request", "urllib3.request"), (1, "url"))
    )
    table.update(_entries(SinkKind.URL, ("aiohttp.request",), (1, "url")))
    table.update(
        _entries(
            SinkKind.URL,
            ("http.client.HTTPConnection", "http.client.HTTPSConnection"),
            (0, "host"),
        )
    )
    table.update(
        _entries(SinkKind.URL, ("websockets.connect", "websockets.client.connect"), (0, "uri"))
    )
    return table


def _code() -> dict[str, Entry]:
    table: dict[str, Entry] = {}
    code = SinkKind.CODE
    table.update(_entries(code, ("builtins.eval", "builtins.exec"), (0, None)))
    table.update(_entries(code, ("builtins.compile",), (0, "source")))
    table.update(
        _entries(
            code,
            ("builtins.__import__", "importlib.import_module", "importlib.__import__"),
            (0, "name"),
        )
    )
    table.update(_entries(code, ("runpy.run_path",), (0, "path_name")))
    table.update(_entries(code, ("runpy.run_module",), (0, "mod_name")))
    table.update(_entries(code, ("pandas.eval",), (0, "expr")))
    table.update(_entries(code, ("sympy.sympify",), (0, "a")))
    table.update(
        _entries(code, ("sympy.parse_expr", "sympy.parsing.sympy_parser.parse_expr"), (0, "s"))
    )
    return table


def _shell() -> dict[str, Entry]:
    table: dict[str, Entry] = {}
    shell = SinkKind.SHELL
    table.update(_entries(shell, ("os.system",), (0, "command")))
    table.update(
        _entries(
            shell,
            (
                "os.popen",
                "subprocess.getoutput",
                "subprocess.getstatusoutput",
                "commands.getoutput",
                "commands.getstatusoutput",
                "asyncio.create_subprocess_shell",
            ),
            (0, "cmd"),
        )
    )
    table.update(_entries(shell, (*_EXEC, "os.posix_spawn", "os.posix_spawnp"), (0, "path")))
    table.update(_entries(shell, _SPAWN, (1, "file")))
    table.update(_entries(shell, ("pty.spawn",), (0, "argv")))
    table.update(
        _entries(
            shell,
            (
                "pexpect.spawn",
                "pexpect.run",
                "pexpect.popen_spawn.PopenSpawn",
                "paramiko.SSHClient().exec_command",
                "fabric.Connection().run",
                "fabric.Connection().sudo",
            ),
            (0, "command"),
        )
    )
    return table


def _sql_html() -> dict[str, Entry]:
    table: dict[str, Entry] = {}
    sql = SinkKind.SQL
    table.update(
        _entries(
            sql,
            ("sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"),
            (0, "text"),
        )
    )
    table.update(
        _entries(
            sql,
            ("pandas.read_sql", "pandas.read_sql_query", "pandas.io.sql.read_sql"),
            (0, "sql"),
        )
    )
    table.update(_entries(sql, ("duckdb.sql", "duckdb.query", "duckdb.execute"), (0, "query")))
    html = SinkKind.HTML
    table.update(
        _entries(
            html,
            ("flask.render_template_string", "flask.templating.render_template_string"),
            (0, "source"),
        )
    )
    table.update(
        _entries(
            html,
            ("markupsafe.Markup", "flask.Markup", "jinja2.Markup", "jinja2.utils.Markup"),
            (0, "base"),
        )
    )
    table.update(
        _entries(
            html,
            (
                "jinja2.Template",
                "jinja2.Environment().from_string",
                "jinja2.environment.Environment().from_string",
                "jinja2.environment.Template",
            ),
            (0, "source"),
        )
    )
    table.update(_entries(html, ("django.utils.safestring.mark_safe",), (0, "s")))
    table.update(_entries(html, ("django.utils.html.format_html",), (0, "format_string")))
    table.update(
        _entries(
            html,
            ("fastapi.responses.HTMLResponse", "starlette.responses.HTMLResponse"),
            (0, "content"),
        )
    )
    table.update(_entries(html, ("streamlit.components.v1.html",), (0, "html")))
    return table


def _paths() -> dict[str, Entry]:
    table: dict[str, Entry] = {}
    path = SinkKind.PATH
    table.update(_entries(path, ("builtins.open", "io.open", "aiofiles.open"), (0, "file")))
    table.update(_entries(path, ("codecs.open",), (0, "filename")))
    table.update(_entries(path, _OS_PATH_FUNCTIONS, (0, "path")))
    table.update(_entries(path, _TWO_PATHS, (0, "src"), (1, "dst")))
    table.update(_entries(path, ("shutil.rmtree", "shutil.chown"), (0, "path")))
    table.update(_entries(path, ("shutil.unpack_archive",), (0, "filename"), (1, "extract_dir")))
    table.update(_entries(path, ("flask.send_file",), (0, "path_or_file")))
    table.update(_entries(path, ("glob.glob", "glob.iglob"), (0, "pathname")))
    table.update(
        _entries(
            path,
            ("fastapi.responses.FileResponse", "starlette.responses.FileResponse"),
            (0, "path"),
        )
    )
    return table


SINKS: Final[dict[str, Entry]] = {**_code(), **_shell(), **_sql_html(), **_paths(), **_urls()}
"""Every sink callee matched by qualified name."""

PROCESS_CALLS: Final = frozenset(
    f"subprocess.{name}" for name in ("run", "call", "check_call", "check_output", "Popen")
)
"""Calls that take an argv list, or a shell string with ``shell=True``."""

INTERPRETERS: Final = frozenset(
    [
        "sh",
        "bash",
        "zsh",
        "dash",
        "ksh",
        "fish",
        "csh",
        "tcsh",
        "cmd",
        "cmd.exe",
        "powershell",
        "powershell.exe",
        "pwsh",
        "python",
        "python3",
        "python2",
        "node",
        "perl",
        "ruby",
        "php",
        "osascript",
    ]
)
"""Programs that run their ``-c`` argument as code."""
INLINE_FLAGS: Final = frozenset({"-c", "/c", "/C", "-e", "-Command", "-command", "-EncodedCommand"})

SQL_METHODS: Final = frozenset({"execute", "executemany", "executescript", "exec_driver_sql"})
SQL_KEYWORDS: Final = ("sql", "query", "operation", "statement", "sql_script")
DB_ROOTS: Final = frozenset(
    [
        "sqlite3",
        "psycopg2",
        "psycopg",
        "pymysql",
        "MySQLdb",
        "mysql",
        "cx_Oracle",
        "oracledb",
        "pyodbc",
        "sqlalchemy",
        "asyncpg",
        "aiosqlite",
        "aiomysql",
        "duckdb",
        "snowflake",
        "databases",
        "clickhouse_driver",
        "trino",
        "pymssql",
        "django",
        "sqlmodel",
        "peewee",
    ]
)
PATH_METHODS: Final = frozenset(
    [
        "read_text",
        "read_bytes",
        "write_text",
        "write_bytes",
        "open",
        "unlink",
        "rmdir",
        "mkdir",
        "touch",
        "rename",
        "replace",
        "iterdir",
        "glob",
        "rglob",
        "chmod",
        "symlink_to",
        "hardlink_to",
    ]
)
"""``pathlib.Path`` methods that touch the file system at the path."""
HTML_FLAG_METHODS: Final = frozenset({"markdown", "write", "caption", "html"})
